package dev.rigtel.collector.testing;

import dev.rigtel.collector.store.AlertPoint;
import dev.rigtel.collector.store.ClockSegmentPoint;
import dev.rigtel.collector.store.CommandPoint;
import dev.rigtel.collector.store.ImportClipPoint;
import dev.rigtel.collector.store.MotionEventPoint;
import dev.rigtel.collector.store.PointBatch;
import dev.rigtel.collector.store.RollupPoint;
import dev.rigtel.collector.store.SlatePoint;
import dev.rigtel.collector.store.StatusPoint;
import dev.rigtel.collector.store.StoreWrites;
import dev.rigtel.collector.store.TakeSummaryPoint;
import dev.rigtel.collector.store.TimecodePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link StoreWrites} in memory that keeps the typed points of every offered batch, in order, and
 * acknowledges each at once. Sequence numbers count the offered batches from 1.
 */
public final class RecordingWrites implements StoreWrites {

    /** One IMU call of a batch, with copies of its arrays. */
    public record Imu(String rig, long[] utcNanos, double[] values, long[] deviceNanos) {}

    /** An offered batch: its points in the order they were added. */
    public record Offered(long sequence, List<Object> points) {

        public <T> List<T> of(Class<T> type) {
            return points.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    private final List<Offered> offered = new CopyOnWriteArrayList<>();
    private volatile boolean overCapacity;

    @Override
    public PointBatch batch(int imuSamples) {
        return new Batch();
    }

    @Override
    public boolean overCapacity() {
        return overCapacity;
    }

    @Override
    public void whenBelowLowWatermark(Runnable resume) {
        resume.run();
    }

    public void overCapacity(boolean over) {
        this.overCapacity = over;
    }

    /** Every offered batch, oldest first. */
    public List<Offered> offered() {
        return List.copyOf(offered);
    }

    /** Every offered point of {@code type}, in order. */
    public <T> List<T> points(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Offered o : offered) {
            found.addAll(o.of(type));
        }
        return found;
    }

    private final class Batch implements PointBatch {
        private final List<Object> points = new ArrayList<>();
        private int count;

        private PointBatch add(Object point) {
            points.add(point);
            count++;
            return this;
        }

        @Override
        public PointBatch imu(String rig, long[] utcNanos, double[] values, long[] deviceNanos) {
            points.add(new Imu(rig, utcNanos.clone(), values.clone(), deviceNanos.clone()));
            count += deviceNanos.length;
            return this;
        }

        @Override
        public PointBatch clockSegment(ClockSegmentPoint segment) {
            return add(segment);
        }

        @Override
        public PointBatch timecode(TimecodePoint timecode) {
            return add(timecode);
        }

        @Override
        public PointBatch status(StatusPoint status) {
            return add(status);
        }

        @Override
        public PointBatch alert(AlertPoint alert) {
            return add(alert);
        }

        @Override
        public PointBatch rollup(RollupPoint rollup) {
            return add(rollup);
        }

        @Override
        public PointBatch motionEvent(MotionEventPoint event) {
            return add(event);
        }

        @Override
        public PointBatch takeSummary(TakeSummaryPoint summary) {
            return add(summary);
        }

        @Override
        public PointBatch slate(SlatePoint event) {
            return add(event);
        }

        @Override
        public PointBatch command(CommandPoint command) {
            return add(command);
        }

        @Override
        public PointBatch importClip(ImportClipPoint clip) {
            return add(clip);
        }

        @Override
        public int points() {
            return count;
        }

        @Override
        public long offer(Runnable onStored, Runnable onLost) {
            if (count == 0) {
                onStored.run();
                return 0;
            }
            long sequence;
            synchronized (offered) {
                sequence = offered.size() + 1;
                offered.add(new Offered(sequence, List.copyOf(points)));
            }
            onStored.run();
            return sequence;
        }
    }
}
