package dev.rigtel.collector.store;

/**
 * The InfluxDB schema: how each typed point is written, its tags and fields (the collector README
 * documents it; {@link Measurements} names the measurements). All timestamps are UTC nanoseconds.
 * Each method appends one point. Its one caller on the write side is the {@link LineEncoder}.
 */
final class Schema {

    private Schema() {}

    static void imu(StringBuilder out, String rig, long timeNanos, double[] values, int offset, long deviceNanos) {
        imuPoint(out, imuPrefix(rig), timeNanos, values, offset, deviceNanos);
    }

    /**
     * The start of every IMU point of {@code rig}, up to the first field's {@code =}: {@code
     * imu,rig=<escaped> ax=}. Made once per batch, so the rig id is escaped once, not per sample.
     */
    static String imuPrefix(String rig) {
        StringBuilder prefix = LineProtocol.measurement(new StringBuilder(24), Measurements.IMU);
        LineProtocol.tag(prefix, "rig", rig);
        return prefix.append(" ax=").toString();
    }

    /**
     * What comes before each of an IMU point's six values: the {@link #imuPrefix} ends with the first
     * key, then the other keys, which need no escaping.
     */
    static final String[] IMU_VALUE_KEYS = {"", ",ay=", ",az=", ",gx=", ",gy=", ",gz="};

    /** One IMU point, starting with a {@link #imuPrefix}; the field keys need no escaping. */
    static void imuPoint(
            StringBuilder out, String prefix, long timeNanos, double[] values, int offset, long deviceNanos) {
        out.append(prefix);
        for (int axis = 0; axis < 6; axis++) {
            LineProtocol.floatValue(out.append(IMU_VALUE_KEYS[axis]), values[offset + axis]);
        }
        imuPointEnd(out, timeNanos, deviceNanos);
    }

    /** The end of an IMU point after its six values: {@code dev_ns} and the timestamp. */
    static void imuPointEnd(StringBuilder out, long timeNanos, long deviceNanos) {
        out.append(",dev_ns=").append(deviceNanos).append('i');
        LineProtocol.end(out, timeNanos);
    }

    static void timecode(StringBuilder out, TimecodePoint t) {
        LineProtocol.measurement(out, Measurements.TIMECODE);
        LineProtocol.tag(out, "rig", t.rig());
        LineProtocol.firstField(out, "tc", t.label());
        LineProtocol.field(out, "rate", t.rate());
        LineProtocol.field(out, "df", t.dropFrame());
        LineProtocol.field(out, "frame", t.frame());
        LineProtocol.field(out, "device_ns", t.deviceNanos());
        LineProtocol.field(out, "seq", t.seq());
        LineProtocol.field(out, "boot", t.boot());
        LineProtocol.end(out, t.timeNanos());
    }

    /** A status report; a field the report left empty is left out. */
    static void status(StringBuilder out, StatusPoint s) {
        LineProtocol.measurement(out, Measurements.STATUS);
        LineProtocol.tag(out, "rig", s.rig());
        LineProtocol.firstField(out, "seq", s.seq());
        LineProtocol.field(out, "boot", s.boot());
        s.batteryPercent().ifPresent(v -> LineProtocol.field(out, "battery_pct", v));
        s.batteryVolts().ifPresent(v -> LineProtocol.field(out, "battery_v", v));
        s.temperatureCelsius().ifPresent(v -> LineProtocol.field(out, "temp_c", v));
        s.wifiRssiDbm().ifPresent(v -> LineProtocol.field(out, "wifi_rssi_dbm", (long) v));
        s.recording().ifPresent(v -> LineProtocol.field(out, "recording", v));
        s.imuRateHz().ifPresent(v -> LineProtocol.field(out, "imu_rate_hz", v));
        s.accelRangeG().ifPresent(v -> LineProtocol.field(out, "accel_range_g", (long) v));
        s.gyroRangeDps().ifPresent(v -> LineProtocol.field(out, "gyro_range_dps", (long) v));
        s.firmware().ifPresent(v -> LineProtocol.field(out, "fw", v));
        LineProtocol.end(out, s.timeNanos());
    }

    /**
     * A frozen device-clock segment, at its start. The two start values are written as decimal text:
     * JSON query answers are read back as doubles by clients, which would round nanosecond integers
     * of this size and move every re-sent sample.
     */
    static void rigClock(StringBuilder out, ClockSegmentPoint s) {
        LineProtocol.measurement(out, Measurements.RIG_CLOCK);
        LineProtocol.tag(out, "rig", s.rig());
        LineProtocol.tag(out, "boot", s.boot());
        LineProtocol.firstField(out, "length_ns", s.lengthNanos());
        LineProtocol.field(out, "start_dev_ns", Long.toString(s.startDeviceNanos()));
        LineProtocol.field(out, "start_ns", Long.toString(s.startNanos()));
        LineProtocol.field(out, "rate", s.rate());
        LineProtocol.field(out, "lock", s.lock());
        LineProtocol.field(out, "drift_ppm", s.driftPpm());
        LineProtocol.field(out, "residual_rms_us", s.residualRmsNanos() / 1000);
        LineProtocol.end(out, s.startNanos());
    }

