package dev.rigtel.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigtel.collector.ingest.json.ImuBatchJson;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.collector.takes.TakeBook;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.ManualClock;
import dev.rigtel.collector.testing.RecordingOutlet;
import dev.rigtel.collector.testing.RecordingSink;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live topics driven through a real {@link IngestService} (real decoder, clocks, take book,
 * motion and write buffer) with the example payloads of firmware-notes/, read back from a recording
 * outlet as any MQTT client on set would get them.
 */
class LiveTopicsTest {

    static final String RIG = "rig-07"; // the rig examples/slate-assign.json assigns
    static final String STATE = "rigtel/v1/live/rig-07/state";
    static final String MOTION = "rigtel/v1/live/rig-07/motion";
    static final String EVENT = "rigtel/v1/live/rig-07/event";
    static final String ALERT = "rigtel/v1/live/rig-07/alert";
    static final String TAKES = "rigtel/v1/live/takes";
    static final Instant T0 = Instant.parse("2026-11-21T14:03:00Z");
    static final String BOOT = "9f3a61c2"; // the boot of examples/status.json and imu-1khz.json
    private static final double G0 = RigMotion.G0;
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(T0);
    final RecordingOutlet outlet = new RecordingOutlet();
    final WireMapper wire = WireMapper.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Publisher slateApp = new Publisher(new RigId("slate-app"), false, true);
    private WriteBuffer buffer;
    IngestService ingest;

    @BeforeEach
    void setUp() throws IOException {
        buffer = new WriteBuffer(
                        new RecordingSink(),
                        Spool.open(SpoolOptions.defaults(dir.resolve("spool"))),
                        new WriteBufferOptions(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(10)),
                        new StoreMeters(registry))
                .start();
        ingest = new IngestService(
                new PayloadDecoder(wire, 4000),
                new DeviceClocks(clock, AlignerOptions.defaults()),
                new TakeBook(),
                MotionConfig.defaults(),
                ZoneOffset.UTC,
                buffer,
                new IngestMeters(registry),
                clock,
                outlet);
    }

    @AfterEach
    void tearDown() {
        buffer.close();
    }

    @Test
    void connectingPublishesARetainedOnlineStateAtQos1() {
        ingest.rigConnected(new RigId(RIG));

        List<RecordingOutlet.Message> states = outlet.on(STATE);
        assertThat(states).hasSize(1);
        assertThat(states.get(0).qos()).isEqualTo(1);
        assertThat(states.get(0).retain()).isTrue();
        JsonNode state = json(states.get(0));
        assertThat(state.get("v").asInt()).isEqualTo(1);
        assertThat(state.get("rig").asText()).isEqualTo(RIG);
        assertThat(state.get("online").asBoolean()).isTrue();
        assertThat(state.get("since").asText()).isEqualTo("2026-11-21T14:03:00Z");
        assertThat(state.get("sinceNanos").asLong()).isEqualTo(nanos(T0));
        assertThat(state.get("timecodeLock").asText()).isEqualTo("unlocked");
        assertThat(state.get("status").isNull()).isTrue();
        assertThat(state.get("take").isNull()).isTrue();
        assertThat(state.get("wearer").isNull()).isTrue();
    }

    @Test
    void aStatusReportPutsItsMeasurementsInTheRetainedState() {
        ingest.rigConnected(new RigId(RIG));
        clock.advance(Duration.ofSeconds(2));

        accept("status", FirmwareNotes.example("status.json"));

        List<RecordingOutlet.Message> states = outlet.on(STATE);
        assertThat(states).hasSize(2);
        assertThat(states.get(1).retain()).isTrue();
        JsonNode status = json(states.get(1)).get("status");
        assertThat(status.get("batteryPercent").asDouble()).isEqualTo(87.5);
        assertThat(status.get("batteryVolts").asDouble()).isEqualTo(3.92);
        assertThat(status.get("temperatureCelsius").asDouble()).isEqualTo(41.25);
        assertThat(status.get("wifiRssiDbm").asInt()).isEqualTo(-61);
        assertThat(status.get("recording").asBoolean()).isTrue();
        assertThat(status.get("imuRateHz").asDouble()).isEqualTo(1000.0);
        assertThat(status.get("accelRangeG").asInt()).isEqualTo(16);
        assertThat(status.get("gyroRangeDps").asInt()).isEqualTo(2000);
        assertThat(status.get("firmware").asText()).isEqualTo("1.4.2");
        assertThat(status.get("boot").asText()).isEqualTo(BOOT);
        // The first message of a boot without timecode is anchored at the collector's clock.
        assertThat(status.get("time").asText()).isEqualTo("2026-11-21T14:03:02Z");
        assertThat(status.get("timeNanos").asLong()).isEqualTo(nanos(T0) + 2_000 * MS);
    }

