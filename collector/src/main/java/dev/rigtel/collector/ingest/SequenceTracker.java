package dev.rigtel.collector.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows each rig's per-kind sequence numbers and device times to make lost, repeated and
 * out-of-time messages visible. A new boot starts again. A duplicate (a sequence number already
 * seen, as a QoS 1 re-send after a reconnect) is still stored: it maps to the same timestamps and
 * overwrites itself. A gap cannot be filled, only counted. A new message whose device time does not
 * start after the previous message's end went backwards: {@link Observation#backwards()}, and the
 * caller refuses it, because its samples would overwrite others.
 */
public final class SequenceTracker {

    /** What a sequence number says about the stream. */
    public record Observation(long missing, boolean duplicate, boolean reset, boolean backwards) {
        static final Observation IN_ORDER = new Observation(0, false, false, false);
    }

    private record Key(String rig, MessageKind kind) {}

    private record Last(String boot, long seq, long lastDeviceNanos) {}

    private final Map<Key, Last> last = new ConcurrentHashMap<>();

    /**
     * @param firstDeviceNanos device time of the message's first sample (or of the report)
     * @param lastDeviceNanos device time of its last sample (or of the report)
     */
    public Observation observe(
            RigId rig, MessageKind kind, String boot, long seq, long firstDeviceNanos, long lastDeviceNanos) {
        Observation[] result = {Observation.IN_ORDER};
        last.compute(new Key(rig.value(), kind), (key, previous) -> {
            if (previous == null || !previous.boot().equals(boot)) {
                return new Last(boot, seq, lastDeviceNanos);
            }
            if (seq > previous.seq()) {
                if (firstDeviceNanos <= previous.lastDeviceNanos()) {
                    result[0] = new Observation(0, false, false, true);
                    return previous;
                }
                long missing = seq - previous.seq() - 1;
                result[0] = missing == 0 ? Observation.IN_ORDER : new Observation(missing, false, false, false);
                return new Last(boot, seq, lastDeviceNanos);
            }
            // Re-sent after a reconnect (QoS 1 redelivery), or far back: a counter reset.
            boolean duplicate = previous.seq() - seq < 1024;
            result[0] = new Observation(0, duplicate, !duplicate, false);
            return duplicate ? previous : new Last(boot, seq, lastDeviceNanos);
        });
        return result[0];
    }
}
