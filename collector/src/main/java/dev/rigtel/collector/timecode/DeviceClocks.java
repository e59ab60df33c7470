package dev.rigtel.collector.timecode;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps each rig's device clock to UTC. A rig's device clock restarts at every boot, so each
 * {@code (rig, boot)} gets an anchor the first time it is seen: UTC now minus the device time of
 * the newest sample, moved later if needed so that the rig's new samples never share a timestamp
 * with samples it already stored from an earlier boot. Anchors are persisted by the caller
 * (measurement {@code rig_boot}) and {@link #restore restored} at start, so a batch re-sent after
 * a reconnect or a restart maps to the same timestamps and overwrites itself instead of being
 * stored twice. Timecode alignment refines this mapping; the anchor stays as its fallback.
 *
 * <p>Thread-safe; never blocks.
 */
public final class DeviceClocks {

    /** The anchor of a boot; {@code created} is true the first time, when the caller must persist it. */
    public record Anchor(long anchorNanos, boolean created) {
        public long utcNanos(long deviceNanos) {
            return anchorNanos + deviceNanos;
        }
    }

    private record BootKey(String rig, String boot) {}

    /** Larger than the error of a nanosecond time read back through JSON as a double (256 ns). */
    private static final long MIN_STEP_NANOS = 1_000;

    private final Clock clock;
    private final Map<BootKey, Long> anchors = new ConcurrentHashMap<>();
    private final Map<String, Long> latestNanos = new ConcurrentHashMap<>();

    public DeviceClocks(Clock clock) {
        this.clock = clock;
    }

    /**
     * The anchor for a boot, creating it if new, and records that the rig now has samples up to
     * {@code lastDeviceNanos}.
     */
    public Anchor anchor(String rig, String boot, long firstDeviceNanos, long lastDeviceNanos) {
        boolean[] created = new boolean[1];
        long anchor = anchors.computeIfAbsent(new BootKey(rig, boot), key -> {
            created[0] = true;
            long fromNow = nowNanos() - lastDeviceNanos;
            Long latest = latestNanos.get(rig);
            return latest == null ? fromNow : Math.max(fromNow, latest + MIN_STEP_NANOS - firstDeviceNanos);
        });
        latestNanos.merge(rig, anchor + lastDeviceNanos, Math::max);
        return new Anchor(anchor, created[0]);
    }

    /** Restores a persisted anchor (at start, from storage). */
    public void restore(String rig, String boot, long anchorNanos) {
        anchors.put(new BootKey(rig, boot), anchorNanos);
    }

    /** Restores the newest stored sample time of a rig (at start, from storage). */
    public void restoreLatest(String rig, long utcNanos) {
        latestNanos.merge(rig, utcNanos, Math::max);
    }

    public int size() {
        return anchors.size();
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