    @Test
    void statusReportsWithinASecondOfTheLastStateWaitAndTheTickPublishesTheNewest() {
        ingest.rigConnected(new RigId(RIG));
        clock.advance(Duration.ofMillis(200));
        accept("status", FirmwareNotes.example("status.json"));
        clock.advance(Duration.ofMillis(200));
        accept("status", status(13, 80.0));
        clock.advance(Duration.ofMillis(200));
        ingest.tick();
        assertThat(outlet.on(STATE)).hasSize(1);

        clock.advance(Duration.ofMillis(400));
        ingest.tick();
        ingest.tick();

        List<RecordingOutlet.Message> states = outlet.on(STATE);
        assertThat(states).hasSize(2);
        assertThat(json(states.get(1)).get("status").get("batteryPercent").asDouble())
                .isEqualTo(80.0);
    }

    @Test
    void disconnectingPublishesARetainedOfflineStateThatKeepsTheLastStatus() {
        ingest.rigConnected(new RigId(RIG));
        clock.advance(Duration.ofSeconds(2));
        accept("status", FirmwareNotes.example("status.json"));
        clock.advance(Duration.ofSeconds(5));

        ingest.rigDisconnected(new RigId(RIG));

        List<RecordingOutlet.Message> states = outlet.on(STATE);
        assertThat(states).hasSize(3);
        RecordingOutlet.Message last = states.get(2);
        assertThat(last.qos()).isEqualTo(1);
        assertThat(last.retain()).isTrue();
        JsonNode state = json(last);
        assertThat(state.get("online").asBoolean()).isFalse();
        assertThat(state.get("since").asText()).isEqualTo("2026-11-21T14:03:07Z");
        assertThat(state.get("status").get("batteryPercent").asDouble()).isEqualTo(87.5);
    }

    @Test
    void aRigStaysOnlineUntilItsLastConnectionCloses() {
        RigId rig = new RigId(RIG);
        ingest.rigConnected(rig);
        ingest.rigConnected(rig); // a new connection takes the session over...
        ingest.rigDisconnected(rig); // ...and the old one closes after it
        assertThat(outlet.on(STATE)).hasSize(1);

        ingest.rigDisconnected(rig);

        List<RecordingOutlet.Message> states = outlet.on(STATE);
        assertThat(states).hasSize(2);
        assertThat(json(states.get(1)).get("online").asBoolean()).isFalse();
    }

    @Test
    void aRigThatSendsBeforeTheTransportReportsConnectionsIsOnline() {
        accept("status", FirmwareNotes.example("status.json"));

        List<RecordingOutlet.Message> states = outlet.on(STATE);
        assertThat(states).hasSize(1);
        assertThat(json(states.get(0)).get("online").asBoolean()).isTrue();
    }

