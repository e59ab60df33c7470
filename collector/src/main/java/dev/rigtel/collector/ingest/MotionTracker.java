package dev.rigtel.collector.ingest;

import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.MotionEvent;
import dev.rigtel.collector.motion.MotionSink;
import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.motion.Rollup;
import dev.rigtel.collector.motion.TakeSummarizer;
import dev.rigtel.collector.store.PointBatch;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeBook;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Motion analytics as the data arrives: feeds each rig's samples, in time order and once each, to
 * its {@link RigMotion} (rollups and events, added to the message's {@link PointBatch} and told to
 * the {@link IngestEvents}) and, {@link #HELD_SAMPLES} samples or {@link #GRACE_NANOS} later, to the
 * {@link TakeSummarizer} of the take they belong to; a take's summaries are stored once it has been
 * cut for {@link #GRACE_NANOS}, so samples still in flight are counted, and a roll or cut that comes
 * after the samples around it still splits them where the slate says.
 *
 * <p>Thread-safe: each rig's state is guarded by its own lock, held while its rollups and events
 * are published live (so they leave in stream order). State is in memory only: where a
 * live summary cannot be exact (a restart during the take, a roll or cut that arrived after the
 * samples around it had been summarised), the take is handed back to be recomputed from storage.
 */
public final class MotionTracker {

    /** How long after a cut a take's live summaries wait for late samples. */
    static final long GRACE_NANOS = 3_000_000_000L;

    /**
     * Least time between two live traces of a rig (collector clock): the bins of the batches accepted
     * in between go out together in the next, at most 4 messages a second per rig whatever the rig's
     * batch length (a rig in 20 ms batches sent 50). The dashboard redraws its plots every 250 ms: a
     * message more often only costs a wake-up on both sides (./rigtel bench, resources part).
     */
    public static final long TRACE_INTERVAL_MILLIS = 250;

    /**
     * Bins that go out at once, whatever the interval: a backlog re-sent after a reconnect arrives
     * faster than real time, and a trace stays one small message (with the bins of the batch that
     * reached this, at most this plus one batch's).
     */
    public static final int MAX_TRACE_BINS = 256;

    /** A take whose live summary of one rig could not be exact, to be recomputed from storage. */
    record Recompute(String rig, Take take) {}

    /** A take's summarizer for one rig, with the first and last sample time it was fed. */
    private static final class Open {
        Take take;
        final TakeSummarizer summarizer;
        final long firstNanos;
        long lastNanos;

        Open(Take take, TakeSummarizer summarizer, long firstNanos) {
            this.take = take;
            this.summarizer = summarizer;
            this.firstNanos = firstNanos;
        }
    }

    private final MotionConfig config;
    private final TakeBook takes;
    private final IngestEvents live;
    private final Map<String, RigState> rigs = new ConcurrentHashMap<>();

    /**
     * Samples held back from the take summaries, per rig: a sample is summarised once this many newer
     * samples have come (2 s at 1 kHz, 10 s at 200 Hz), or when a take it may belong to is finished.
     * So a roll or a cut that reaches the collector after the rig's samples around it (the slate
     * travels its own way, over the set's Wi-Fi) still splits them where the slate says, and the take
     * gets an exact live summary instead of a recomputation from storage.
     */
    static final int HELD_SAMPLES = 2048; // a power of two: the ring's indices are masked

    private final class RigState implements MotionSink {
        final String rig;
        final RigMotion motion = new RigMotion(config);
        final long[] heldNanos = new long[HELD_SAMPLES];
        final double[] heldValues = new double[HELD_SAMPLES * ImuBatch.VALUES_PER_SAMPLE];
        /** Index of the oldest held sample, and how many are held. */
        int heldFirst;

        int heldCount;
        final List<Open> open = new ArrayList<>();
        long lastNanos = Long.MIN_VALUE;
        Open current;
        /** The batch of the message being fed, while it is. */
        PointBatch points;
        /** The rollup the last sample closed, published once RigMotion has returned (MotionSink rule). */
        Rollup closed;
        /** The samples since the last live trace in 20 ms bins. */
        final TraceBins trace = new TraceBins();
        /** When the last live trace went, and when the newest batch in {@link #trace} arrived. */
        long traceSentMillis = Long.MIN_VALUE / 2;

        long traceReceivedMillis;

        RigState(String rig) {
            this.rig = rig;
        }

        @Override
        public void rollup(Rollup r) {
            points.rollup(MotionPoints.rollup(rig, r));
            closed = r;
        }

        @Override
        public void event(MotionEvent e) {
            points.motionEvent(MotionPoints.event(rig, e));
            live.event(rig, e);
        }

        /** Picks up the cuts that came for the open takes since they were last looked at. */
        void refreshOpenTakes() {
            for (Open o : open) {
                if (o.take.rolling()) {
                    o.take = takes.take(o.take.id()).orElse(o.take);
                }
            }
        }

        Open takeFor(long utcNanos) {
            if (current != null && covers(current.take, utcNanos)) {
                return current;
            }
            for (Open o : open) {
                if (covers(o.take, utcNanos)) {
                    current = o;
                    return o;
                }
            }
            Optional<Take> take = takes.takeAt(utcNanos);
            if (take.isEmpty()) {
                return null;
            }
            current = new Open(take.get(), new TakeSummarizer(config), utcNanos);
            open.add(current);
            return current;
        }

        void hold(long t, double[] values, int offset) {
            if (heldCount == HELD_SAMPLES) {
                summariseOldest();
            }
            int at = (heldFirst + heldCount) & (HELD_SAMPLES - 1);
            heldNanos[at] = t;
            // Six stores: System.arraycopy's call costs more than it copies at this length.
            int h = at * ImuBatch.VALUES_PER_SAMPLE;
            heldValues[h] = values[offset];
            heldValues[h + 1] = values[offset + 1];
            heldValues[h + 2] = values[offset + 2];
            heldValues[h + 3] = values[offset + 3];
            heldValues[h + 4] = values[offset + 4];
            heldValues[h + 5] = values[offset + 5];
            heldCount++;
        }

        /** Feeds the held samples before {@code endNanos} to the takes they belong to. */
        void summariseBefore(long endNanos) {
            while (heldCount > 0 && heldNanos[heldFirst] < endNanos) {
                summariseOldest();
            }
        }

        private void summariseOldest() {
            long t = heldNanos[heldFirst];
            Open take = takeFor(t);
            if (take != null) {
                int o = heldFirst * ImuBatch.VALUES_PER_SAMPLE;
                take.summarizer.accept(
                        t,
                        heldValues[o],
                        heldValues[o + 1],
                        heldValues[o + 2],
                        heldValues[o + 3],
                        heldValues[o + 4],
                        heldValues[o + 5]);
                take.lastNanos = t;
            }
            heldFirst = (heldFirst + 1) & (HELD_SAMPLES - 1);
            heldCount--;
        }
    }

    /**
     * @param takes the take book the ingest path fills
     * @param events where rollups, events and the live trace are told
     */
    public MotionTracker(MotionConfig config, TakeBook takes, IngestEvents events) {
        this.config = config;
        this.takes = takes;
        this.live = events;
    }

    private static boolean covers(Take take, long utcNanos) {
        return utcNanos >= take.startNanos()
                && (take.rolling() || utcNanos < take.endNanos().getAsLong());
    }

    /**
     * Feeds one batch of a rig; adds the rollups and events it completes to {@code points}, and
     * tells the batch's new samples to the live trace (samples already seen are not in it).
     *
     * @param receivedMillis when the batch arrived, collector clock, for the live trace
     */
    void accept(String rig, long[] utcNanos, double[] values, PointBatch points, long receivedMillis) {
        RigState state = rigs.computeIfAbsent(rig, RigState::new);
        boolean tracing = live.enabled();
        synchronized (state) {
            state.points = points;
            state.refreshOpenTakes();
            for (int i = 0; i < utcNanos.length; i++) {
                long t = utcNanos[i];
                if (t <= state.lastNanos) {
                    continue; // already seen: a re-sent batch, or a sample mapped behind the newest
                }
                state.lastNanos = t;
                int o = i * ImuBatch.VALUES_PER_SAMPLE;
                double ax = values[o];
                double ay = values[o + 1];
                double az = values[o + 2];
                double gx = values[o + 3];
                double gy = values[o + 4];
                double gz = values[o + 5];
                state.motion.accept(t, ax, ay, az, gx, gy, gz, state);
                if (tracing) {
                    // The motion code's own figures of this sample: no second pass over the batch.
                    state.trace.add(t, state.motion.accelG(), state.motion.yawRateDps());
                }
                if (state.closed != null) {
                    // The yaw rate as of the sample that closed the second (the first of the next).
                    live.rollup(rig, state.closed, state.motion.yawRateDps());
                    state.closed = null;
                }
                state.hold(t, values, o);
            }
            state.points = null;
            if (state.trace.size() > 0) {
                state.traceReceivedMillis = receivedMillis;
                traceIfDue(state, receivedMillis);
            }
        }
    }

    /**
     * Tells the rig's pending trace bins if {@link #TRACE_INTERVAL_MILLIS} passed since its last, or
     * if {@link #MAX_TRACE_BINS} wait.
     */
    private void traceIfDue(RigState state, long nowMillis) {
        int bins = state.trace.size();
        if (bins > 0 && (nowMillis - state.traceSentMillis >= TRACE_INTERVAL_MILLIS || bins >= MAX_TRACE_BINS)) {
            live.trace(state.rig, state.traceReceivedMillis, state.trace);
            state.trace.clear();
            state.traceSentMillis = nowMillis;
        }
    }

    /**
     * Tells the trace bins that wait for a rig's next batch, if their interval has passed (a rig that
     * stopped sending): called every second.
     */
    void flushTraces(long nowMillis) {
        for (RigState state : rigs.values()) {
            synchronized (state) {
                traceIfDue(state, nowMillis);
            }
        }
    }

    /**
     * Adds to {@code points} the live summaries of takes cut more than {@link #GRACE_NANOS} before
     * {@code nowNanos}. A live summary is exact when it saw the take from its roll and nothing after
     * its cut; where not, the rig is added to {@code recompute}.
     */
    void finishEndedTakes(long nowNanos, PointBatch points, List<Recompute> recompute) {
        for (RigState state : rigs.values()) {
            synchronized (state) {
                state.refreshOpenTakes();
                // The slate is taken to have told every roll and cut before this (the grace rule).
                state.summariseBefore(nowNanos - GRACE_NANOS);
                for (Iterator<Open> it = state.open.iterator(); it.hasNext(); ) {
                    Open o = it.next();
                    Take latest = takes.take(o.take.id()).orElse(o.take);
                    if (latest.rolling() || nowNanos - latest.endNanos().getAsLong() < GRACE_NANOS) {
                        continue;
                    }
                    it.remove();
                    if (state.current == o) {
                        state.current = null;
                    }
                    long step = Math.max(1, state.motion.medianIntervalNanos()) * 2;
                    boolean fromRoll = o.firstNanos - latest.startNanos() <= step;
                    boolean untilCut = o.lastNanos < latest.endNanos().getAsLong();
                    if (fromRoll && untilCut) {
                        points.takeSummary(MotionPoints.summary(state.rig, latest, o.summarizer.finish(), "live"));
                    } else {
                        recompute.add(new Recompute(state.rig, latest));
                    }
                }
            }
        }
    }

    /** The current yaw rate about the vertical of each rig (deg/s), for live views. */
    Map<String, Double> yawRatesDps() {
        Map<String, Double> out = new TreeMap<>();
        rigs.forEach((rig, state) -> {
            synchronized (state) {
                out.put(rig, state.motion.yawRateDps());
            }
        });
        return out;
    }
}
