package dev.rigtel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigtel.collector.ingest.ImuBatch;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.RigTopic;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.testing.FreePorts;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against a real MQTT broker (Debian's mosquitto): what a subscriber receives is
 * exactly what the summary says was sent and acknowledged, and every payload is valid; a short
 * shooting day's slate events arrive on {@code rigtel/v1/slate} in the order sent.
 */
class SimulatorMosquittoIT {

    private static final Path MOSQUITTO = Path.of(System.getProperty("rigtel.mosquitto", "/usr/sbin/mosquitto"));
    private static final WireMapper WIRE = WireMapper.create();
    private static final PayloadDecoder DECODER = new PayloadDecoder(WIRE, 4000);

    @TempDir
    static Path dir;

    private static Process broker;
    private static int port;

    private MqttClient subscriber;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private record Received(String topic, byte[] payload) {}

    @BeforeAll
    static void startMosquitto() throws Exception {
        assertThat(Files.isExecutable(MOSQUITTO))
                .as(
                        "this test needs the mosquitto MQTT broker at %s (apt-get install mosquitto, or point"
                                + " -Drigtel.mosquitto=PATH at it)",
                        MOSQUITTO)
                .isTrue();
        // Below the ephemeral range: mosquitto binds it later, and a port from bind(0) may be taken
        // by then by another bind(0) or an outgoing connection.
        port = FreePorts.freePort();
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(
                config,
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                        + "max_queued_messages 100000\nmax_inflight_messages 100\n");
        broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
                .start();
        await("mosquitto listening on port " + port)
                .atMost(Duration.ofSeconds(10))
                .until(() -> {
                    assertThat(broker.isAlive())
                            .as("mosquitto exited: %s", Files.readString(dir.resolve("mosquitto.log")))
                            .isTrue();
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    @AfterAll
    static void stopMosquitto() throws Exception {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(5, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @BeforeEach
    void subscribe() throws Exception {
        subscriber = new MqttClient(brokerUri(), "it-subscriber", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        subscriber.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        subscriber.connect(options);
        subscriber.subscribe("rigtel/v1/#", 1);
    }

    @AfterEach
    void unsubscribe() throws Exception {
        subscriber.disconnect();
        subscriber.close();
    }

    private static String brokerUri() {
        return "tcp://127.0.0.1:" + port;
    }

    private static SimulatorOptions.Builder twoRigsAt200Hz() {
        return SimulatorOptions.builder()
                .brokerUri(brokerUri())
                .rigs(2)
                .sampleRateHz(200)
                .qos(1)
                .duration(Duration.ofSeconds(2))
                .timecodeInterval(Duration.ofMillis(500))
                .statusInterval(Duration.ofSeconds(1));
    }

    @Test
    void subscriberReceivesExactlyTheSamplesSentAndAcknowledged() throws Exception {
        SimulationSummary summary = new Simulator(twoRigsAt200Hz().build(), Clock.systemUTC()).run();

        assertThat(summary.allAcknowledged()).isTrue();
        // 2 s at 200 Hz in 50 ms batches: 40 batches, 400 samples per rig.
        assertThat(summary.totals().samplesSent()).isEqualTo(800);
        assertThat(summary.totals().samplesAcked()).isEqualTo(800);
        assertThat(summary.totals().imuMessagesSent()).isEqualTo(80);
        assertThat(summary.totals().timecodeReportsSent()).isEqualTo(8);
        assertThat(summary.totals().statusReportsSent()).isEqualTo(4);
        assertThat(summary.durationSeconds()).isBetween(1.9, 3.0);

        long expectedMessages = summary.totals().imuMessagesSent()
                + summary.totals().timecodeReportsSent()
                + summary.totals().statusReportsSent();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= expectedMessages);

        Map<String, List<ImuBatch>> batchesByRig = new ConcurrentHashMap<>();
        int timecodes = 0;
        int statuses = 0;
        for (Received message : received) {
            RigTopic topic = RigTopic.parse(message.topic()).orElseThrow();
            RigId rig = new RigId(topic.rigLevel());
            switch (topic.kind()) {
                case IMU ->
                    batchesByRig
                            .computeIfAbsent(rig.value(), r -> new ArrayList<>())
                            .add(DECODER.imu(rig, message.payload()));
                case TIMECODE -> {
                    DECODER.timecode(rig, message.payload());
                    timecodes++;
                }
                case STATUS -> {
                    DECODER.status(rig, message.payload());
                    statuses++;
                }
            }
        }
        assertThat(timecodes).isEqualTo(summary.totals().timecodeReportsSent());
        assertThat(statuses).isEqualTo(summary.totals().statusReportsSent());
        long receivedSamples = batchesByRig.values().stream()
                .flatMap(List::stream)
                .mapToLong(ImuBatch::sampleCount)
                .sum();
        assertThat(receivedSamples)
                .isEqualTo(summary.totals().samplesSent())
                .isEqualTo(summary.totals().samplesAcked());

        for (SimulationSummary.RigSummary rig : summary.perRig()) {
            List<ImuBatch> batches = batchesByRig.get(rig.rig());
            batches.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            assertThat(batches)
                    .extracting(ImuBatch::seq)
                    .containsExactlyElementsOf(
                            LongStream.range(0, rig.imuMessagesSent()).boxed().toList());
            double[] sums = new double[6];
            for (ImuBatch batch : batches) {
                assertThat(batch.boot()).isEqualTo(rig.boot());
                for (int i = 0; i < batch.sampleCount(); i++) {
                    for (int k = 0; k < 6; k++) {
                        sums[k] += batch.values()[i * 6 + k];
                    }
                }
            }
            assertThat(sums)
                    .containsExactly(rig.sumAx(), rig.sumAy(), rig.sumAz(), rig.sumGx(), rig.sumGy(), rig.sumGz());
            assertThat(batches.get(0).deviceNanos()[0]).isEqualTo(rig.firstSampleDeviceNanos());
            assertThat(batches.get(batches.size() - 1).lastDeviceNanos()).isEqualTo(rig.lastSampleDeviceNanos());
        }
    }

    @Test
    void slateEventsOfAShortDayArriveOnTheSlateTopicInOrder() throws Exception {
        SimulatorOptions options = twoRigsAt200Hz()
                .duration(Duration.ZERO)
                .slateUsername("slate")
                .dayTakes(2)
                .takeLength(Duration.ofSeconds(2))
                .betweenTakes(Duration.ofSeconds(1))
                .clockDriftPpm(50)
                .clockJitterMicros(20)
                .build();
        SimulationSummary summary = new Simulator(options, Clock.systemUTC()).run();

        assertThat(summary.allAcknowledged()).isTrue();
        // Assigns at 1 s, rolls at 2 and 5.5 s, cuts 2 s later, marks 0.5 s after those, end 1 s after the last.
        assertThat(summary.durationSeconds()).isBetween(9.0, 10.5);
        assertThat(summary.slateCounts()).isEqualTo(new SimulationSummary.SlateCounts(8, 8, 2, 2, 2, 2));
        assertThat(summary.perRig())
                .extracting(SimulationSummary.RigSummary::clockDriftPpm)
                .first()
                .isEqualTo(50.0);
        assertThat(summary.perRig().get(1).clockDriftPpm()).isBetween(-50.0, 50.0);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> received.stream()
                                .filter(m -> m.topic().equals("rigtel/v1/slate"))
                                .count()
                        >= 8);
        List<JsonNode> slate = new ArrayList<>();
        for (Received message : received) {
            if (message.topic().equals("rigtel/v1/slate")) {
                slate.add(WIRE.mapper().readTree(message.payload()));
            }
        }
        assertThat(slate)
                .extracting(p -> p.get("type").asText())
                .containsExactly("assign", "assign", "roll", "cut", "mark", "roll", "cut", "mark");
        assertThat(slate)
                .extracting(p -> p.get("id").asText())
                .containsExactlyElementsOf(summary.slateEvents().stream()
                        .map(SimulationSummary.SlateEventSummary::id)
                        .toList());
        long previousFrame = -1;
        for (int i = 0; i < slate.size(); i++) {
            JsonNode payload = slate.get(i);
            SimulationSummary.SlateEventSummary sent = summary.slateEvents().get(i);
            assertThat(payload.get("tc").asText()).isEqualTo(sent.timecode());
            assertThat(payload.get("rate").asText()).isEqualTo("25");
            assertThat(sent.acked()).isTrue();
            long frame = Timecode.parse(payload.get("tc").asText(), FrameRate.FPS_25, false)
                    .frameNumber();
            assertThat(frame).isGreaterThanOrEqualTo(previousFrame);
            previousFrame = frame;
        }
        assertThat(slate.get(0).get("rig").asText()).isEqualTo("rig-01");
        assertThat(slate.get(0).get("person").asText()).isEqualTo("Dana Brooks");
        assertThat(slate.get(2).get("scene").asText()).isEqualTo("12");
        assertThat(slate.get(2).get("take").asInt()).isEqualTo(1);
        assertThat(slate.get(4).get("mark").asText()).isIn("good", "ng", "circled");
        // Rolls 3.5 s apart: 87 or 88 frames at 25 fps.
        long rollGap = Timecode.parse(slate.get(5).get("tc").asText(), FrameRate.FPS_25, false)
                        .frameNumber()
                - Timecode.parse(slate.get(2).get("tc").asText(), FrameRate.FPS_25, false)
                        .frameNumber();
        assertThat(rollGap).isBetween(87L, 88L);
    }

    @Test
    void stopEndsAnOpenEndedRunWithEverythingAcknowledged() throws Exception {
        Simulator simulator = new Simulator(
                twoRigsAt200Hz()
                        .duration(Duration.ZERO)
                        .encoding(PayloadEncoding.CBOR)
                        .profile(MotionProfile.FALL)
                        .build(),
                Clock.systemUTC());
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<SimulationSummary> run = runner.submit(simulator::run);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() > 20);
            simulator.close();
            SimulationSummary summary = run.get(40, TimeUnit.SECONDS);

            assertThat(summary.allAcknowledged()).isTrue();
            assertThat(summary.totals().samplesSent())
                    .isPositive()
                    .isEqualTo(summary.totals().samplesAcked());
            assertThat(summary.encoding()).isEqualTo("cbor");
        } finally {
            runner.shutdownNow();
        }
    }

    @Test
    void failsClearlyWhenTheBrokerCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        SimulatorOptions options = twoRigsAt200Hz()
                .brokerUri("tcp://127.0.0.1:" + closedPort)
                .connectTimeout(Duration.ofSeconds(2))
                .build();

        assertThatThrownBy(() -> new Simulator(options, Clock.systemUTC()).run())
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("rig-01 cannot connect to tcp://127.0.0.1:" + closedPort);
    }
}
