package dev.rigtel.collector.store;

/**
 * The InfluxDB schema: every measurement rigtel writes, its tags and fields (the collector README
 * documents it). All timestamps are UTC nanoseconds. Each method appends one point.
 *
 * <p>The collector writes through the typed port ({@link StoreWrites}), whose {@link LineBatch} is
 * the one caller of these encoders on its write path. They stay public for the synthetic shoot and
 * the storage bench (tools that write InfluxDB directly) and for the measurement names the read side
 * queries; nothing else should append points with them.
 */
public final class Schema {

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

    private Schema() {}

    public static void imu(
            StringBuilder out, String rig, long timeNanos, double[] values, int offset, long deviceNanos) {
        imuPoint(out, imuPrefix(rig), timeNanos, values, offset, deviceNanos);
    }

    /**
     * The start of every IMU point of {@code rig}, up to the first field's {@code =}: {@code
     * imu,rig=<escaped> ax=}. Made once per batch, so the rig id is escaped once, not per sample.
     */
    public static String imuPrefix(String rig) {
        StringBuilder prefix = LineProtocol.measurement(new StringBuilder(24), IMU);
        LineProtocol.tag(prefix, "rig", rig);
        return prefix.append(" ax=").toString();
    }

    /** One IMU point, starting with a {@link #imuPrefix}; the field keys need no escaping. */
    public static void imuPoint(
            StringBuilder out, String prefix, long timeNanos, double[] values, int offset, long deviceNanos) {
        LineProtocol.floatValue(out.append(prefix), values[offset]);
        LineProtocol.floatValue(out.append(",ay="), values[offset + 1]);
        LineProtocol.floatValue(out.append(",az="), values[offset + 2]);
        LineProtocol.floatValue(out.append(",gx="), values[offset + 3]);
        LineProtocol.floatValue(out.append(",gy="), values[offset + 4]);
        LineProtocol.floatValue(out.append(",gz="), values[offset + 5]);
        out.append(",dev_ns=").append(deviceNanos).append('i');
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
     * A frozen device-clock segment: production time {@code startNanos + rate * (device -
     * startDeviceNanos)}. The two start values are written as decimal text: JSON query answers are
     * read back as doubles by clients, which would round nanosecond integers of this size and move
     * every re-sent sample.
     */
    public static void rigClock(
            StringBuilder out,
            String rig,
            String boot,
            long startDeviceNanos,
            long lengthNanos,
            long startNanos,
            double rate,
            String lock,
            double driftPpm,
            double residualRmsNanos) {
        LineProtocol.measurement(out, RIG_CLOCK);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.tag(out, "boot", boot);
        LineProtocol.firstField(out, "length_ns", lengthNanos);
        LineProtocol.field(out, "start_dev_ns", Long.toString(startDeviceNanos));
        LineProtocol.field(out, "start_ns", Long.toString(startNanos));
        LineProtocol.field(out, "rate", rate);
        LineProtocol.field(out, "lock", lock);
        LineProtocol.field(out, "drift_ppm", driftPpm);
        LineProtocol.field(out, "residual_rms_us", residualRmsNanos / 1000);
        LineProtocol.end(out, startNanos);
    }

    public static void alert(StringBuilder out, String rig, String type, String message, double value, long timeNanos) {
        LineProtocol.measurement(out, ALERT);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.tag(out, "type", type);
        LineProtocol.firstField(out, "message", message);
        LineProtocol.field(out, "value", Double.isFinite(value) ? value : 0);
        LineProtocol.end(out, timeNanos);
    }

    public static void rollup(
            StringBuilder out,
            String rig,
            long secondNanos,
            double accelPeakG,
            double accelRmsG,
            double gyroPeakDps,
            double gyroRmsDps,
            long samples,
            long expectedSamples,
            long gaps) {
        LineProtocol.measurement(out, IMU_1S);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.firstField(out, "acc_peak_g", accelPeakG);
        LineProtocol.field(out, "acc_rms_g", accelRmsG);
        LineProtocol.field(out, "gyro_peak_dps", gyroPeakDps);
        LineProtocol.field(out, "gyro_rms_dps", gyroRmsDps);
        LineProtocol.field(out, "samples", samples);
        LineProtocol.field(out, "expected", expectedSamples);
        LineProtocol.field(out, "gaps", gaps);
        LineProtocol.end(out, secondNanos);
    }

    /** A motion event; NaN values are left out. */
    public static void motionEvent(
            StringBuilder out,
            String rig,
            String type,
            long onsetNanos,
            long endNanos,
            double peak,
            double angleDeg,
            String direction,
            double hic15,
            long missingSamples,
            String axis) {
        LineProtocol.measurement(out, MOTION_EVENT);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.tag(out, "type", type);
        LineProtocol.firstField(out, "end_ns", endNanos);
        optional(out, "peak", peak);
        optional(out, "angle_deg", angleDeg);
        optional(out, "hic15", hic15);
        if (direction != null && !direction.isEmpty()) {
            LineProtocol.field(out, "direction", direction);
        }
        if (missingSamples > 0) {
            LineProtocol.field(out, "missing", missingSamples);
        }
        if (axis != null && !axis.isEmpty()) {
            LineProtocol.field(out, "axis", axis);
        }
        LineProtocol.end(out, onsetNanos);
    }

    /**
     * Starts a take summary point; add fields with {@link LineProtocol#field}, then {@link #end} at the
     * take's start. The take's id is a field: as a tag it would add a series per rig and take.
     */
    public static void startTakeSummary(StringBuilder out, String rig, String takeId, String source) {
        LineProtocol.measurement(out, TAKE_SUMMARY);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.firstField(out, "source", source);
        LineProtocol.field(out, "take_id", takeId);
    }

    /**
     * A rig command at one status. Every point carries the whole command, so any one of them
     * rebuilds it; the times are epoch milliseconds (exact when read back as JSON doubles).
     *
     * @param argsJson the validated arguments as a JSON object
     * @param detail the rig's or the collector's explanation, empty if none
     * @param timeNanos when the command reached {@code status}
     */
    public static void rigCommand(
            StringBuilder out,
            String rig,
            String command,
            String status,
            String id,
            String argsJson,
            String issuedBy,
            String detail,
            long issuedMillis,
            long expiresMillis,
            long timeNanos) {
        LineProtocol.measurement(out, RIG_COMMAND);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.tag(out, "command", command);
        LineProtocol.tag(out, "status", status);
        LineProtocol.firstField(out, "id", id);
        LineProtocol.field(out, "args", argsJson);
        LineProtocol.field(out, "issued_by", issuedBy);
        LineProtocol.field(out, "detail", detail);
        LineProtocol.field(out, "issued_ms", issuedMillis);
        LineProtocol.field(out, "expires_ms", expiresMillis);
        LineProtocol.end(out, timeNanos);
    }

    /**
     * A take summary; a figure that is not finite is left out. Besides the summary's figures it holds
     * {@code above_30dps_s} and {@code msdv_sq}, which add up over takes as they are, so a wearer's
     * exposure over a whole shoot is a sum InfluxDB computes.
     */
    static void takeSummary(StringBuilder out, TakeSummaryPoint s) {
        startTakeSummary(out, s.rig(), s.takeId(), s.source());
        optional(out, "duration_s", s.durationSeconds());
        LineProtocol.field(out, "samples", s.samples());
        optional(out, "peak_g", s.peakG());
        optional(out, "peak_dps", s.peakDps());
        optional(out, "peak_ang_accel_rads2", s.peakAngularAccelRadS2());
        LineProtocol.field(out, "impacts", (long) s.impacts());
        optional(out, "max_hic15", s.maxHic15());
        LineProtocol.field(out, "head_turns", (long) s.headTurns());
        LineProtocol.field(out, "whip_pans", (long) s.whipPans());
        optional(out, "msdv", s.msdvMps15());
        optional(out, "weighted_rms_mps2", s.weightedRmsMps2());
        optional(out, "share_above_30dps", s.shareAbove30Dps());
        optional(out, "viewer_comfort", s.viewerComfort());
        if (s.secondsAbove3G() >= 0) {
            LineProtocol.field(out, "above_3g_s", (long) s.secondsAbove3G());
        }
        optional(out, "above_30dps_s", s.shareAbove30Dps() * s.durationSeconds());
        optional(out, "msdv_sq", s.msdvMps15() * s.msdvMps15());
        LineProtocol.end(out, s.takeStartNanos());
    }

    /**
     * A slate event. The rig of an assignment is a tag, so that who wears each rig at any time is one
     * "newest per rig" query; the event's time is also a decimal text field (exact when read back).
     */
    static void slate(StringBuilder out, SlatePoint event) {
        LineProtocol.measurement(out, SLATE);
        if (event.kind() instanceof SlatePoint.Assign a) {
            LineProtocol.tag(out, "rig", a.rig());
        }
        LineProtocol.tag(out, "type", event.type());
        LineProtocol.firstField(out, "id", event.id());
        LineProtocol.field(out, "at_ns", Long.toString(event.atNanos()));
        LineProtocol.field(out, "tc", event.label());
        LineProtocol.field(out, "rate", event.rate());
        LineProtocol.field(out, "date", event.date().toString());
        if (event.kind() instanceof SlatePoint.Roll r) {
            LineProtocol.field(out, "scene", r.scene());
            LineProtocol.field(out, "shot", r.shot());
            LineProtocol.field(out, "take", (long) r.take());
            LineProtocol.field(out, "camera_roll", r.cameraRoll());
            LineProtocol.field(out, "notes", r.notes());
        } else if (event.kind() instanceof SlatePoint.Mark m) {
            LineProtocol.field(out, "scene", m.scene());
            LineProtocol.field(out, "shot", m.shot());
            LineProtocol.field(out, "take", (long) m.take());
            LineProtocol.field(out, "mark", m.mark());
            LineProtocol.field(out, "notes", m.notes());
        } else if (event.kind() instanceof SlatePoint.Assign a) {
            LineProtocol.field(out, "person", a.person());
        }
        LineProtocol.end(out, event.timeNanos());
    }

    public static void end(StringBuilder out, long timeNanos) {
        LineProtocol.end(out, timeNanos);
    }

    private static void optional(StringBuilder out, String key, double value) {
        if (Double.isFinite(value)) {
            LineProtocol.field(out, key, value);
        }
    }
}