    static void alert(StringBuilder out, AlertPoint a) {
        LineProtocol.measurement(out, Measurements.ALERT);
        LineProtocol.tag(out, "rig", a.rig());
        LineProtocol.tag(out, "type", a.type());
        LineProtocol.firstField(out, "message", a.message());
        LineProtocol.field(out, "value", Double.isFinite(a.value()) ? a.value() : 0);
        LineProtocol.end(out, a.timeNanos());
    }

    static void rollup(StringBuilder out, RollupPoint r) {
        LineProtocol.measurement(out, Measurements.IMU_1S);
        LineProtocol.tag(out, "rig", r.rig());
        LineProtocol.firstField(out, "acc_peak_g", r.accelPeakG());
        LineProtocol.field(out, "acc_rms_g", r.accelRmsG());
        LineProtocol.field(out, "gyro_peak_dps", r.gyroPeakDps());
        LineProtocol.field(out, "gyro_rms_dps", r.gyroRmsDps());
        LineProtocol.field(out, "samples", r.samples());
        LineProtocol.field(out, "expected", r.expectedSamples());
        LineProtocol.field(out, "gaps", r.gaps());
        LineProtocol.end(out, r.secondStartNanos());
    }

    /** A motion event; NaN values are left out. */
    static void motionEvent(StringBuilder out, MotionEventPoint e) {
        LineProtocol.measurement(out, Measurements.MOTION_EVENT);
        LineProtocol.tag(out, "rig", e.rig());
        LineProtocol.tag(out, "type", e.type());
        LineProtocol.firstField(out, "end_ns", e.endNanos());
        optional(out, "peak", e.peak());
        optional(out, "angle_deg", e.angleDeg());
        optional(out, "hic15", e.hic15());
        if (e.direction() != null && !e.direction().isEmpty()) {
            LineProtocol.field(out, "direction", e.direction());
        }
        if (e.missingSamples() > 0) {
            LineProtocol.field(out, "missing", e.missingSamples());
        }
        if (e.axis() != null && !e.axis().isEmpty()) {
            LineProtocol.field(out, "axis", e.axis());
        }
        LineProtocol.end(out, e.onsetNanos());
    }

    /**
     * Starts a take summary point; add fields with {@link LineProtocol#field}, then {@link
     * LineProtocol#end} at the take's start. The take's id is a field: as a tag it would add a series
     * per rig and take.
     */
    static void startTakeSummary(StringBuilder out, String rig, String takeId, String source) {
        LineProtocol.measurement(out, Measurements.TAKE_SUMMARY);
        LineProtocol.tag(out, "rig", rig);
        LineProtocol.firstField(out, "source", source);
        LineProtocol.field(out, "take_id", takeId);
    }

    /** A rig command at one status; the whole command in every point. */
    static void rigCommand(StringBuilder out, CommandPoint c) {
        LineProtocol.measurement(out, Measurements.RIG_COMMAND);
        LineProtocol.tag(out, "rig", c.rig());
        LineProtocol.tag(out, "command", c.command());
        LineProtocol.tag(out, "status", c.status());
        LineProtocol.firstField(out, "id", c.id());
        LineProtocol.field(out, "args", c.argsJson());
        LineProtocol.field(out, "issued_by", c.issuedBy());
        LineProtocol.field(out, "detail", c.detail());
        LineProtocol.field(out, "issued_ms", c.issuedMillis());
        LineProtocol.field(out, "expires_ms", c.expiresMillis());
        LineProtocol.end(out, c.timeNanos());
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
        LineProtocol.measurement(out, Measurements.SLATE);
        if (event.kind() instanceof SlatePoint.Assign a) {
            LineProtocol.tag(out, "rig", a.rig());
        } else if (event.kind() instanceof SlatePoint.Snooze z) {
            LineProtocol.tag(out, "rig", z.rig());
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
            if (r.stunt()) {
                out.append(",stunt=true");
            }
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

    /**
     * An imported camera clip's share of one take. The clip and take are fields (a tag would make a
     * series per clip); first and last sample times are decimal text, exact when read back.
     */
    static void importClip(StringBuilder out, ImportClipPoint c) {
        LineProtocol.measurement(out, Measurements.IMPORT_CLIP);
        LineProtocol.tag(out, "rig", c.rig());
        LineProtocol.firstField(out, "clip", c.clip());
        LineProtocol.field(out, "clip_name", c.clipName());
        LineProtocol.field(out, "take_id", c.takeId());
        LineProtocol.field(out, "camera_model", c.cameraModel());
        LineProtocol.field(out, "camera_serial", c.cameraSerial());
        LineProtocol.field(out, "first_ns", Long.toString(c.firstNanos()));
        LineProtocol.field(out, "last_ns", Long.toString(c.lastNanos()));
        LineProtocol.field(out, "samples", c.samples());
        LineProtocol.field(out, "tc", c.timecode());
        LineProtocol.end(out, c.firstNanos());
    }

    private static void optional(StringBuilder out, String key, double value) {
        if (Double.isFinite(value)) {
            LineProtocol.field(out, key, value);
        }
    }
}
