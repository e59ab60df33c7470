package dev.rigtel.collector.timecode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeviceClocksTest {

    private static final long S = 1_000_000_000L;
    private static final Instant NOW = Instant.parse("2026-11-21T14:00:00Z");
    private static final long NOW_NANOS = NOW.getEpochSecond() * S;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private static long[] times(long firstNanos, int count, long stepNanos) {
        long[] t = new long[count];
        for (int i = 0; i < count; i++) {
            t[i] = firstNanos + i * stepNanos;
        }
        return t;
    }

    @Test
    void withoutTimecodeABootIsAnchoredToTheCollectorClockAtItsFirstMessage() throws Exception {
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        DeviceClocks.Mapping mapping = clocks.map("rig-01", "b1", times(73 * S, 50, 1_000_000));

        assertThat(mapping.utcNanos()[49]).isEqualTo(NOW_NANOS);
        assertThat(mapping.utcNanos()[1] - mapping.utcNanos()[0]).isEqualTo(1_000_000);
        assertThat(mapping.created()).hasSize(1);
        assertThat(mapping.created().get(0).lock()).isEqualTo(LockState.UNLOCKED);
    }

    @Test
    void aResentBatchMapsToTheSameTimestampsAndCreatesNoSegment() throws Exception {
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        long[] batch = times(73 * S, 50, 1_000_000);
        long[] first = clocks.map("rig-01", "b1", batch).utcNanos();
        DeviceClocks.Mapping again = clocks.map("rig-01", "b1", batch);

        assertThat(again.utcNanos()).isEqualTo(first);
        assertThat(again.created()).isEmpty();
    }

    @Test
    void restoredSegmentsMapExactlyAsBeforeARestart() throws Exception {
        DeviceClocks before = new DeviceClocks(clock, AlignerOptions.defaults());
        long[] batch = times(73 * S, 50, 1_000_000);
        DeviceClocks.Mapping original = before.map("rig-01", "b1", batch);

        DeviceClocks after =
                new DeviceClocks(Clock.offset(clock, java.time.Duration.ofMinutes(5)), AlignerOptions.defaults());
        original.created().forEach(after::restore);

        assertThat(after.map("rig-01", "b1", batch).utcNanos()).isEqualTo(original.utcNanos());
    }

    @Test
    void aTakenOverBootGoesOnWhereThePreviousMapperLeftItUntilItsOwnFitIsMature() throws Exception {
        double drift = 40e-6;
        long tc0 = NOW_NANOS - 60 * S;
        DeviceClocks previous = new DeviceClocks(clock, AlignerOptions.defaults());
        for (int k = 0; k <= 30; k++) {
            previous.timecode("rig-01", "b1", 5 * S + Math.round(k * S * (1 + drift)), tc0 + k * S, FrameRate.FPS_25);
        }
        long lastDevice = 5 * S + Math.round(30 * S * (1 + drift));
        DeviceClocks.Mapping stored = previous.map("rig-01", "b1", new long[] {lastDevice});
        DeviceClocks.Segment last = stored.created().get(0);

        // The new owner restores what the previous one stored, then hears a few reports 3 ms off
        // (jitter), enough for a fit (8 pairs): a young fit of them would put the next samples 3 ms away from the
        // timeline.
        DeviceClocks next = new DeviceClocks(clock, AlignerOptions.defaults());
        stored.created().forEach(next::restore);
        for (int k = 31; k <= 40; k++) {
            next.timecode(
                    "rig-01", "b1", 5 * S + Math.round(k * S * (1 + drift)), tc0 + k * S + 3_000_000, FrameRate.FPS_25);
        }
        long later = last.startDeviceNanos() + last.lengthNanos() + 500_000_000;
        DeviceClocks.Mapping mapped = next.map("rig-01", "b1", new long[] {later});

        assertThat(mapped.created().get(0).lock()).isEqualTo(LockState.HOLDOVER);
        assertThat(mapped.utcNanos()[0]).isEqualTo(last.utcNanos(later));

        // Once its own fit spans 20 s, the new owner follows it.
        for (int k = 41; k <= 60; k++) {
            next.timecode(
                    "rig-01", "b1", 5 * S + Math.round(k * S * (1 + drift)), tc0 + k * S + 3_000_000, FrameRate.FPS_25);
        }
        DeviceClocks.Mapping mature = next.map("rig-01", "b1", new long[] {5 * S + Math.round(61 * S * (1 + drift))});
        assertThat(mature.created().get(0).lock()).isNotEqualTo(LockState.HOLDOVER);
    }

    @Test
    void lockedSegmentsFollowTheTimecodeFitAndItsDrift() throws Exception {
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        double drift = 40e-6;
        long tc0 = NOW_NANOS - 30 * S;
        // One report a second for 30 s: device time runs 40 ppm fast against timecode.
        for (int k = 0; k <= 30; k++) {
            long tc = tc0 + k * S;
            long device = 5 * S + Math.round(k * S * (1 + drift));
            clocks.timecode("rig-01", "b1", device, tc, FrameRate.FPS_25);
        }
        long device = 5 * S + Math.round(31 * S * (1 + drift));
        DeviceClocks.Mapping mapping = clocks.map("rig-01", "b1", new long[] {device});

        assertThat(mapping.created().get(0).lock()).isEqualTo(LockState.LOCKED);
        // DOMAIN.md: drift is (b - 1) * 1e6 of t_tc = a + b * t_dev, negative for a crystal running fast.
        assertThat(mapping.created().get(0).driftPpm())
                .as("drift")
                .isCloseTo(-40, org.assertj.core.data.Offset.offset(0.5));
        assertThat((double) mapping.utcNanos()[0]).isCloseTo(tc0 + 31 * S, org.assertj.core.data.Offset.offset(1e5));
        assertThat(clocks.states().get(0).clock().lock()).isEqualTo(LockState.LOCKED);
    }

    @Test
    void aNewBootStartsAfterTheRigsNewestSample() throws Exception {
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        clocks.restoreLatest("rig-01", NOW_NANOS + 10 * S);
        long[] utc = clocks.map("rig-01", "b2", times(2 * S, 10, 1_000_000)).utcNanos();

        assertThat(utc[0]).isGreaterThan(NOW_NANOS + 10 * S);
    }

    @Test
    void lockOfARigIsUnlockedUntilEnoughReportsThenLocked() throws Exception {
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        assertThat(clocks.lock("rig-01")).isEqualTo(LockState.UNLOCKED);

        for (int k = 0; k < AlignerOptions.defaults().minPairs(); k++) {
            clocks.timecode("rig-01", "b1", 5 * S + k * S, NOW_NANOS - 30 * S + k * S, FrameRate.FPS_25);
        }

        assertThat(clocks.lock("rig-01")).isEqualTo(LockState.LOCKED);
        assertThat(clocks.lock("rig-02")).isEqualTo(LockState.UNLOCKED);
    }

    // --- implausible time (issue 14) ------------------------------------------------------------

    /** A hundred years of device time, as a rig whose timer jumped would send it. */
    private static final long CENTURY = Duration.ofDays(36_525).toNanos();

    private final ManualClock manual = new ManualClock(NOW);

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * S + instant.getNano();
    }

    @Test
    void refusesABatchWhoseDeviceTimeJumpsFarAheadOfTheCollectorsClockWithinABoot() throws Exception {
        DeviceClocks clocks = new DeviceClocks(manual, AlignerOptions.defaults());
        clocks.map("rig-01", "b1", times(73 * S, 50, 1_000_000));
        manual.advance(Duration.ofSeconds(1));

        assertThatThrownBy(() -> clocks.map("rig-01", "b1", times(74 * S + CENTURY, 50, 1_000_000)))
                .isInstanceOfSatisfying(ImplausibleTimeException.class, e -> {
                    assertThat(e.alerts()).singleElement().satisfies(alert -> {
                        assertThat(alert.type()).isEqualTo(ClockAlert.Type.IMPLAUSIBLE_TIME);
                        assertThat(alert.type().tag()).isEqualTo("implausible-time");
                        // Seconds the device ran ahead of the collector's clock since the last message.
                        assertThat(alert.value()).isCloseTo(CENTURY / 1e9, org.assertj.core.data.Offset.offset(1.0));
                    });
                    assertThat(e.getMessage()).contains("device time");
                });

        // Nothing of it stuck: the boot goes on where it was, and a new boot starts now, not in 2126.
        long[] next = clocks.map("rig-01", "b1", times(74 * S, 50, 1_000_000)).utcNanos();
        assertThat(next[49]).isEqualTo(nanos(manual.instant()));
        long[] newBoot = clocks.map("rig-01", "b2", times(2 * S, 10, 1_000_000)).utcNanos();
        assertThat(newBoot[9]).isBetween(nanos(manual.instant()), nanos(manual.instant()) + S);
    }

    @Test
    void deviceTimeMayRunAheadOfTheCollectorsClockByUpToTenMinutes() throws Exception {
        DeviceClocks clocks = new DeviceClocks(manual, AlignerOptions.defaults());
        clocks.map("rig-01", "b1", times(73 * S, 50, 1_000_000));
        manual.advance(Duration.ofHours(2));
        // Two hours of device time in two hours: a rig that was away, not a jump.
        clocks.map("rig-01", "b1", times(73 * S + Duration.ofHours(2).toNanos(), 50, 1_000_000));
        long last = 73 * S + Duration.ofHours(2).toNanos() + 49 * 1_000_000L;

        clocks.map("rig-01", "b1", new long[] {last + Duration.ofMinutes(9).toNanos()});
        assertThatThrownBy(() -> clocks.map("rig-01", "b1", new long[] {
                    last + Duration.ofMinutes(9 + 11).toNanos()
                }))
                .isInstanceOf(ImplausibleTimeException.class);
    }

    @Test
    void refusesASampleThatAnOldSegmentWouldPutFarAheadOfTheCollectorsClock() throws Exception {
        // After a restart the boot's segments are back, but not its last message: a jump in the
        // first batch is caught by where it would be stored.
        DeviceClocks clocks = new DeviceClocks(manual, AlignerOptions.defaults());
        clocks.restore(new DeviceClocks.Segment("rig-01", "b1", 73 * S, S, NOW_NANOS, 1.0, LockState.UNLOCKED, 0, 0));

        assertThatThrownBy(() -> clocks.map("rig-01", "b1", times(80 * S + CENTURY, 10, 1_000_000)))
                .isInstanceOfSatisfying(ImplausibleTimeException.class, e -> assertThat(e.getMessage())
                        .contains("ahead"));
        assertThat(clocks.map("rig-01", "b1", times(75 * S, 10, 1_000_000)).utcNanos()[0])
                .isEqualTo(NOW_NANOS + 2 * S);
    }

    @Test
    void refusesATimecodeReportDatedFarAheadOfTheCollectorsClockButNotATimeOfDayHoursAway() throws Exception {
        DeviceClocks clocks = new DeviceClocks(manual, AlignerOptions.defaults());

        assertThatThrownBy(() -> clocks.timecode("rig-01", "b1", 5 * S, NOW_NANOS + CENTURY, FrameRate.FPS_25))
                .isInstanceOf(ImplausibleTimeException.class);
        assertThat(clocks.lock("rig-01")).isEqualTo(LockState.UNLOCKED);

        // Timecode of the shooting day 20 h ahead of the collector's clock (a free-running generator
        // set to another time of day): it is the rig's timeline, and its samples follow it.
        long tc0 = NOW_NANOS + Duration.ofHours(20).toNanos();
        for (int k = 0; k < AlignerOptions.defaults().minPairs(); k++) {
            clocks.timecode("rig-01", "b1", 5 * S + k * S, tc0 + k * S, FrameRate.FPS_25);
            manual.advance(Duration.ofSeconds(1));
        }
        assertThat(clocks.lock("rig-01")).isEqualTo(LockState.LOCKED);
        long[] utc = clocks.map("rig-01", "b1", times(13 * S, 10, 1_000_000)).utcNanos();
        assertThat((double) utc[0]).isCloseTo(tc0 + 8 * S, org.assertj.core.data.Offset.offset(1e6));
    }

    @Test
    void aNewBootIsNotAnchoredAfterAStoredSampleFarAheadOfTheCollectorsClock() throws Exception {
        DeviceClocks clocks = new DeviceClocks(manual, AlignerOptions.defaults());
        clocks.restoreLatest("rig-01", NOW_NANOS + CENTURY);
        clocks.restoreLatest("rig-02", NOW_NANOS + Duration.ofMinutes(5).toNanos());

        long[] poisoned =
                clocks.map("rig-01", "b2", times(2 * S, 10, 1_000_000)).utcNanos();
        long[] near = clocks.map("rig-02", "b2", times(2 * S, 10, 1_000_000)).utcNanos();

        assertThat(poisoned[9]).isEqualTo(NOW_NANOS);
        assertThat(near[0]).isGreaterThan(NOW_NANOS + Duration.ofMinutes(5).toNanos());
    }

    @Test
    void raisesTheAlertAtMostOnceAMinutePerRig() throws Exception {
        DeviceClocks clocks = new DeviceClocks(manual, AlignerOptions.defaults());
        clocks.map("rig-01", "b1", times(73 * S, 50, 1_000_000));
        java.util.List<Integer> alerts = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try {
                clocks.map("rig-01", "b1", new long[] {CENTURY + i * S});
            } catch (ImplausibleTimeException e) {
                alerts.add(e.alerts().size());
            }
            manual.advance(Duration.ofSeconds(30));
        }

        assertThat(alerts).containsExactly(1, 0, 1);
    }

    @Test
    void aBatchedReportFitsTheClockExactlyAsItsFramesSentOneByOne() throws Exception {
        DeviceClocks batched = new DeviceClocks(clock, AlignerOptions.defaults());
        DeviceClocks single = new DeviceClocks(clock, AlignerOptions.defaults());
        long frame = S / 25;
        for (int report = 0; report < 20; report++) {
            // 5 frames a report, the device clock 40 ppm fast and a few microseconds of jitter.
            long[] device = new long[5];
            long[] utc = new long[5];
            for (int i = 0; i < 5; i++) {
                int f = report * 5 + i;
                utc[i] = NOW_NANOS - 10 * S + f * frame;
                device[i] = 73 * S + f * frame + f * frame * 40 / 1_000_000 + (f % 3) * 7_000;
                single.timecode("rig-01", "b1", device[i], utc[i], FrameRate.FPS_25);
            }
            batched.timecode("rig-01", "b1", device, utc, FrameRate.FPS_25);
        }

        long[] probe = times(77 * S, 10, 1_000_000);
        assertThat(batched.lock("rig-01")).isEqualTo(single.lock("rig-01"));
        assertThat(batched.map("rig-01", "b1", probe).utcNanos())
                .isEqualTo(single.map("rig-01", "b1", probe).utcNanos());
    }

    @Test
    void aBatchedReportWhoseLastFrameIsImplausibleIsRefusedWhole() throws Exception {
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        long frame = S / 25;
        // The last frame lands just over 25 h ahead of the collector's clock; the first ones do not.
        long lastUtc = NOW_NANOS + DeviceClocks.MAX_TIMECODE_AHEAD.toNanos() + frame / 2;
        long[] utc = times(lastUtc - 4 * frame, 5, frame);
        long[] device = times(73 * S, 5, frame);

        assertThatThrownBy(() -> clocks.timecode("rig-01", "b1", device, utc, FrameRate.FPS_25))
                .isInstanceOf(ImplausibleTimeException.class);
        assertThat(clocks.states()).allMatch(state -> state.rate().isEmpty());
        assertThat(clocks.lock("rig-01")).isEqualTo(LockState.UNLOCKED);
    }
}