    @Test
    void timecodeLockAndItsLossChangeTheStateAtOnceAndTheLossIsAnAlert() {
        ingest.rigConnected(new RigId(RIG));

        lockTimecode();

        List<RecordingOutlet.Message> states = outlet.on(STATE);
        assertThat(states).hasSize(2); // not held back by the rate limit: the lock changed
        assertThat(json(states.get(1)).get("timecodeLock").asText()).isEqualTo("locked");
        assertThat(outlet.on(ALERT)).isEmpty();

        clock.advance(Duration.ofSeconds(4));
        ingest.tick();

        List<RecordingOutlet.Message> alerts = outlet.on(ALERT);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).qos()).isEqualTo(1);
        assertThat(alerts.get(0).retain()).isFalse();
        JsonNode alert = json(alerts.get(0));
        assertThat(alert.get("v").asInt()).isEqualTo(1);
        assertThat(alert.get("rig").asText()).isEqualTo(RIG);
        assertThat(alert.get("type").asText()).isEqualTo("timecode-lost");
        assertThat(alert.get("message").asText()).contains("no timecode report");
        assertThat(alert.get("silenceSeconds").asDouble()).isEqualTo(4.0);
        assertThat(alert.get("jumpFrames").isNull()).isTrue();
        assertThat(alert.get("driftPpm").isNull()).isTrue();
        assertThat(alert.get("time").asText()).isEqualTo("2026-11-21T14:03:04Z");
        assertThat(outlet.on(STATE)).hasSize(3);
        assertThat(json(outlet.on(STATE).get(2)).get("timecodeLock").asText()).isEqualTo("holdover");
    }

    @Test
    void eachClosedSecondIsOneMotionMessageWithItsRollupAndYawRate() {
        ingest.rigConnected(new RigId(RIG));
        // Turning left at 30 deg/s about the vertical, y up: a head turn that never ends.
        for (int batch = 0; batch < 4; batch++) {
            clock.advance(Duration.ofSeconds(1));
            accept("imu", imu(batch, 1000, i -> new double[] {0, G0, 0, 0, 30, 0}));
        }

        List<RecordingOutlet.Message> motion = outlet.on(MOTION);
        assertThat(motion).hasSize(4);
        assertThat(motion).allMatch(m -> m.qos() == 0 && !m.retain());
        long previous = Long.MIN_VALUE;
        for (RecordingOutlet.Message m : motion) {
            JsonNode rollup = json(m);
            long second = rollup.get("timeNanos").asLong();
            assertThat(second % 1_000_000_000L).isZero();
            assertThat(rollup.get("time").asText()).isEqualTo(LiveTopics.iso(second));
            if (previous != Long.MIN_VALUE) {
                assertThat(second - previous).isEqualTo(1_000_000_000L);
            }
            previous = second;
        }
        JsonNode full = json(motion.get(3));
        assertThat(full.get("v").asInt()).isEqualTo(1);
        assertThat(full.get("rig").asText()).isEqualTo(RIG);
        assertThat(full.get("samples").asInt()).isEqualTo(1000);
        assertThat(full.get("expectedSamples").asInt()).isEqualTo(1000);
        assertThat(full.get("gaps").asInt()).isZero();
        assertThat(full.get("accelPeakG").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(full.get("accelRmsG").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(full.get("gyroPeakDps").asDouble()).isCloseTo(30.0, within(1e-9));
        assertThat(full.get("gyroRmsDps").asDouble()).isCloseTo(30.0, within(1e-9));
        assertThat(full.get("yawRateDps").asDouble()).isCloseTo(30.0, within(0.5));
    }

    @Test
    void motionIsAtMostOneMessageASecondPerRigEvenForABacklog() {
        ingest.rigConnected(new RigId(RIG));
        // Ten seconds of samples re-sent at once after a reconnect: all stored, two published.
        for (int batch = 0; batch < 10; batch++) {
            accept("imu", imu(batch, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}));
        }
        assertThat(outlet.on(MOTION)).hasSize(2);

        clock.advance(Duration.ofSeconds(1));
        accept("imu", imu(10, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}));
        assertThat(outlet.on(MOTION)).hasSize(3);

        clock.advance(Duration.ofMillis(500));
        accept("imu", imu(11, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}));
        assertThat(outlet.on(MOTION)).hasSize(3);

        clock.advance(Duration.ofMillis(500));
        accept("imu", imu(12, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}));
        assertThat(outlet.on(MOTION)).hasSize(4);

        // Another rig has its own allowance.
        Publisher other = new Publisher(new RigId("rig-08"), true, false);
        for (int batch = 0; batch < 2; batch++) {
            IngestResult result = ingest.accept(
                    other, "rigtel/v1/rig-08/imu", imu(batch, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}), () -> {});
            assertThat(result).isInstanceOf(IngestResult.Accepted.class);
        }
        assertThat(outlet.on("rigtel/v1/live/rig-08/motion")).hasSize(2);
    }

    @Test
    void anImpactIsPublishedAsAnEventWithItsPeakAndHic() {
        ingest.rigConnected(new RigId(RIG));
        // At rest, y up; a 14 g half-sine of 10 ms along x from sample 500 (peak at sample 505).
        accept("imu", imu(0, 1000, i -> {
            double rel = i - 500;
            double ax = rel >= 0 && rel <= 10 ? 14 * G0 * Math.sin(Math.PI * rel / 10) : 0;
            return new double[] {ax, G0, 0, 0, 0, 0};
        }));

        List<RecordingOutlet.Message> events = outlet.on(EVENT);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).qos()).isEqualTo(1);
        assertThat(events.get(0).retain()).isFalse();
        JsonNode event = json(events.get(0));
        assertThat(event.get("v").asInt()).isEqualTo(1);
        assertThat(event.get("rig").asText()).isEqualTo(RIG);
        assertThat(event.get("type").asText()).isEqualTo("impact");
        assertThat(event.get("peakG").asDouble()).isCloseTo(Math.sqrt(14 * 14 + 1), within(1e-6));
        assertThat(event.get("hic15").asDouble()).isPositive();
        long onset = event.get("onsetNanos").asLong();
        assertThat(event.get("endNanos").asLong() - onset).isEqualTo(32 * MS);
        assertThat(event.get("onset").asText()).isEqualTo(LiveTopics.iso(onset));
        assertThat(event.get("end").asText()).isEqualTo(LiveTopics.iso(onset + 32 * MS));
        for (String notForImpacts : List.of(
                "peakYawRateDps", "angleDeg", "direction", "axis", "clippedG", "clippedDps", "missingSamples")) {
            assertThat(event.get(notForImpacts).isNull()).as(notForImpacts).isTrue();
        }
    }

    @Test
    void aRollPublishesARetainedTakeStartedAndPutsTheTakeAndWearerInTheState() {
        ingest.rigConnected(new RigId(RIG));

        slate("slate-assign.json");
        assertThat(json(last(STATE)).get("wearer").asText()).isEqualTo("Dana Brooks");
        assertThat(outlet.on(TAKES)).isEmpty();

        slate("slate-roll.json");

        List<RecordingOutlet.Message> takes = outlet.on(TAKES);
        assertThat(takes).hasSize(1);
        assertThat(takes.get(0).qos()).isEqualTo(1);
        assertThat(takes.get(0).retain()).isTrue();
        JsonNode take = json(takes.get(0));
        assertThat(take.get("v").asInt()).isEqualTo(1);
        assertThat(take.get("event").asText()).isEqualTo("started");
        assertThat(take.get("takeId").asText()).isEqualTo("5b0e6c1e-roll");
        assertThat(take.get("name").asText()).isEqualTo("42A-3");
        assertThat(take.get("scene").asText()).isEqualTo("42");
        assertThat(take.get("shot").asText()).isEqualTo("A");
        assertThat(take.get("take").asInt()).isEqualTo(3);
        assertThat(take.get("cameraRoll").asText()).isEqualTo("A001");
        assertThat(take.get("date").asText()).isEqualTo("2026-11-21");
        assertThat(take.get("startTimecode").asText()).isEqualTo("14:03:27:00");
        assertThat(take.get("start").asText()).isEqualTo("2026-11-21T14:03:27Z");
        assertThat(take.get("end").isNull()).isTrue();
        assertThat(take.get("endNanos").isNull()).isTrue();
        assertThat(take.get("rigs").toString()).isEqualTo("[\"rig-07\"]");
        assertThat(take.get("wearers").toString()).isEqualTo("[{\"rig\":\"rig-07\",\"person\":\"Dana Brooks\"}]");
        JsonNode stateTake = json(last(STATE)).get("take");
        assertThat(stateTake.get("id").asText()).isEqualTo("5b0e6c1e-roll");
        assertThat(stateTake.get("name").asText()).isEqualTo("42A-3");
        assertThat(stateTake.get("scene").asText()).isEqualTo("42");
        assertThat(stateTake.get("shot").asText()).isEqualTo("A");
        assertThat(stateTake.get("take").asInt()).isEqualTo(3);
    }

    @Test
    void aCutPublishesTheTakeEndedAndClearsTheTakeFromTheState() {
        ingest.rigConnected(new RigId(RIG));
        slate("slate-roll.json");
        int states = outlet.on(STATE).size();

        slate("slate-cut.json");

        List<RecordingOutlet.Message> takes = outlet.on(TAKES);
        assertThat(takes).hasSize(2);
        JsonNode ended = json(takes.get(1));
        assertThat(ended.get("event").asText()).isEqualTo("ended");
        assertThat(ended.get("endTimecode").asText()).isEqualTo("14:05:02:11");
        assertThat(ended.get("end").asText()).isEqualTo("2026-11-21T14:05:02.440Z"); // frame 11 at 25 fps
        assertThat(ended.get("closedByNextRoll").asBoolean()).isFalse();
        assertThat(outlet.on(STATE)).hasSize(states + 1);
        assertThat(json(last(STATE)).get("take").isNull()).isTrue();

        slate("slate-mark.json"); // marks the take: not a start or an end
        slate("slate-cut.json"); // re-sent: nothing changed
        assertThat(outlet.on(TAKES)).hasSize(2);
        assertThat(outlet.on(STATE)).hasSize(states + 1);
    }

    @Test
    void aRollWithoutCutEndsThePreviousTakeBeforeTheNextStarts() throws IOException {
        slate("slate-roll.json");
        ObjectNode next = (ObjectNode) wire.mapper().readTree(FirmwareNotes.example("slate-roll.json"));
        next.put("id", "7c2f-roll").put("tc", "14:06:00:00").put("take", 4);

        slate(wire.mapper().writeValueAsBytes(next));

        List<String> events = outlet.on(TAKES).stream()
                .map(LiveTopicsTest.this::json)
                .map(t -> t.get("event").asText() + " " + t.get("name").asText() + " "
                        + t.get("closedByNextRoll").asBoolean())
                .toList();
        assertThat(events).containsExactly("started 42A-3 false", "ended 42A-3 true", "started 42A-4 false");
    }

    @Test
    void withoutAnOutletNothingIsEncodedAndIngestWorksAsBefore() {
        IngestService quiet = new IngestService(
                new PayloadDecoder(wire, 4000),
                new DeviceClocks(clock, AlignerOptions.defaults()),
                new TakeBook(),
                MotionConfig.defaults(),
                ZoneOffset.UTC,
                buffer,
                new IngestMeters(registry),
                clock);
        quiet.rigConnected(new RigId(RIG));
        IngestResult result = quiet.accept(
                new Publisher(new RigId(RIG), true, false),
                "rigtel/v1/rig-07/status",
                FirmwareNotes.example("status.json"),
                () -> {});

        assertThat(result).isInstanceOf(IngestResult.Accepted.class);
        assertThat(outlet.messages()).isEmpty();
    }

    // --- helpers, shared with LiveTopicsDocsTest ---

    void accept(String kind, byte[] payload) {
        IngestResult result = ingest.accept(
                new Publisher(new RigId(RIG), true, false), "rigtel/v1/" + RIG + "/" + kind, payload, () -> {});
        assertThat(result).as(kind).isInstanceOf(IngestResult.Accepted.class);
    }

    void slate(String example) {
        slate(FirmwareNotes.example(example));
    }

    void slate(byte[] payload) {
        IngestResult result = ingest.accept(slateApp, IngestService.SLATE_TOPIC, payload, () -> {});
        assertThat(result).isInstanceOf(IngestResult.Accepted.class);
    }

    /** Timecode reports (examples/timecode-25.json, in the IMU's boot) until the rig locks. */
    void lockTimecode() {
        try {
            for (int k = 0; k < AlignerOptions.defaults().minPairs(); k++) {
                ObjectNode report = (ObjectNode) wire.mapper().readTree(FirmwareNotes.example("timecode-25.json"));
                report.put("seq", k)
                        .put("boot", BOOT)
                        .put("tc", String.format("14:02:%02d:00", 50 + k))
                        .put("t_us", 5_000_000L + k * 1_000_000L);
                accept("timecode", wire.mapper().writeValueAsBytes(report));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** examples/status.json with another {@code seq} and battery level. */
    byte[] status(long seq, double batteryPercent) {
        try {
            ObjectNode status = (ObjectNode) wire.mapper().readTree(FirmwareNotes.example("status.json"));
            status.put("seq", seq).put("battery_pct", batteryPercent);
            return wire.mapper().writeValueAsBytes(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An IMU batch as examples/imu-1khz.json (1 kHz, {@code dt_ns}), batch {@code n} of a contiguous
     * stream of {@code count}-sample batches, each sample {@code [ax ay az] m/s^2, [gx gy gz] deg/s}.
     */
    byte[] imu(int n, int count, IntFunction<double[]> sample) {
        try {
            ImuBatchJson example = wire.read(FirmwareNotes.example("imu-1khz.json"), ImuBatchJson.class);
            double[][] samples = new double[count][];
            for (int i = 0; i < count; i++) {
                samples[i] = sample.apply(i);
            }
            return wire.writeJson(new ImuBatchJson(
                    example.version(),
                    example.seq() + n,
                    example.boot(),
                    example.firstSampleMicros() + (long) n * count * example.intervalNanos() / 1000,
                    example.intervalNanos(),
                    null,
                    samples));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode json(RecordingOutlet.Message message) {
        try {
            return wire.mapper().readTree(message.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RecordingOutlet.Message last(String topic) {
        List<RecordingOutlet.Message> on = outlet.on(topic);
        assertThat(on).as(topic).isNotEmpty();
        return on.get(on.size() - 1);
    }

    static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
