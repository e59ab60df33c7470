package dev.rigtel.collector.store;

/**
 * A {@link PointBatch} encoded as InfluxDB line protocol ({@link Schema}) as points are added, and
 * offered to the {@link WriteBuffer} as one spool record. The only place typed points become text.
 */
final class LineBatch implements PointBatch {

    /** Room per IMU sample: a point is about 130 characters. */
    static final int IMU_LINE_CHARS = 160;

    private final WriteBuffer buffer;
    private final StringBuilder lines;
    private int points;

    LineBatch(WriteBuffer buffer, int imuSamples) {
        this.buffer = buffer;
        // Sized once for the samples, so that the builder does not grow and copy itself several
        // times per batch; room besides for the batch's segments, rollups and events.
        this.lines = new StringBuilder(imuSamples > 0 ? imuSamples * IMU_LINE_CHARS + 1024 : 256);
    }

    @Override
    public PointBatch imu(String rig, long[] utcNanos, double[] values, long[] deviceNanos) {
        String prefix = Schema.imuPrefix(rig);
        for (int i = 0; i < deviceNanos.length; i++) {
            Schema.imuPoint(lines, prefix, utcNanos[i], values, i * 6, deviceNanos[i]);
        }
        points += deviceNanos.length;
        return this;
    }

    @Override
    public PointBatch clockSegment(ClockSegmentPoint s) {
        Schema.rigClock(
                lines,
                s.rig(),
                s.boot(),
                s.startDeviceNanos(),
                s.lengthNanos(),
                s.startNanos(),
                s.rate(),
                s.lock(),
                s.driftPpm(),
                s.residualRmsNanos());
        points++;
        return this;
    }

    @Override
    public PointBatch timecode(TimecodePoint t) {
        Schema.timecode(
                lines,
                t.rig(),
                t.timeNanos(),
                t.label(),
                t.rate(),
                t.dropFrame(),
                t.frame(),
                t.deviceNanos(),
                t.seq(),
                t.boot());
        points++;
        return this;
    }

    @Override
    public PointBatch status(StatusPoint s) {
        Schema.startStatus(lines, s.rig(), s.seq(), s.boot());
        s.batteryPercent().ifPresent(v -> LineProtocol.field(lines, "battery_pct", v));
        s.batteryVolts().ifPresent(v -> LineProtocol.field(lines, "battery_v", v));
        s.temperatureCelsius().ifPresent(v -> LineProtocol.field(lines, "temp_c", v));
        s.wifiRssiDbm().ifPresent(v -> LineProtocol.field(lines, "wifi_rssi_dbm", (long) v));
        s.recording().ifPresent(v -> LineProtocol.field(lines, "recording", v));
        s.imuRateHz().ifPresent(v -> LineProtocol.field(lines, "imu_rate_hz", v));
        s.accelRangeG().ifPresent(v -> LineProtocol.field(lines, "accel_range_g", (long) v));
        s.gyroRangeDps().ifPresent(v -> LineProtocol.field(lines, "gyro_range_dps", (long) v));
        s.firmware().ifPresent(v -> LineProtocol.field(lines, "fw", v));
        Schema.endStatus(lines, s.timeNanos());
        points++;
        return this;
    }

    @Override
    public PointBatch alert(AlertPoint a) {
        Schema.alert(lines, a.rig(), a.type(), a.message(), a.value(), a.timeNanos());
        points++;
        return this;
    }

    @Override
    public PointBatch rollup(RollupPoint r) {
        Schema.rollup(
                lines,
                r.rig(),
                r.secondStartNanos(),
                r.accelPeakG(),
                r.accelRmsG(),
                r.gyroPeakDps(),
                r.gyroRmsDps(),
                r.samples(),
                r.expectedSamples(),
                r.gaps());
        points++;
        return this;
    }

    @Override
    public PointBatch motionEvent(MotionEventPoint e) {
        Schema.motionEvent(
                lines,
                e.rig(),
                e.type(),
                e.onsetNanos(),
                e.endNanos(),
                e.peak(),
                e.angleDeg(),
                e.direction(),
                e.hic15(),
                e.missingSamples(),
                e.axis());
        points++;
        return this;
    }

    @Override
    public PointBatch takeSummary(TakeSummaryPoint s) {
        Schema.takeSummary(lines, s);
        points++;
        return this;
    }

    @Override
    public PointBatch slate(SlatePoint event) {
        Schema.slate(lines, event);
        points++;
        return this;
    }

    @Override
    public PointBatch command(CommandPoint c) {
        Schema.rigCommand(
                lines,
                c.rig(),
                c.command(),
                c.status(),
                c.id(),
                c.argsJson(),
                c.issuedBy(),
                c.detail(),
                c.issuedMillis(),
                c.expiresMillis(),
                c.timeNanos());
        points++;
        return this;
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
