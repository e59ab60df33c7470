package dev.rigtel.collector.timecode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DatedTimecodeTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final LocalDate SHOOTING_DAY = LocalDate.of(2024, 6, 14);

    private static DatedTimecode dated(LocalDate date, String label, FrameRate rate, boolean df) {
        return new DatedTimecode(date, Timecode.parse(label, rate, df));
    }

    private static long nanos(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void plusFramesCarriesTheDateAcrossMidnightBothWays() {
        DatedTimecode lastFrame = dated(SHOOTING_DAY, "23:59:59:24", FrameRate.FPS_25, false);
        DatedTimecode nextDay = lastFrame.plusFrames(1);
        assertThat(nextDay).isEqualTo(dated(SHOOTING_DAY.plusDays(1), "00:00:00:00", FrameRate.FPS_25, false));
        assertThat(nextDay.plusFrames(-1)).isEqualTo(lastFrame);
        assertThat(dated(SHOOTING_DAY, "00:00:00;00", FrameRate.FPS_29_97, true).plusFrames(-1))
                .isEqualTo(dated(SHOOTING_DAY.minusDays(1), "23:59:59;29", FrameRate.FPS_29_97, true));

        long perDay = Timecode.framesPerDay(FrameRate.FPS_59_94, true);
        DatedTimecode noon = dated(SHOOTING_DAY, "12:00:00;00", FrameRate.FPS_59_94, true);
        assertThat(noon.plusFrames(3 * perDay + 5)).isEqualTo(noon.plusFrames(5).plusFrames(3 * perDay));
        assertThat(noon.plusFrames(3 * perDay).shootingDate()).isEqualTo(SHOOTING_DAY.plusDays(3));
        assertThat(noon.plusFrames(-3 * perDay - 1).shootingDate()).isEqualTo(SHOOTING_DAY.minusDays(3));
        assertThat(noon.framesUntil(noon.plusFrames(-3 * perDay - 1))).isEqualTo(-3 * perDay - 1);
        assertThat(lastFrame.framesUntil(nextDay)).isEqualTo(1);
    }

    @Test
    void utcNanosIsLocalMidnightPlusTheRealTimeOfTheLabel() {
        assertThat(dated(SHOOTING_DAY, "01:00:00:00", FrameRate.FPS_25, false).utcNanos(UTC))
                .isEqualTo(nanos("2024-06-14T01:00:00Z"));
        // British Summer Time: local midnight is 23:00 UTC the day before.
        assertThat(dated(SHOOTING_DAY, "01:00:00:00", FrameRate.FPS_25, false).utcNanos(LONDON))
                .isEqualTo(nanos("2024-06-14T00:00:00Z"));
        // 29.97 NDF labels run 3.6 s per hour slow; DF labels stay within 3.6 ms (SMPTE ST 12-1).
        assertThat(dated(SHOOTING_DAY, "01:00:00:00", FrameRate.FPS_29_97, false)
                        .utcNanos(UTC))
                .isEqualTo(nanos("2024-06-14T01:00:03.600Z"));
        assertThat(dated(SHOOTING_DAY, "01:00:00;00", FrameRate.FPS_29_97, true).utcNanos(UTC))
                .isEqualTo(nanos("2024-06-14T00:59:59.996400Z"));
    }

    @Test
    void atUtcNanosInvertsUtcNanosExactlyAtEveryRate() {
        for (FrameRate rate : FrameRate.values()) {
            for (boolean df : rate.dropFrameAllowed() ? new boolean[] {false, true} : new boolean[] {false}) {
                long perDay = Timecode.framesPerDay(rate, df);
                // Start of day, midday and the end of a day whose labels stay within it (NDF at 1001
                // rates overruns midnight: see the next test).
                long lastInDay = (rate.denominator() == 1 || df) ? perDay - 1 : perDay * 1000 / 1001 - 2;
                for (long start : new long[] {0, perDay / 2, lastInDay - 3000}) {
                    for (long fn = start; fn < start + 3000 && fn <= lastInDay; fn++) {
                        DatedTimecode frame = new DatedTimecode(SHOOTING_DAY, Timecode.fromFrameNumber(fn, rate, df));
                        long startNanos = frame.utcNanos(LONDON);
                        long nextStartNanos = frame.plusFrames(1).utcNanos(LONDON);
                        check(frame, DatedTimecode.atUtcNanos(startNanos, LONDON, rate, df));
                        check(frame, DatedTimecode.atUtcNanos(startNanos + 1, LONDON, rate, df));
                        if (fn < lastInDay) {
                            check(frame, DatedTimecode.atUtcNanos(nextStartNanos - 1, LONDON, rate, df));
                        }
                    }
                }
            }
        }
    }

    private static void check(DatedTimecode expected, DatedTimecode actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError(expected + " at " + expected.timecode().rate() + " came back as " + actual);
        }
    }

    @Test
    void atUtcNanosSwitchesDateAtLocalMidnight() {
        long midnight = nanos("2024-06-14T23:00:00Z"); // 00:00 BST on the 15th
        assertThat(DatedTimecode.atUtcNanos(midnight - 1, LONDON, FrameRate.FPS_25, false))
                .isEqualTo(dated(SHOOTING_DAY, "23:59:59:24", FrameRate.FPS_25, false));
        assertThat(DatedTimecode.atUtcNanos(midnight, LONDON, FrameRate.FPS_25, false))
                .isEqualTo(dated(SHOOTING_DAY.plusDays(1), "00:00:00:00", FrameRate.FPS_25, false));
        assertThatThrownBy(() -> DatedTimecode.atUtcNanos(midnight, LONDON, FrameRate.FPS_25, true))
                .isInstanceOf(InvalidTimecodeException.class);
    }

    @Test
    void ndfLabelsAtFractionalRatesOverrunMidnightAndResolveToTheLaterDate() {
        // 24 h of 29.97 NDF labels last 86486.4 s: the last labels of a day start after the next
        // local midnight, where the next day's labels are already running.
        DatedTimecode lateLabel = dated(SHOOTING_DAY, "23:59:59:29", FrameRate.FPS_29_97, false);
        long start = lateLabel.utcNanos(UTC);
        assertThat(start).isGreaterThan(nanos("2024-06-15T00:00:00Z"));
        DatedTimecode resolved = DatedTimecode.atUtcNanos(start, UTC, FrameRate.FPS_29_97, false);
        assertThat(resolved.shootingDate()).isEqualTo(SHOOTING_DAY.plusDays(1));
        assertThat(resolved.timecode()).hasToString("00:01:26:08");
    }

    @Test
    void nearestPicksTheDateThatPutsTheLabelClosestToNow() {
        Timecode beforeMidnight = Timecode.parse("23:59:58:00", FrameRate.FPS_25, false);
        Timecode afterMidnight = Timecode.parse("00:00:03:00", FrameRate.FPS_25, false);
        Timecode noon = Timecode.parse("12:00:01:00", FrameRate.FPS_25, false);

        Instant justAfter = Instant.parse("2024-06-15T00:00:05Z");
        assertThat(DatedTimecode.nearest(beforeMidnight, justAfter, UTC).shootingDate())
                .isEqualTo(SHOOTING_DAY);
        assertThat(DatedTimecode.nearest(afterMidnight, justAfter, UTC).shootingDate())
                .isEqualTo(SHOOTING_DAY.plusDays(1));

        Instant justBefore = Instant.parse("2024-06-14T23:59:58Z");
        assertThat(DatedTimecode.nearest(afterMidnight, justBefore, UTC).shootingDate())
                .isEqualTo(SHOOTING_DAY.plusDays(1));
        assertThat(DatedTimecode.nearest(noon, justBefore, UTC).shootingDate()).isEqualTo(SHOOTING_DAY);

        // In London, 23:00:05 UTC is already 00:00:05 BST on the 15th.
        Instant londonJustAfter = Instant.parse("2024-06-14T23:00:05Z");
        assertThat(DatedTimecode.nearest(beforeMidnight, londonJustAfter, LONDON)
                        .shootingDate())
                .isEqualTo(SHOOTING_DAY);
        assertThat(DatedTimecode.nearest(afterMidnight, londonJustAfter, LONDON).shootingDate())
                .isEqualTo(SHOOTING_DAY.plusDays(1));
    }

    @Test
    void onTheSpringForwardDayLabelsCountRealTimeFromLocalMidnight() {
        // Europe/London, 2024-03-31: clocks go from 01:00 GMT to 02:00 BST, the day has 23 hours.
        LocalDate springForward = LocalDate.of(2024, 3, 31);
        DatedTimecode noon = dated(springForward, "12:00:00:00", FrameRate.FPS_25, false);
        // Documented: 12 h of labels after local midnight (00:00 GMT) is 12:00 UTC, 13:00 BST.
        assertThat(noon.utcNanos(LONDON)).isEqualTo(nanos("2024-03-31T12:00:00Z"));
        assertThat(DatedTimecode.atUtcNanos(noon.utcNanos(LONDON), LONDON, FrameRate.FPS_25, false))
                .isEqualTo(noon);
        // The next day starts 23 h later; the day's last hour of labels overlaps it and resolves to
        // the later date, which names the same instant.
        DatedTimecode lateLabel = dated(springForward, "23:30:00:00", FrameRate.FPS_25, false);
        assertThat(DatedTimecode.atUtcNanos(lateLabel.utcNanos(LONDON), LONDON, FrameRate.FPS_25, false))
                .isEqualTo(dated(springForward.plusDays(1), "00:30:00:00", FrameRate.FPS_25, false));
        assertThat(DatedTimecode.nearest(noon.timecode(), Instant.parse("2024-03-31T12:00:00Z"), LONDON))
                .isEqualTo(noon);
    }

    @Test
    void onTheFallBackDayTheLastHourHasNoLabelAndMapsToTheDaysLastFrame() {
        // Europe/London, 2024-10-27: 02:00 BST becomes 01:00 GMT, the day has 25 hours.
        LocalDate fallBack = LocalDate.of(2024, 10, 27);
        assertThat(dated(fallBack, "00:00:00:00", FrameRate.FPS_25, false).utcNanos(LONDON))
                .isEqualTo(nanos("2024-10-26T23:00:00Z"));
        assertThat(dated(fallBack.plusDays(1), "00:00:00:00", FrameRate.FPS_25, false)
                        .utcNanos(LONDON))
                .isEqualTo(nanos("2024-10-28T00:00:00Z"));
        // 23:30 GMT on the 27th: 24.5 h after local midnight, past the day's 24 h of labels.
        assertThat(DatedTimecode.atUtcNanos(nanos("2024-10-27T23:30:00Z"), LONDON, FrameRate.FPS_25, false))
                .isEqualTo(dated(fallBack, "23:59:59:24", FrameRate.FPS_25, false));
    }
}
