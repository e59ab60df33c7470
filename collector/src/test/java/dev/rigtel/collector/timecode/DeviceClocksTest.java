package dev.rigtel.collector.timecode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
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
    void withoutTimecodeABootIsAnchoredToTheCollectorClockAtItsFirstMessage() {
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        DeviceClocks.Mapping mapping = clocks.map("rig-01", "b1", times(73 * S, 50, 1_000_000));

        assertThat(mapping.utcNanos()[49]).isEqualTo(NOW_NANOS);
        assertThat(mapping.utcNanos()[1] - mapping.utcNanos()[0]).isEqualTo(1_000_000);
        assertThat(mapping.created()).hasSize(1);
        assertThat(mapping.created().get(0).lock()).isEqualTo(LockState.UNLOCKED);
    }

    @Test
    void aResentBatchMapsToTheSameTimestampsAndCreatesNoSegment() {
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        long[] batch = times(73 * S, 50, 1_000_000);
        long[] first = clocks.map("rig-01", "b1", batch).utcNanos();
        DeviceClocks.Mapping again = clocks.map("rig-01", "b1", batch);

        assertThat(again.utcNanos()).isEqualTo(first);
        assertThat(again.created()).isEmpty();
    }

    @Test
    void restoredSegmentsMapExactlyAsBeforeARestart() {
        DeviceClocks before = new DeviceClocks(clock, AlignerOptions.defaults());
        long[] batch = times(73 * S, 50, 1_000_000);
        DeviceClocks.Mapping original = before.map("rig-01", "b1", batch);

        DeviceClocks after =
                new DeviceClocks(Clock.offset(clock, java.time.Duration.ofMinutes(5)), AlignerOptions.defaults());
        original.created().forEach(after::restore);

        assertThat(after.map("rig-01", "b1", batch).utcNanos()).isEqualTo(original.utcNanos());
    }

    @Test
    void lockedSegmentsFollowTheTimecodeFitAndItsDrift() {
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
    void aNewBootStartsAfterTheRigsNewestSample() {
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        clocks.restoreLatest("rig-01", NOW_NANOS + 10 * S);
        long[] utc = clocks.map("rig-01", "b2", times(2 * S, 10, 1_000_000)).utcNanos();

        assertThat(utc[0]).isGreaterThan(NOW_NANOS + 10 * S);
    }

    @Test
    void lockOfARigIsUnlockedUntilEnoughReportsThenLocked() {
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        assertThat(clocks.lock("rig-01")).isEqualTo(LockState.UNLOCKED);

        for (int k = 0; k < AlignerOptions.defaults().minPairs(); k++) {
            clocks.timecode("rig-01", "b1", 5 * S + k * S, NOW_NANOS - 30 * S + k * S, FrameRate.FPS_25);
        }

        assertThat(clocks.lock("rig-01")).isEqualTo(LockState.LOCKED);
        assertThat(clocks.lock("rig-02")).isEqualTo(LockState.UNLOCKED);
    }
}
