package dev.rigtel.collector.store;

import java.util.Map;

/**
 * Typed points encoded as InfluxDB line protocol in rigtel's schema, as they are added: the write
 * side's one encoder. The collector's {@link StoreWrites} fills one per {@link PointBatch} and spools
 * its text; the tools that write InfluxDB directly (the synthetic shoot, the storage bench) use it as
 * it is, so what they write is what the collector writes. Not thread-safe.
 */
public final class LineEncoder {

    /** Room per IMU sample: a point is about 130 characters. */
    public static final int IMU_LINE_CHARS = 160;

    private final StringBuilder lines;
    private int points;
    private String imuRig;
    private String imuPrefix;

    /** @param capacityChars the text's room at first, so that it need not grow and copy itself */
    public LineEncoder(int capacityChars) {
        this.lines = new StringBuilder(capacityChars);
    }

    /**
     * IMU samples of {@code rig} on the production timeline, one point each.
     *
     * @param utcNanos each sample's production time
     * @param values {@code ax, ay, az} (m/s^2) and {@code gx, gy, gz} (deg/s) of each sample in turn,
     *     six per sample
     * @param deviceNanos each sample's device time
     */
    public LineEncoder imu(String rig, long[] utcNanos, double[] values, long[] deviceNanos) {
        String prefix = imuPrefix(rig);
        for (int i = 0; i < deviceNanos.length; i++) {
            Schema.imuPoint(lines, prefix, utcNanos[i], values, i * 6, deviceNanos[i]);
        }
        points += deviceNanos.length;
        return this;
    }

    /**
     * One IMU sample of {@code rig}: {@code values[offset]} to {@code values[offset + 5]} as in {@link
     * #imu(String, long[], double[], long[])}. Samples of one rig in a row escape its id once.
     */
    public LineEncoder imu(String rig, long utcNanos, double[] values, int offset, long deviceNanos) {
        Schema.imuPoint(lines, imuPrefix(rig), utcNanos, values, offset, deviceNanos);
        points++;
        return this;
    }

    private String imuPrefix(String rig) {
        if (!rig.equals(imuRig)) {
            imuPrefix = Schema.imuPrefix(rig);
            imuRig = rig;
        }
        return imuPrefix;
    }

    public LineEncoder clockSegment(ClockSegmentPoint segment) {
        Schema.rigClock(lines, segment);
        points++;
        return this;
    }

    public LineEncoder timecode(TimecodePoint timecode) {
        Schema.timecode(lines, timecode);
        points++;
        return this;
    }

    public LineEncoder status(StatusPoint status) {
        Schema.status(lines, status);
        points++;
        return this;
    }

    public LineEncoder alert(AlertPoint alert) {
        Schema.alert(lines, alert);
        points++;
        return this;
    }

    public LineEncoder rollup(RollupPoint rollup) {
        Schema.rollup(lines, rollup);
        points++;
        return this;
    }

    public LineEncoder motionEvent(MotionEventPoint event) {
        Schema.motionEvent(lines, event);
        points++;
        return this;
    }

    public LineEncoder takeSummary(TakeSummaryPoint summary) {
        Schema.takeSummary(lines, summary);
        points++;
        return this;
    }

    public LineEncoder slate(SlatePoint event) {
        Schema.slate(lines, event);
        points++;
        return this;
    }

    public LineEncoder importClip(ImportClipPoint clip) {
        Schema.importClip(lines, clip);
        points++;
        return this;
    }

    public LineEncoder command(CommandPoint command) {
        Schema.rigCommand(lines, command);
        points++;
        return this;
    }

    /** The number of points added since it was made or cleared. */
    public int points() {
        return points;
    }

    /** The length of the {@link #text} so far, in chars, for writers that batch by size. */
    public int length() {
        return lines.length();
    }

    /** The points as line protocol, one a line, each ending with a newline. */
    public String text() {
        return lines.toString();
    }

    /** Forgets the points, keeping the room, for the next batch. */
    public void clear() {
        lines.setLength(0);
        points = 0;
    }

    /**
     * Reads back a point this class wrote: tags and fields by key (tag values unescaped, string
     * fields without quotes and unescaped, integers without their {@code i}). For rigtel's own points
     * only, e.g. in tests; not a general line-protocol parser.
     */
    public static Map<String, String> parse(String line) {
        return LineProtocol.parseSimple(line);
    }
}
