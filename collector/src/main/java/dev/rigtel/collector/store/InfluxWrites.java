package dev.rigtel.collector.store;

/**
 * The {@link StoreWrites} of InfluxDB: each batch is encoded as line protocol and appended to the
 * spool of the {@link WriteBuffer}, whose writers drain it into InfluxDB (or discard it with {@code
 * --store discard}).
 */
public final class InfluxWrites implements StoreWrites {

    private final WriteBuffer buffer;

    public InfluxWrites(WriteBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public PointBatch batch(int imuSamples) {
        return new LineBatch(buffer, imuSamples);
    }

    @Override
    public PointBatch batch(int imuSamples, String source) {
        return new SourcedLineBatch(buffer, imuSamples, source);
    }

    @Override
    public boolean overCapacity() {
        return buffer.overCapacity();
    }

    @Override
    public void whenBelowLowWatermark(Runnable resume) {
        buffer.whenBelowLowWatermark(resume);
    }
}
