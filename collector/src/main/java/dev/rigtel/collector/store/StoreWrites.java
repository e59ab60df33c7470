package dev.rigtel.collector.store;

/**
 * The typed write port: everything the collector stores goes through it, as typed points; how they
 * are encoded (InfluxDB line protocol, {@link Schema}) is the store's alone. One {@link PointBatch}
 * per message or tick: its points reach the spool together, as one record, and are acknowledged
 * together.
 *
 * <p>Thread-safe: any thread may open and offer batches; a batch itself belongs to one thread.
 */
public interface StoreWrites {

    /**
     * A new, empty batch.
     *
     * @param imuSamples about how many IMU samples it will hold (0 for none): its buffer is sized
     *     once for them, so that a large batch does not grow and copy itself several times
     */
    PointBatch batch(int imuSamples);

    /**
     * A new, empty batch of points from another source than the rigs' boards (e.g. {@code gopro}):
     * its IMU samples, rollups and motion events carry the tag {@code source}. Points without the tag
     * (every live one) are the rigs' own ({@code rig}). Holds IMU samples, rollups, motion events and
     * take summaries only.
     */
    default PointBatch batch(int imuSamples, String source) {
        throw new UnsupportedOperationException("this store keeps no source tag");
    }

    /** True while the store holds more unwritten data than it should; intake stops reading then. */
    boolean overCapacity();

    /** Runs {@code resume} once the store has drained enough to read again. */
    void whenBelowLowWatermark(Runnable resume);
}
