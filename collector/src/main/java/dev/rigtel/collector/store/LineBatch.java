package dev.rigtel.collector.store;

/**
 * A {@link PointBatch} encoded as line protocol by a {@link LineEncoder} as points are added, and
 * offered to the {@link WriteBuffer} as one spool record.
 */
final class LineBatch implements PointBatch {

    private final WriteBuffer buffer;
    private final LineEncoder lines;

    LineBatch(WriteBuffer buffer, int imuSamples) {
        this.buffer = buffer;
        // Sized once for the samples, so that the text does not grow and copy itself several
        // times per batch; room besides for the batch's segments, rollups and events.
        this.lines = new LineEncoder(imuSamples > 0 ? imuSamples * LineEncoder.IMU_LINE_CHARS + 1024 : 256);
    }

    @Override
    public PointBatch imu(String rig, long[] utcNanos, double[] values, long[] deviceNanos) {
        lines.imu(rig, utcNanos, values, deviceNanos);
        return this;
    }

    @Override
    public PointBatch clockSegment(ClockSegmentPoint segment) {
        lines.clockSegment(segment);
        return this;
    }

    @Override
    public PointBatch timecode(TimecodePoint timecode) {
        lines.timecode(timecode);
        return this;
    }

    @Override
    public PointBatch status(StatusPoint status) {
        lines.status(status);
        return this;
    }

    @Override
    public PointBatch alert(AlertPoint alert) {
        lines.alert(alert);
        return this;
    }

    @Override
    public PointBatch rollup(RollupPoint rollup) {
        lines.rollup(rollup);
        return this;
    }

    @Override
    public PointBatch motionEvent(MotionEventPoint event) {
        lines.motionEvent(event);
        return this;
    }

    @Override
    public PointBatch takeSummary(TakeSummaryPoint summary) {
        lines.takeSummary(summary);
        return this;
    }

    @Override
    public PointBatch importClip(ImportClipPoint clip) {
        lines.importClip(clip);
        return this;
    }

    @Override
    public PointBatch slate(SlatePoint event) {
        lines.slate(event);
        return this;
    }

    @Override
    public PointBatch command(CommandPoint command) {
        lines.command(command);
        return this;
    }

    @Override
    public int points() {
        return lines.points();
    }

    @Override
    public long offer(Runnable onStored, Runnable onLost) {
        return buffer.offer(lines.text(), lines.points(), onStored, onLost);
    }

    /** The points as line protocol, for tests. */
    String lines() {
        return lines.text();
    }
}
