package dev.rigtel.collector.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows each rig's per-kind sequence numbers to make lost and repeated messages visible. A new
 * boot starts counting again. Only counts: a duplicate is still stored (it overwrites itself, since
 * it maps to the same timestamps), a gap cannot be filled.
 */
public final class SequenceTracker {

    /** What a sequence number says about the stream. */
    public record Observation(long missing, boolean duplicate, boolean reset) {
        static final Observation IN_ORDER = new Observation(0, false, false);
    }

    private record Key(String rig, MessageKind kind) {}

    private record Last(String boot, long seq) {}

    private final Map<Key, Last> last = new ConcurrentHashMap<>();

    public Observation observe(RigId rig, MessageKind kind, String boot, long seq) {
        Observation[] result = {Observation.IN_ORDER};
        last.compute(new Key(rig.value(), kind), (key, previous) -> {
            if (previous == null || !previous.boot().equals(boot)) {
                return new Last(boot, seq);
            }
            if (seq == previous.seq() + 1) {
                return new Last(boot, seq);
            }
            if (seq > previous.seq() + 1) {
                result[0] = new Observation(seq - previous.seq() - 1, false, false);
                return new Last(boot, seq);
            }
            // Re-sent after a reconnect (QoS 1 redelivery) or far back: a counter reset.
            boolean duplicate = previous.seq() - seq < 1024;
            result[0] = new Observation(0, duplicate, !duplicate);
            return duplicate ? previous : new Last(boot, seq);
        });
        return result[0];
    }
}
