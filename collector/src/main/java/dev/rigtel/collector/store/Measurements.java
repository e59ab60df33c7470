package dev.rigtel.collector.store;

/**
 * The names of the InfluxDB measurements rigtel writes (the collector README documents their tags
 * and fields). Public for the tools that count what they write; the collector's code outside {@code
 * store} never needs them.
 */
public final class Measurements {

    /** One point per IMU sample: ax, ay, az in m/s^2, gx, gy, gz in deg/s. Tag: rig. */
    public static final String IMU = "imu";
    /** One point per timecode report, at the collector's time for the report's device time. */
    public static final String TIMECODE = "timecode";
    /** One point per status report. */
    public static final String STATUS = "status";
    /** One point per segment of a boot's device clock: the frozen mapping to production time. */
    public static final String RIG_CLOCK = "rig_clock";
    /** One point per alert (timecode jump, loss, drift). */
    public static final String ALERT = "alert";
    /** One point per rig per second: motion rollup, so overviews never scan raw samples. */
    public static final String IMU_1S = "imu_1s";
    /** One point per motion event: impact, head turn, whip pan, clipping, dropout. */
    public static final String MOTION_EVENT = "motion_event";
    /** One point per rig per take, at the take's start: the take's motion summary (field take_id). */
    public static final String TAKE_SUMMARY = "take_summary";
    /** One point per status a rig command reaches: sent, then ok, failed, rejected or expired. */
    public static final String RIG_COMMAND = "rig_command";
    /** One point per slate event: roll, cut, mark, assign (tag rig on assign only). */
    public static final String SLATE = "slate";

    /** One point per imported camera clip and take it fell in, at its first sample in the take. */
    public static final String IMPORT_CLIP = "import_clip";

    private Measurements() {}
}
