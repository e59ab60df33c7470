package dev.rigtel.collector.store;

/**
 * A {@link PointBatch} of points that did not come from a rig's own board: every {@code imu}, {@code
 * imu_1s} and {@code motion_event} point carries the tag {@code source} (e.g. {@code gopro} for
 * telemetry imported from a camera's files). Live points carry no such tag, which means {@code rig},
 * so their line protocol is unchanged and the two never overwrite each other (a tag makes its own
 * series). A {@code take_summary} already has a {@code source} field, so it is written as it is,
 * with the source as that field, and an {@code import_clip} point as it is. Holds only those five
 * kinds of points.
 */
final class SourcedLineBatch implements PointBatch {

    private final WriteBuffer buffer;
    private final String source;
    private final StringBuilder lines;
    private int points;

    SourcedLineBatch(WriteBuffer buffer, int imuSamples, String source) {
        this.buffer = buffer;
        this.source = source;
        this.lines = new StringBuilder(imuSamples > 0 ? imuSamples * LineEncoder.IMU_LINE_CHARS + 1024 : 256);
    }

    @Override
    public PointBatch imu(String rig, long[] utcNanos, double[] values, long[] deviceNanos) {
        StringBuilder prefix = LineProtocol.measurement(new StringBuilder(40), Measurements.IMU);
        LineProtocol.tag(prefix, "rig", rig);
        LineProtocol.tag(prefix, "source", source);
        String start = prefix.append(" ax=").toString();
        for (int i = 0; i < deviceNanos.length; i++) {
            Schema.imuPoint(lines, start, utcNanos[i], values, i * 6, deviceNanos[i]);
        }
        points += deviceNanos.length;
        return this;
    }

    @Override
    public PointBatch rollup(RollupPoint r) {
        int start = lines.length();
        Schema.rollup(lines, r);
        tagLast(start);
        points++;
        return this;
    }

    @Override
    public PointBatch motionEvent(MotionEventPoint e) {
        int start = lines.length();
        Schema.motionEvent(lines, e);
        tagLast(start);
        points++;
        return this;
    }

    @Override
    public PointBatch takeSummary(TakeSummaryPoint s) {
        Schema.takeSummary(lines, s);
        points++;
        return this;
    }

    /** Written as it is: the measurement says where it came from. */
    @Override
    public PointBatch importClip(ImportClipPoint c) {
        Schema.importClip(lines, c);
        points++;
        return this;
    }

    /** Adds the source tag to the point written from {@code start}: before its first unescaped space. */
    private void tagLast(int start) {
        int at = start;
        while (lines.charAt(at) != ' ' || lines.charAt(at - 1) == '\\') {
            at++;
        }
        StringBuilder tag = LineProtocol.tag(new StringBuilder(16), "source", source);
        lines.insert(at, tag);
    }

    @Override
    public PointBatch clockSegment(ClockSegmentPoint segment) {
        throw refused("clock segments");
    }

    @Override
    public PointBatch timecode(TimecodePoint timecode) {
        throw refused("timecode reports");
    }

    @Override
    public PointBatch status(StatusPoint status) {
        throw refused("status reports");
    }

    @Override
    public PointBatch alert(AlertPoint alert) {
        throw refused("alerts");
    }

    @Override
    public PointBatch slate(SlatePoint event) {
        throw refused("slate events");
    }

    @Override
    public PointBatch command(CommandPoint command) {
        throw refused("rig commands");
    }

    private UnsupportedOperationException refused(String what) {
        return new UnsupportedOperationException("a batch of source " + source + " holds no " + what);
    }

    @Override
    public int points() {
        return points;
    }

    @Override
    public long offer(Runnable onStored, Runnable onLost) {
        return buffer.offer(lines.toString(), points, onStored, onLost);
    }

    /** The points as line protocol, for tests. */
    String lines() {
        return lines.toString();
    }
}
