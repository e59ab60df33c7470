package dev.rigtel.collector.store;

/**
 * The InfluxDB schema: every measurement rigtel writes, its tags and fields (the collector README
 * documents it). All timestamps are UTC nanoseconds. Each method appends one point.
 */
public final class Schema {

    /** One point per IMU sample: ax, ay, az in m/s^2, gx, gy, gz in deg/s. Tag: rig. */
    public static final String IMU = "imu";
    /** One point per timecode report, at the collector's time for the report's device time. */
    public static final String TIMECODE = "timecode";
    /** One point per status report. */
    public static final String STATUS = "status";
    /** One point per (rig, boot): the anchor mapping that boot's device clock to UTC. */
    public static final String RIG_BOOT = "rig_boot";

    private Schema() {}

    public static void imu(StringBuilder out, String rig, long timeNanos, double[] values, int offset) {
        LineProtocol.measurement(out, IMU);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.firstField(out, "ax", values[offset]);
        LineProtocol.field(out, "ay", values[offset + 1]);
        LineProtocol.field(out, "az", values[offset + 2]);
        LineProtocol.field(out, "gx", values[offset + 3]);
        LineProtocol.field(out, "gy", values[offset + 4]);
        LineProtocol.field(out, "gz", values[offset + 5]);
        LineProtocol.end(out, timeNanos);
    }

    /**
     * @param frame frame number of the label since 00:00:00:00
     * @param deviceNanos device time at which the frame began
     */
    public static void timecode(
            StringBuilder out,
            String rig,
            long timeNanos,
            String label,
            String rate,
            boolean dropFrame,
            long frame,
            long deviceNanos,
            long seq,
            String boot) {
        LineProtocol.measurement(out, TIMECODE);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.firstField(out, "tc", label);
        LineProtocol.field(out, "rate", rate);
        LineProtocol.field(out, "df", dropFrame);
        LineProtocol.field(out, "frame", frame);
        LineProtocol.field(out, "device_ns", deviceNanos);
        LineProtocol.field(out, "seq", seq);
        LineProtocol.field(out, "boot", boot);
        LineProtocol.end(out, timeNanos);
    }

    /** Starts a status point; add optional fields with {@link LineProtocol#field}, then {@link #endStatus}. */
    public static void startStatus(StringBuilder out, String rig, long seq, String boot) {
        LineProtocol.measurement(out, STATUS);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.firstField(out, "seq", seq);
        LineProtocol.field(out, "boot", boot);
    }

    public static void endStatus(StringBuilder out, long timeNanos) {
        LineProtocol.end(out, timeNanos);
    }

    /**
     * {@code anchorNanos} is UTC time minus device time; stored at the boot's first sample time. It
     * is written as decimal text: JSON query answers are read back as doubles by clients, which
     * would round a nanosecond integer of this size and move every re-sent sample.
     */
    public static void rigBoot(StringBuilder out, String rig, String boot, long anchorNanos, long timeNanos) {
        LineProtocol.measurement(out, RIG_BOOT);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.tag(out, "boot", boot);
        LineProtocol.firstField(out, "anchor_ns", Long.toString(anchorNanos));
        LineProtocol.end(out, timeNanos);
    }
}
