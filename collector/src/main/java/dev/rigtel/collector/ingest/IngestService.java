package dev.rigtel.collector.ingest;

import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.store.AlertPoint;
import dev.rigtel.collector.store.ClockSegmentPoint;
import dev.rigtel.collector.store.PointBatch;
import dev.rigtel.collector.store.StatusPoint;
import dev.rigtel.collector.store.StoreWrites;
import dev.rigtel.collector.store.TimecodePoint;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.SlatePoints;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.timecode.ClockAlert;
import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.DeviceClocks;
import dev.rigtel.collector.timecode.ImplausibleTimeException;
import dev.rigtel.collector.timecode.Timecode;
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
 * to UTC, and hands its points, typed, to the store's write port ({@link StoreWrites}), one {@link
 * PointBatch} per message. Called on transport threads (a Netty event loop): CPU work only, it never
 * blocks and never waits for storage; {@code onStored} runs later, once the points are durable.
 *
 * <p>What it derives (rig state, motion, events, clock alerts, takes) is also told, as it is derived,
 * to its {@link IngestEvents} (the live topics); the transport reports connections with {@link
 * #rigConnected} and {@link #rigDisconnected}. Its peers (motion, events, store) are given to it by
 * the composition root.
 */
public final class IngestService {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    /** Where slate apps publish slate events. */
    public static final String SLATE_TOPIC = "rigtel/v1/slate";

    private final PayloadDecoder decoder;
    private final DeviceClocks clocks;
    private final TakeHistory takes;
    private final MotionTracker motion;
    private final IngestEvents live;
    private java.util.function.BiConsumer<String, Take> recomputeLater = (rig, take) -> {};
    private final ZoneId zone;
    private final Clock clock;
    private final StoreWrites writes;
    private final IngestMeters meters;
    private final SequenceTracker sequences = new SequenceTracker();
    private final RateLimitedLog rejectLog;

    /**
     * @param motion the motion analytics the IMU samples feed; it tells {@code events} too
     * @param events where what ingest derives is shown live; {@link IngestEvents#NONE} for nowhere
     * @param writes the store's write port
     */
    public IngestService(
            PayloadDecoder decoder,
            DeviceClocks clocks,
            TakeHistory takes,
            MotionTracker motion,
            IngestEvents events,
            ZoneId zone,
            StoreWrites writes,
            IngestMeters meters,
            Clock clock) {
        this.decoder = decoder;
        this.clocks = clocks;
        this.takes = takes;
        this.live = events;
        this.motion = motion;
        this.zone = zone;
        this.clock = clock;
        this.writes = writes;
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
            PointBatch points;
            int samples = 0;
            switch (kind) {
                case IMU -> {
                    long receivedMillis = clock.millis();
                    ImuBatch batch = decoder.imu(rig, payload);
                    // Mapped before its sequence is tracked: a batch refused for an implausible time
                    // (a device timer that jumped) must not become the stream's newest.
                    DeviceClocks.Mapping mapping = clocks.map(rig.value(), batch.boot(), batch.deviceNanos());
                    if (track(rig, kind, batch.boot(), batch.seq(), batch.deviceNanos()[0], batch.lastDeviceNanos())) {
                        // Segments frozen for its device times are kept and stored all the same: a
                        // later batch in those times maps through them, also after a restart.
                        PointBatch segments = writes.batch(0);
                        segments(mapping, segments);
                        segments.offerIfAny();
                        return reject(
                                rig.value(),
                                RejectReason.BAD_TIMING,
                                "imu: device time went backwards at seq " + batch.seq() + " (first sample "
                                        + batch.deviceNanos()[0] + " ns)");
                    }
                    // Sized once the samples are counted, so that it does not grow per sample.
                    points = writes.batch(batch.sampleCount());
                    imuPoints(batch, mapping, points, receivedMillis);
                    samples = batch.sampleCount();
                    meters.clipped(batch.clippedSamples());
                }
                case TIMECODE -> {
                    TimecodeReport report = decoder.timecode(rig, payload);
                    points = writes.batch(0);
                    timecodePoint(report, points);
                    track(rig, kind, report.boot(), report.seq(), report.deviceNanos(), report.lastDeviceNanos());
                }
                case STATUS -> {
                    RigStatus status = decoder.status(rig, payload);
                    points = writes.batch(0);
                    statusPoint(status, points);
                    track(rig, kind, status.boot(), status.seq(), status.deviceNanos(), status.deviceNanos());
                }
                default -> throw new IllegalStateException("unhandled kind " + kind);
            }
            meters.accepted(kind.topicLevel(), samples);
            points.offer(
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
            PointBatch alerts = writes.batch(0);
            alerts(rig.value(), e.alerts(), alerts);
            alerts.offerIfAny();
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
        long sequence = writes.batch(0).slate(SlatePoints.of(event)).offer(onStored, onLost);
        boolean changed = takes.add(event, sequence);
        if (changed) {
            live.takesChanged();
        }
        if (event instanceof SlateEvent.Snooze snooze) {
            live.snooze(snooze);
        }
    }

    /**
     * Raises clock alerts from silence (timecode lost), writes the summaries of takes cut a few
     * seconds ago and publishes live states that waited for their rate limit; call about once a
     * second.
     */
    public void tick() {
        Map<String, List<ClockAlert>> alerts = clocks.tick();
        PointBatch points = writes.batch(0);
        List<MotionTracker.Recompute> recompute = new java.util.ArrayList<>();
        motion.finishEndedTakes(clock.millis() * 1_000_000L, points, recompute);
        for (MotionTracker.Recompute r : recompute) {
            recomputeLater.accept(r.rig(), r.take());
        }
        for (Map.Entry<String, List<ClockAlert>> rig : alerts.entrySet()) {
            alerts(rig.getKey(), rig.getValue(), points);
        }
        points.offerIfAny();
        motion.flushTraces(clock.millis());
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
        writes.batch(0)
                .takeSummary(MotionPoints.summary(rig, take, summary, "storage"))
                .offer(() -> {});
    }

    /** The current yaw rate about the vertical of each rig (deg/s), for live views. */
    public Map<String, Double> yawRatesDps() {
        return motion.yawRatesDps();
    }

    /** True while the write buffer holds more than it should; transports stop reading then. */
    public boolean overCapacity() {
        return writes.overCapacity();
    }

    /** Runs {@code resume} once the write buffer has drained enough to read again. */
    public void whenReadyToRead(Runnable resume) {
        writes.whenBelowLowWatermark(resume);
    }

    private void imuPoints(ImuBatch batch, DeviceClocks.Mapping mapping, PointBatch points, long receivedMillis) {
        segments(mapping, points);
        long[] utc = mapping.utcNanos();
        if (batch.packed()) {
            // The store may keep the counts: a packed sample costs the spool a few bytes.
            points.imuCounts(
                    batch.rig().value(),
                    utc,
                    batch.values(),
                    batch.deviceNanos(),
                    batch.accelMps2PerCount(),
                    batch.gyroDpsPerCount());
        } else {
            points.imu(batch.rig().value(), utc, batch.values(), batch.deviceNanos());
        }
        motion.accept(batch.rig().value(), utc, batch.values(), points, receivedMillis);
    }

    private void timecodePoint(TimecodeReport report, PointBatch points) throws ImplausibleTimeException {
        DatedTimecode first = report.shootingDate()
                .map(date -> new DatedTimecode(date, report.timecode()))
                .orElseGet(() -> DatedTimecode.nearest(report.timecode(), clock.instant(), zone));
        int frames = report.frameCount();
        // Frame i of a batched report is i frames after the first (its date follows across midnight).
        DatedTimecode[] at = new DatedTimecode[frames];
        long[] deviceNanos = new long[frames];
        long[] productionNanos = new long[frames];
        for (int i = 0; i < frames; i++) {
            at[i] = i == 0 ? first : first.plusFrames(i);
            deviceNanos[i] = i == 0 ? report.deviceNanos() : report.nextDeviceNanos()[i - 1];
            productionNanos[i] = at[i].utcNanos(zone);
        }
        String rig = report.rig().value();
        List<ClockAlert> raised = clocks.timecode(
                rig,
                report.boot(),
                deviceNanos,
                productionNanos,
                report.timecode().rate());
        alerts(rig, raised, points);
        live.lock(rig, clocks.lock(rig));
        for (int i = 0; i < frames; i++) {
            Timecode timecode = at[i].timecode();
            points.timecode(new TimecodePoint(
                    rig,
                    productionNanos[i],
                    timecode.toString(),
                    timecode.rate().label(),
                    timecode.dropFrame(),
                    timecode.frameNumber(),
                    deviceNanos[i],
                    report.seq(),
                    report.boot()));
        }
    }

    private void statusPoint(RigStatus status, PointBatch points) throws ImplausibleTimeException {
        DeviceClocks.Mapping mapping =
                clocks.map(status.rig().value(), status.boot(), new long[] {status.deviceNanos()});
        segments(mapping, points);
        long utcNanos = mapping.utcNanos()[0];
        points.status(new StatusPoint(
                status.rig().value(),
                status.seq(),
                status.boot(),
                status.batteryPercent(),
                status.batteryVolts(),
                status.temperatureCelsius(),
                status.wifiRssiDbm(),
                status.recording(),
                status.imuRateHz(),
                status.accelRangeG(),
                status.gyroRangeDps(),
                status.firmware(),
                utcNanos));
        live.status(status, utcNanos);
    }

    private static void segments(DeviceClocks.Mapping mapping, PointBatch points) {
        for (DeviceClocks.Segment s : mapping.created()) {
            points.clockSegment(new ClockSegmentPoint(
                    s.rig(),
                    s.boot(),
                    s.startDeviceNanos(),
                    s.lengthNanos(),
                    s.startNanos(),
                    s.rate(),
                    s.lock().name().toLowerCase(Locale.ROOT),
                    s.driftPpm(),
                    s.residualRmsNanos()));
        }
    }

    private void alerts(String rig, List<ClockAlert> raised, PointBatch points) {
        long now = clock.millis() * 1_000_000L;
        for (ClockAlert alert : raised) {
            meters.alert(alert.type().tag());
            log.warn("rig {}: {} ({})", rig, alert.message(), alert.type().tag());
            live.alert(rig, alert, now);
            points.alert(new AlertPoint(rig, alert.type().tag(), alert.message(), alert.value(), now++));
        }
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
