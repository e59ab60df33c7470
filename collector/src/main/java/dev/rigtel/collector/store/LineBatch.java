package dev.rigtel.collector.store;

/**
 * A {@link PointBatch} offered to the {@link WriteBuffer} as one spool record. IMU samples are packed
 * in binary into a {@link CompactRecord} as they are added (the writers turn them into line protocol),
 * other points are encoded as line protocol by a {@link LineEncoder}; a batch without IMU samples is
 * spooled as plain text, as before.
 */
final class LineBatch implements PointBatch {

    private final WriteBuffer buffer;
    private final LineEncoder lines;
    /** The IMU samples and the text added before them; made when the batch is (or its first samples are). */
    private CompactRecord compact;

    private int imuPoints;
    /** Points of the text already in {@link #compact}. */
    private int textPoints;

    LineBatch(WriteBuffer buffer, int imuSamples) {
        this.buffer = buffer;
        // Sized once for the samples at the most they can take (about 15 to 30 bytes each packed, but
        // a record that grows is copied); room besides for the batch's segments, rollups and events.
        this.lines = new LineEncoder(256);
        this.compact = imuSamples > 0 ? new CompactRecord(CompactRecord.capacityFor(imuSamples)) : null;
    }

    @Override
    public PointBatch imu(String rig, long[] utcNanos, double[] values, long[] deviceNanos) {
        return imuCounts(rig, utcNanos, values, deviceNanos, Double.NaN, Double.NaN);
    }

    @Override
    public PointBatch imuCounts(
            String rig,
            long[] utcNanos,
            double[] values,
            long[] deviceNanos,
            double accelPerCount,
            double gyroPerCount) {
        if (deviceNanos.length == 0) {
            return this;
        }
        if (compact == null) {
            compact = new CompactRecord(CompactRecord.capacityFor(deviceNanos.length));
        }
        // The text so far first: the points keep the order in which they were added.
        compact.text(lines.text());
        textPoints += lines.points();
        lines.clear();
        compact.imu(rig, utcNanos, values, deviceNanos, accelPerCount, gyroPerCount);
        imuPoints += deviceNanos.length;
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
        return imuPoints + textPoints + lines.points();
    }

    @Override
    public long offer(Runnable onStored, Runnable onLost) {
        if (imuPoints == 0) {
            return buffer.offer(lines.text(), points(), onStored, onLost);
        }
        return buffer.offerCompact(body(), points(), onStored, onLost);
    }

    /** The spool record's compact body: what was added, the text after the last IMU samples last. */
    byte[] body() {
        compact.text(lines.text());
        textPoints += lines.points();
        lines.clear();
        return compact.toBytes();
    }

    /** The points as line protocol, as InfluxDB will receive them, for tests. */
    String lines() {
        if (imuPoints == 0) {
            return lines.text();
        }
        byte[] body = compact.toBytes();
        StringBuilder out = CompactRecord.appendLines(body, 0, body.length, new StringBuilder(), true);
        return out.append(lines.text()).toString();
    }
}
