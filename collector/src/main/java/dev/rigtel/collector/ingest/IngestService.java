package dev.rigtel.collector.ingest;

import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.store.LineProtocol;
import dev.rigtel.collector.store.Schema;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.timecode.DeviceClocks;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-independent intake: decodes and validates a rig's message, maps its device times
 * to UTC, encodes its points and hands them to the {@link WriteBuffer}. Called on transport threads
 * (a Netty event loop): CPU work only, it never blocks and never waits for storage; {@code onStored}
 * runs later, on the writer thread, once the points are in InfluxDB.
 */
public final class IngestService {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final PayloadDecoder decoder;
    private final DeviceClocks clocks;
    private final WriteBuffer buffer;
    private final IngestMeters meters;
    private final SequenceTracker sequences = new SequenceTracker();
    private final RateLimitedLog rejectLog;

    public IngestService(
            PayloadDecoder decoder, DeviceClocks clocks, WriteBuffer buffer, IngestMeters meters, Clock clock) {
        this.decoder = decoder;
        this.clocks = clocks;
        this.buffer = buffer;
        this.meters = meters;
        this.rejectLog = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
    }

    /**
     * Takes one PUBLISH from an authenticated rig.
     *
     * @param onStored runs once every point of the message is stored (for QoS 1: send PUBACK then)
     */
    public IngestResult accept(RigId rig, String topic, byte[] payload, Runnable onStored) {
        long arrived = System.nanoTime();
        Optional<RigTopic> parsed = RigTopic.parse(topic);
        if (parsed.isEmpty() || !parsed.get().rigLevel().equals(rig.value())) {
            RejectReason reason =
                    RigTopic.isUnder(topic, rig) ? RejectReason.UNKNOWN_TOPIC : RejectReason.FOREIGN_TOPIC;
            return reject(
                    rig, reason, "topic '" + topic + "' is not one of rigtel/v1/" + rig + "/{imu,timecode,status}");
        }
        MessageKind kind = parsed.get().kind();
        try {
            StringBuilder lines = new StringBuilder(kind == MessageKind.IMU ? payload.length * 2 : 256);
            int points;
            int samples = 0;
            switch (kind) {
                case IMU -> {
                    ImuBatch batch = decoder.imu(rig, payload);
                    points = imuPoints(batch, lines);
                    samples = batch.sampleCount();
                    track(rig, kind, batch.boot(), batch.seq());
                }
                case TIMECODE -> {
                    TimecodeReport report = decoder.timecode(rig, payload);
                    points = timecodePoint(report, lines);
                    track(rig, kind, report.boot(), report.seq());
                }
                case STATUS -> {
                    RigStatus status = decoder.status(rig, payload);
                    points = statusPoint(status, lines);
                    track(rig, kind, status.boot(), status.seq());
                }
                default -> throw new IllegalStateException("unhandled kind " + kind);
            }
            meters.accepted(kind.topicLevel(), samples);
            buffer.offer(lines.toString(), points, () -> {
                meters.stored(arrived);
                onStored.run();
            });
            return new IngestResult.Accepted(kind, samples);
        } catch (PayloadRejectedException e) {
            return reject(rig, e.reason(), kind.topicLevel() + ": " + e.getMessage());
        }
    }

    /** True while the write buffer holds more than it should; transports stop reading then. */
    public boolean overCapacity() {
        return buffer.overCapacity();
    }

    /** Runs {@code resume} once the write buffer has drained enough to read again. */
    public void whenReadyToRead(Runnable resume) {
        buffer.whenBelowLowWatermark(resume);
    }

    private int imuPoints(ImuBatch batch, StringBuilder lines) {
        long[] device = batch.deviceNanos();
        DeviceClocks.Anchor anchor =
                clocks.anchor(batch.rig().value(), batch.boot(), device[0], batch.lastDeviceNanos());
        int points = device.length;
        if (anchor.created()) {
            Schema.rigBoot(lines, batch.rig().value(), batch.boot(), anchor.anchorNanos(), anchor.utcNanos(device[0]));
            points++;
        }
        double[] values = batch.values();
        for (int i = 0; i < device.length; i++) {
            Schema.imu(lines, batch.rig().value(), anchor.utcNanos(device[i]), values, i * ImuBatch.VALUES_PER_SAMPLE);
        }
        return points;
    }

    private int timecodePoint(TimecodeReport report, StringBuilder lines) {
        DeviceClocks.Anchor anchor =
                clocks.anchor(report.rig().value(), report.boot(), report.deviceNanos(), report.deviceNanos());
        int points = 1;
        if (anchor.created()) {
            Schema.rigBoot(
                    lines,
                    report.rig().value(),
                    report.boot(),
                    anchor.anchorNanos(),
                    anchor.utcNanos(report.deviceNanos()));
            points++;
        }
        Schema.timecode(
                lines,
                report.rig().value(),
                anchor.utcNanos(report.deviceNanos()),
                report.timecode().toString(),
                report.timecode().rate().label(),
                report.timecode().dropFrame(),
                report.timecode().frameNumber(),
                report.deviceNanos(),
                report.seq(),
                report.boot());
        return points;
    }

    private int statusPoint(RigStatus status, StringBuilder lines) {
        DeviceClocks.Anchor anchor =
                clocks.anchor(status.rig().value(), status.boot(), status.deviceNanos(), status.deviceNanos());
        int points = 1;
        if (anchor.created()) {
            Schema.rigBoot(
                    lines,
                    status.rig().value(),
                    status.boot(),
                    anchor.anchorNanos(),
                    anchor.utcNanos(status.deviceNanos()));
            points++;
        }
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
        Schema.endStatus(lines, anchor.utcNanos(status.deviceNanos()));
        return points;
    }

    private void track(RigId rig, MessageKind kind, String boot, long seq) {
        SequenceTracker.Observation seen = sequences.observe(rig, kind, boot, seq);
        if (seen.missing() > 0) {
            meters.sequenceAnomaly(kind.topicLevel(), "gap", seen.missing());
        } else if (seen.duplicate()) {
            meters.sequenceAnomaly(kind.topicLevel(), "duplicate", 1);
        } else if (seen.reset()) {
            meters.sequenceAnomaly(kind.topicLevel(), "reset", 1);
        }
    }

    private IngestResult reject(RigId rig, RejectReason reason, String message) {
        meters.rejected(reason.tag());
        rejectLog.warn(
                rig.value() + "/" + reason.tag(),
                "rejected a message from rig {} ({}): {}",
                rig,
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
