package dev.rigtel.collector.ingest;

import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.store.LineProtocol;
import dev.rigtel.collector.store.Schema;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.SlateLog;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.timecode.ClockAlert;
import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.DeviceClocks;
import dev.rigtel.collector.timecode.ImplausibleTimeException;
import dev.rigtel.common.log.RateLimitedLog;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-independent intake: decodes and validates a rig's message, maps its device times
 * to UTC, encodes its points and hands them to the {@link WriteBuffer}. Called on transport threads
 * (a Netty event loop): CPU work only, it never blocks and never waits for storage; {@code onStored}
 * runs later, on the writer thread, once the points are in InfluxDB.
 *
 * <p>What it derives (rig state, motion, events, clock alerts, takes) is also published, as it is
 * derived, on the {@link LiveTopics} through a {@link LiveOutlet}; the transport reports connections
 * with {@link #rigConnected} and {@link #rigDisconnected}.
 */
public final class IngestService {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    /** Room per IMU sample in a batch's line protocol: a point is about 130 characters. */
    private static final int IMU_LINE_CHARS = 160;

    /** Where slate apps publish slate events. */
    public static final String SLATE_TOPIC = "rigtel/v1/slate";

    private final PayloadDecoder decoder;
    private final DeviceClocks clocks;
    private final TakeHistory takes;
    private final MotionTracker motion;
    private final LiveTopics live;
    private java.util.function.BiConsumer<String, Take> recomputeLater = (rig, take) -> {};
    private final ZoneId zone;
    private final Clock clock;
    private final WriteBuffer buffer;
    private final IngestMeters meters;
    private final SequenceTracker sequences = new SequenceTracker();
    private final RateLimitedLog rejectLog;

    /** Without live topics ({@link LiveOutlet#NONE}). */
    public IngestService(
            PayloadDecoder decoder,
            DeviceClocks clocks,
            TakeHistory takes,
            MotionConfig motionConfig,
            ZoneId zone,
            WriteBuffer buffer,
            IngestMeters meters,
            Clock clock) {
        this(decoder, clocks, takes, motionConfig, zone, buffer, meters, clock, LiveOutlet.NONE);
    }

    /**
     * @param live where the live topics go (the broker); {@link LiveOutlet#NONE} for none
     */
    public IngestService(
            PayloadDecoder decoder,
            DeviceClocks clocks,
            TakeHistory takes,
            MotionConfig motionConfig,
            ZoneId zone,
            WriteBuffer buffer,
            IngestMeters meters,
            Clock clock,
            LiveOutlet live) {
        this.decoder = decoder;
        this.clocks = clocks;
        this.takes = takes;
        this.live = new LiveTopics(live, decoder.wire(), takes.live(), clock);
        this.motion = new MotionTracker(motionConfig, takes.live(), this.live);
        this.zone = zone;
        this.clock = clock;
        this.buffer = buffer;
        this.meters = meters;
        this.rejectLog = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
    }

    /**
     * A connection authenticated as rig {@code rig} opened. The transport calls it once per
     * connection, before the connection's first PUBLISH reaches {@link #accept}; the rig's live state
     * turns online (retained). Non-blocking, any thread.
     */
    public void rigConnected(RigId rig) {
        live.connected(rig.value());
    }

    /**
     * A connection of rig {@code rig} closed, for whatever reason (DISCONNECT, keep-alive, error,
     * taken over). Once per {@link #rigConnected}; the rig is offline once its last connection closed.
     * Non-blocking, any thread.
     */
    public void rigDisconnected(RigId rig) {
        live.disconnected(rig.value());
    }

    /**
     * Takes one PUBLISH from an authenticated publisher.
     *
     * @param onStored runs once every point of the message is stored (for QoS 1: send PUBACK then)
     */
    public IngestResult accept(Publisher publisher, String topic, byte[] payload, Runnable onStored) {
        return accept(publisher, topic, payload, onStored, () -> {});
    }

    /**
     * {@link #accept(Publisher, String, byte[], Runnable)}; {@code onLost} runs instead of {@code
     * onStored} if the spool could not make the message durable (a failed fsync): nothing of it was
     * acknowledged, and the publisher must send it again.
     */
    public IngestResult accept(Publisher publisher, String topic, byte[] payload, Runnable onStored, Runnable onLost) {
        long arrived = System.nanoTime();
        if (SLATE_TOPIC.equals(topic)) {
            if (!publisher.slate()) {
                return reject(publisher.name(), RejectReason.NOT_AUTHORIZED, "may not publish slate events");
            }
            try {
                SlateEvent event = decoder.slate(payload, clock.instant(), zone, true);
                slate(
                        event,
                        () -> {
                            meters.stored(arrived);
                            onStored.run();
                        },
                        onLost);
                return new IngestResult.Accepted(MessageKind.SLATE, 0);
            } catch (PayloadRejectedException e) {
                return reject(publisher.name(), e.reason(), "slate: " + e.getMessage());
            }
        }
        Optional<RigTopic> parsed = RigTopic.parse(topic);
        RigId rig = publisher.telemetry() ? publisher.id() : null;
        if (rig == null || parsed.isEmpty() || !parsed.get().rigLevel().equals(rig.value())) {
            RejectReason reason = rig == null
                    ? RejectReason.NOT_AUTHORIZED
                    : RigTopic.isUnder(topic, rig) ? RejectReason.UNKNOWN_TOPIC : RejectReason.FOREIGN_TOPIC;
            return reject(
                    publisher.name(),
                    reason,
                    "topic '" + topic + "' is not one of rigtel/v1/" + publisher.name() + "/{imu,timecode,status}");
        }
        MessageKind kind = parsed.get().kind();
        live.seen(rig.value());
        try {
            // IMU: sized once the samples are counted (a line is about 130 characters), so that the
            // builder does not grow and copy itself several times per batch.
            StringBuilder lines = new StringBuilder(kind == MessageKind.IMU ? 0 : 256);
            int points;
            int samples = 0;
            switch (kind) {
                case IMU -> {
                    long receivedMillis = clock.millis();
                    ImuBatch batch = decoder.imu(rig, payload);
                    lines.ensureCapacity(batch.sampleCount() * IMU_LINE_CHARS + 1024);
                    // Mapped before its sequence is tracked: a batch refused for an implausible time
                    // (a device timer that jumped) must not become the stream's newest.
                    DeviceClocks.Mapping mapping = clocks.map(rig.value(), batch.boot(), batch.deviceNanos());
                    if (track(rig, kind, batch.boot(), batch.seq(), batch.deviceNanos()[0], batch.lastDeviceNanos())) {
                        // Segments frozen for its device times are kept and stored all the same: a
                        // later batch in those times maps through them, also after a restart.
                        StringBuilder segmentLines = new StringBuilder(256);
                        int segmentPoints = segments(mapping, segmentLines);
                        if (segmentPoints > 0) {
                            buffer.offer(segmentLines.toString(), segmentPoints, () -> {});
                        }
                        return reject(
                                rig.value(),
                                RejectReason.BAD_TIMING,
                                "imu: device time went backwards at seq " + batch.seq() + " (first sample "
                                        + batch.deviceNanos()[0] + " ns)");
                    }
                    points = imuPoints(batch, mapping, lines, receivedMillis);
                    samples = batch.sampleCount();
                }
                case TIMECODE -> {
                    TimecodeReport report = decoder.timecode(rig, payload);
                    points = timecodePoint(report, lines);
                    track(rig, kind, report.boot(), report.seq(), report.deviceNanos(), report.deviceNanos());
                }
                case STATUS -> {
                    RigStatus status = decoder.status(rig, payload);
                    points = statusPoint(status, lines);
                    track(rig, kind, status.boot(), status.seq(), status.deviceNanos(), status.deviceNanos());
                }
                default -> throw new IllegalStateException("unhandled kind " + kind);
            }
            meters.accepted(kind.topicLevel(), samples);
            buffer.offer(
                    lines.toString(),
                    points,
                    () -> {
                        meters.stored(arrived);
                        onStored.run();
                    },
                    onLost);
            return new IngestResult.Accepted(kind, samples);
        } catch (PayloadRejectedException e) {
            return reject(rig.value(), e.reason(), kind.topicLevel() + ": " + e.getMessage());
        } catch (ImplausibleTimeException e) {
            // Refused like any bad payload (firmware-notes), and a person on set hears of it: the
            // rig's clock needs looking at (at most one alert a minute per rig).
            StringBuilder alertLines = new StringBuilder(256);
            int alertPoints = alerts(rig.value(), e.alerts(), alertLines);
            if (alertPoints > 0) {
                buffer.offer(alertLines.toString(), alertPoints, () -> {});
            }
            return reject(rig.value(), RejectReason.BAD_TIMING, kind.topicLevel() + ": " + e.getMessage());
        } catch (ArithmeticException e) {
            // Valid fields whose combination leaves the nanosecond timeline (e.g. a device time near
            // the limit plus a far offset): refuse the message rather than the connection.
            return reject(rig.value(), RejectReason.BAD_TIMING, kind.topicLevel() + ": time out of range");
        }
    }

    /** Stores a slate event and applies it to the take book (MQTT or HTTP). */
    public void slate(SlateEvent event, Runnable onStored) {
        slate(event, onStored, () -> {});
    }

    /** {@link #slate(SlateEvent, Runnable)}; {@code onLost} if the spool could not make it durable. */
    public void slate(SlateEvent event, Runnable onStored, Runnable onLost) {
        meters.accepted(MessageKind.SLATE.topicLevel(), 0);
        long sequence = buffer.offer(SlateLog.lines(event), 1, onStored, onLost);
        boolean changed = takes.add(event, sequence);
        if (changed) {
            live.takesChanged();
        }
    }

    /**
     * Raises clock alerts from silence (timecode lost), writes the summaries of takes cut a few
     * seconds ago and publishes live states that waited for their rate limit; call about once a
     * second.
     */
    public void tick() {
        Map<String, List<ClockAlert>> alerts = clocks.tick();
        StringBuilder lines = new StringBuilder();
        List<MotionTracker.Recompute> recompute = new java.util.ArrayList<>();
        int points = motion.finishEndedTakes(clock.millis() * 1_000_000L, lines, recompute);
        for (MotionTracker.Recompute r : recompute) {
            recomputeLater.accept(r.rig(), r.take());
        }
        for (Map.Entry<String, List<ClockAlert>> rig : alerts.entrySet()) {
            points += alerts(rig.getKey(), rig.getValue(), lines);
        }
        if (points > 0) {
            buffer.offer(lines.toString(), points, () -> {});
        }
        live.tick(clocks::lock);
        takes.tick();
    }

    /**
     * Where summaries that could not be computed live are sent to be recomputed from storage
     * (a worker: it queries InfluxDB), then stored with {@link #storeSummary}.
     */
    public void recomputeSummariesWith(java.util.function.BiConsumer<String, Take> recompute) {
        this.recomputeLater = recompute;
    }

    /** Stores a take summary computed from storage. */
    public void storeSummary(String rig, Take take, TakeSummary summary) {
        StringBuilder lines = new StringBuilder(512);
        TakeSummaries.append(lines, rig, take, summary, "storage");
        buffer.offer(lines.toString(), 1, () -> {});
    }

    /** The current yaw rate about the vertical of each rig (deg/s), for live views. */
    public Map<String, Double> yawRatesDps() {
        return motion.yawRatesDps();
    }

    /** True while the write buffer holds more than it should; transports stop reading then. */
    public boolean overCapacity() {
        return buffer.overCapacity();
    }

    /** Runs {@code resume} once the write buffer has drained enough to read again. */
    public void whenReadyToRead(Runnable resume) {
        buffer.whenBelowLowWatermark(resume);
    }

    private int imuPoints(ImuBatch batch, DeviceClocks.Mapping mapping, StringBuilder lines, long receivedMillis) {
        long[] device = batch.deviceNanos();
        int points = segments(mapping, lines) + device.length;
        long[] utc = mapping.utcNanos();
        double[] values = batch.values();
        String prefix = Schema.imuPrefix(batch.rig().value());
        for (int i = 0; i < device.length; i++) {
            Schema.imuPoint(lines, prefix, utc[i], values, i * ImuBatch.VALUES_PER_SAMPLE, device[i]);
        }
        return points + motion.accept(batch.rig().value(), utc, values, lines, receivedMillis);
    }

    private int timecodePoint(TimecodeReport report, StringBuilder lines) throws ImplausibleTimeException {
        DatedTimecode at = report.shootingDate()
                .map(date -> new DatedTimecode(date, report.timecode()))
                .orElseGet(() -> DatedTimecode.nearest(report.timecode(), clock.instant(), zone));
        long productionNanos = at.utcNanos(zone);
        List<ClockAlert> raised = clocks.timecode(
                report.rig().value(),
                report.boot(),
                report.deviceNanos(),
                productionNanos,
                report.timecode().rate());
        int points = 1 + alerts(report.rig().value(), raised, lines);
        live.lock(report.rig().value(), clocks.lock(report.rig().value()));
        Schema.timecode(
                lines,
                report.rig().value(),
                productionNanos,
                report.timecode().toString(),
                report.timecode().rate().label(),
                report.timecode().dropFrame(),
                report.timecode().frameNumber(),
                report.deviceNanos(),
                report.seq(),
                report.boot());
        return points;
    }

    private int statusPoint(RigStatus status, StringBuilder lines) throws ImplausibleTimeException {
        DeviceClocks.Mapping mapping =
                clocks.map(status.rig().value(), status.boot(), new long[] {status.deviceNanos()});
        int points = 1 + segments(mapping, lines);
        Schema.startStatus(lines, status.rig().value(), status.seq(), status.boot());
        status.batteryPercent().ifPresent(v -> LineProtocol.field(lines, "battery_pct", v));
        status.batteryVolts().ifPresent(v -> LineProtocol.field(lines, "battery_v", v));
        status.temperatureCelsius().ifPresent(v -> LineProtocol.field(lines, "temp_c", v));
        status.wifiRssiDbm().ifPresent(v -> LineProtocol.field(lines, "wifi_rssi_dbm", (long) v));
        status.recording().ifPresent(v -> LineProtocol.field(lines, "recording", v));
        status.imuRateHz().ifPresent(v -> LineProtocol.field(lines, "imu_rate_hz", v));
        status.accelRangeG().ifPresent(v -> LineProtocol.field(lines, "accel_range_g", (long) v));
        status.gyroRangeDps().ifPresent(v -> LineProtocol.field(lines, "gyro_range_dps", (long) v));
        status.firmware().ifPresent(v -> LineProtocol.field(lines, "fw", v));
        Schema.endStatus(lines, mapping.utcNanos()[0]);
        live.status(status, mapping.utcNanos()[0]);
        return points;
    }

    private static int segments(DeviceClocks.Mapping mapping, StringBuilder lines) {
        for (DeviceClocks.Segment s : mapping.created()) {
            Schema.rigClock(
                    lines,
                    s.rig(),
                    s.boot(),
                    s.startDeviceNanos(),
                    s.lengthNanos(),
                    s.startNanos(),
                    s.rate(),
                    s.lock().name().toLowerCase(Locale.ROOT),
                    s.driftPpm(),
                    s.residualRmsNanos());
        }
        return mapping.created().size();
    }

    private int alerts(String rig, List<ClockAlert> raised, StringBuilder lines) {
        long now = clock.millis() * 1_000_000L;
        for (ClockAlert alert : raised) {
            meters.alert(alert.type().tag());
            log.warn("rig {}: {} ({})", rig, alert.message(), alert.type().tag());
            live.alert(rig, alert, now);
            Schema.alert(lines, rig, alert.type().tag(), alert.message(), alert.value(), now++);
        }
        return raised.size();
    }

    /** Counts sequence anomalies; returns true if the message's device time went backwards. */
    private boolean track(
            RigId rig, MessageKind kind, String boot, long seq, long firstDeviceNanos, long lastDeviceNanos) {
        SequenceTracker.Observation seen = sequences.observe(rig, kind, boot, seq, firstDeviceNanos, lastDeviceNanos);
        if (seen.missing() > 0) {
            meters.sequenceAnomaly(kind.topicLevel(), "gap", seen.missing());
        } else if (seen.duplicate()) {
            meters.sequenceAnomaly(kind.topicLevel(), "duplicate", 1);
        } else if (seen.reset()) {
            meters.sequenceAnomaly(kind.topicLevel(), "reset", 1);
        } else if (seen.backwards()) {
            meters.sequenceAnomaly(kind.topicLevel(), "backwards", 1);
        }
        return seen.backwards();
    }

    private IngestResult reject(String publisher, RejectReason reason, String message) {
        meters.rejected(reason.tag());
        rejectLog.warn(
                publisher + "/" + reason.tag(),
                "rejected a message from {} ({}): {}",
                publisher,
                reason.tag(),
                printable(message));
        return new IngestResult.Rejected(reason, message);
    }

    /** Text from a client, safe for one log line: control characters replaced, at most 300 chars. */
    static String printable(String text) {
        String cut = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        return cut.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
