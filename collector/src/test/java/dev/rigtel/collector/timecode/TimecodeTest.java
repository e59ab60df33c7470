package dev.rigtel.collector.timecode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TimecodeTest {

    @Test
    void matchesTheDropFrameCheckValuesOfSt12() {
        assertThat(Timecode.fromFrameNumber(1799, FrameRate.FPS_29_97, true)).hasToString("00:00:59;29");
        assertThat(Timecode.fromFrameNumber(1800, FrameRate.FPS_29_97, true)).hasToString("00:01:00;02");
        assertThat(Timecode.fromFrameNumber(17982, FrameRate.FPS_29_97, true)).hasToString("00:10:00;00");
        assertThat(Timecode.fromFrameNumber(107892, FrameRate.FPS_29_97, true)).hasToString("01:00:00;00");
        assertThat(Timecode.parse("01:00:00;00", FrameRate.FPS_29_97, true).frameNumber())
                .isEqualTo(107892);
    }

    @Test
    void rejectsLabelsThatDropFrameSkips() {
        assertThatThrownBy(() -> Timecode.parse("00:01:00;00", FrameRate.FPS_29_97, true))
                .isInstanceOf(InvalidTimecodeException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Timecode.parse("00:01:00;03", FrameRate.FPS_59_94, true))
                .isInstanceOf(InvalidTimecodeException.class);
        assertThat(Timecode.parse("00:10:00;00", FrameRate.FPS_29_97, true).frameNumber())
                .isEqualTo(17982);
    }

    @Test
    void rejectsDropFrameWhereItDoesNotExistAndMismatchedSeparators() {
        assertThatThrownBy(() -> Timecode.parse("00:00:01;00", FrameRate.FPS_25, true))
                .hasMessageContaining("25");
        assertThatThrownBy(() -> Timecode.parse("00:00:01;00", FrameRate.FPS_29_97, false))
                .hasMessageContaining("':'");
        assertThatThrownBy(() -> Timecode.parse("00:00:01:25", FrameRate.FPS_25, false))
                .hasMessageContaining("frames");
        assertThatThrownBy(() -> Timecode.parse("24:00:00:00", FrameRate.FPS_25, false))
                .hasMessageContaining("hours");
    }

    @Test
    void roundTripsEveryFrameOfADayAtEveryRate() {
        for (FrameRate rate : FrameRate.values()) {
            for (boolean df : rate.dropFrameAllowed() ? new boolean[] {false, true} : new boolean[] {false}) {
                long perDay = Timecode.framesPerDay(rate, df);
                for (long fn = 0; fn < perDay; fn++) {
                    Timecode tc = Timecode.fromFrameNumber(fn, rate, df);
                    if (tc.frameNumber() != fn) {
                        throw new AssertionError(rate + (df ? " DF" : "") + " frame " + fn + " -> " + tc);
                    }
                }
            }
        }
    }

    @Test
    void realTimeUsesTheExactRationalRate() {
        Timecode hourNdf = Timecode.parse("01:00:00:00", FrameRate.FPS_29_97, false);
        Timecode hourDf = Timecode.parse("01:00:00;00", FrameRate.FPS_29_97, true);
        assertThat(hourNdf.realTimeNanos()).isEqualTo(3_603_600_000_000L);
        assertThat(hourDf.realTimeNanos()).isEqualTo(3_599_996_400_000L);
    }

    @Test
    void plusFramesWrapsAtMidnightBothWays() {
        Timecode last = Timecode.parse("23:59:59:24", FrameRate.FPS_25, false);
        assertThat(last.plusFrames(1)).hasToString("00:00:00:00");
        assertThat(last.plusFrames(1).plusFrames(-1)).isEqualTo(last);
        assertThat(Timecode.parse("00:00:00;00", FrameRate.FPS_29_97, true).plusFrames(-1))
                .hasToString("23:59:59;29");
        assertThat(last.plusFrames(Timecode.framesPerDay(FrameRate.FPS_25, false)))
                .isEqualTo(last);
        assertThat(last.plusFrames(Long.MAX_VALUE).plusFrames(Long.MIN_VALUE).plusFrames(1))
                .isEqualTo(last);
    }

    @Test
    void plusFramesCountsFramesNotDroppedLabels() {
        assertThat(Timecode.parse("00:00:59;29", FrameRate.FPS_29_97, true).plusFrames(1))
                .hasToString("00:01:00;02");
        assertThat(Timecode.parse("00:01:00;04", FrameRate.FPS_59_94, true).plusFrames(-1))
                .hasToString("00:00:59;59");
        assertThat(Timecode.parse("00:09:59;29", FrameRate.FPS_29_97, true).plusFrames(1))
                .hasToString("00:10:00;00");
    }

    @Test
    void framesUntilIsSignedWithinTheDay() {
        Timecode a = Timecode.parse("00:00:59;29", FrameRate.FPS_29_97, true);
        Timecode b = Timecode.parse("00:01:00;02", FrameRate.FPS_29_97, true);
        assertThat(a.framesUntil(b)).isEqualTo(1);
        assertThat(b.framesUntil(a)).isEqualTo(-1);
        assertThat(a.framesUntil(a)).isZero();
        assertThat(Timecode.parse("00:00:00:00", FrameRate.FPS_24, false)
                        .framesUntil(Timecode.parse("01:00:00:00", FrameRate.FPS_24, false)))
                .isEqualTo(86_400);
    }

    @Test
    void framesUntilRejectsDifferentCounting() {
        Timecode df = Timecode.parse("01:00:00;00", FrameRate.FPS_29_97, true);
        Timecode ndf = Timecode.parse("01:00:00:00", FrameRate.FPS_29_97, false);
        Timecode at30 = Timecode.parse("01:00:00:00", FrameRate.FPS_30, false);
        assertThatThrownBy(() -> df.framesUntil(ndf))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("29.97 DF");
        assertThatThrownBy(() -> ndf.framesUntil(at30)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void frameLengthUsesTheExactRationalRate() {
        assertThat(FrameRate.FPS_29_97.frameNanos()).isCloseTo(33_366_666.667, within(0.001));
        assertThat(FrameRate.FPS_25.frameNanos()).isEqualTo(40_000_000.0);
        assertThat(FrameRate.FPS_23_976.framesPerSecond()).isCloseTo(23.976_024, within(1e-6));
    }
}
