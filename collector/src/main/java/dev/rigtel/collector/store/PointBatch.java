package dev.rigtel.collector.store;

/**
 * The points of one message (or one tick), added by type and offered to the store together. Not
 * thread-safe: one thread fills and offers it, once.
 */
public interface PointBatch {

    /**
     * IMU samples of {@code rig} on the production timeline, one point each.
     *
     * @param utcNanos each sample's production time
     * @param values {@code ax, ay, az} (m/s^2) and {@code gx, gy, gz} (deg/s) of each sample in turn,
     *     six per sample
     * @param deviceNanos each sample's device time
     */
    PointBatch imu(String rig, long[] utcNanos, double[] values, long[] deviceNanos);

    /**
     * IMU samples of a packed batch, as {@link #imu}: each value is an int16 count times {@code
     * accelPerCount} (the first three of a sample, m/s^2) or {@code gyroPerCount} (the last three,
     * deg/s), computed as {@code count * perCount}. The store may keep the counts rather than the
     * values; what it writes is the same. By default the values are stored as {@link #imu} does.
     */
    default PointBatch imuCounts(
            String rig,
            long[] utcNanos,
            double[] values,
            long[] deviceNanos,
            double accelPerCount,
            double gyroPerCount) {
        return imu(rig, utcNanos, values, deviceNanos);
    }

    PointBatch clockSegment(ClockSegmentPoint segment);

    PointBatch timecode(TimecodePoint timecode);

    PointBatch status(StatusPoint status);

    PointBatch alert(AlertPoint alert);

    PointBatch rollup(RollupPoint rollup);

    PointBatch motionEvent(MotionEventPoint event);

    PointBatch takeSummary(TakeSummaryPoint summary);

    PointBatch slate(SlatePoint event);

    PointBatch command(CommandPoint command);

    /** An imported camera clip's share of a take ({@code import_clip}). */
    PointBatch importClip(ImportClipPoint clip);

    /** The number of points added so far. */
    int points();

    /**
     * Hands the points to the store; never blocks on the database and never refuses (the caller
     * checks {@link StoreWrites#overCapacity()} afterwards). A batch without points runs {@code
     * onStored} at once.
     *
     * @param onStored runs (on the spool's thread) once the points are durable
     * @param onLost runs instead if the store could not make them durable (a failed fsync): nothing
     *     was acknowledged, and the publisher must send them again
     * @return the store's sequence number of the batch (the spool record: {@code
     *     WriteBuffer#storedThrough} passes it once the points are in the database), 0 if empty
     */
    long offer(Runnable onStored, Runnable onLost);

    /** {@link #offer(Runnable, Runnable)} where a loss needs no answer. */
    default long offer(Runnable onStored) {
        return offer(onStored, () -> {});
    }

    /** Offers the points if there are any; nothing to acknowledge. */
    default void offerIfAny() {
        if (points() > 0) {
            offer(() -> {});
        }
    }
}
