package dev.rigtel.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.CredentialsFile;
import dev.rigtel.collector.auth.PasswordHasher;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.broker.Broker;
import dev.rigtel.collector.broker.BrokerOptions;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.metrics.MqttMeters;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.store.FsyncPolicy;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.MqttFrames;
import dev.rigtel.collector.testing.MqttMutations;
import dev.rigtel.collector.testing.RecordingSink;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.collector.testing.TestIngest;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 100,000 malformed and mutated MQTT frames and payloads through the whole pipeline, in memory:
 * nothing escapes as an exception, every refusal is counted with a reason, and a connection that
 * keeps to the protocol, interleaved with the fuzzing ones, loses nothing.
 */
class MqttFuzzTest {

    private static final Logger log = LoggerFactory.getLogger(MqttFuzzTest.class);
    private static final int FRAMES = 100_000;

    @TempDir
    Path dir;

    @Test
    void survivesAHundredThousandMutatedFramesWhileAGoodRigLosesNothing() throws Exception {
        Path credentials = dir.resolve("credentials");
        CredentialsFile.empty()
                .with(new CredentialsFile.Entry("rig-01", Role.RIG, PasswordHasher.hash("pw".toCharArray(), 1000)))
                .with(new CredentialsFile.Entry("rig-02", Role.RIG, PasswordHasher.hash("pw".toCharArray(), 1000)))
                .save(credentials);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RecordingSink sink = new RecordingSink();
        MqttMeters mqttMeters = new MqttMeters(registry);
        BrokerMeters brokerMeters = new BrokerMeters(registry);
        try (WriteBuffer buffer = new WriteBuffer(
                        sink,
                        Spool.open(SpoolOptions.defaults(dir.resolve("spool")).withFsyncPolicy(FsyncPolicy.NONE)),
                        new WriteBufferOptions(
                                10_000, Duration.ofMillis(5), Duration.ofMillis(1), Duration.ofMillis(10)),
                        new StoreMeters(registry))
                .start()) {
            IngestService ingest = TestIngest.create(
                    new PayloadDecoder(WireMapper.create(), 4000),
                    new DeviceClocks(Clock.systemUTC(), AlignerOptions.defaults()),
                    TakeHistory.inMemory(ZoneOffset.UTC, Clock.systemUTC()),
                    MotionConfig.defaults(),
                    ZoneOffset.UTC,
                    buffer,
                    new IngestMeters(registry),
                    Clock.systemUTC());
            MqttServerInitializer initializer = new MqttServerInitializer(
                    TestCollector.loopbackMqtt(64 * 1024).build(),
                    new Authenticator(credentials, Runnable::run),
                    ingest,
                    new Broker(BrokerOptions.DEFAULTS, brokerMeters, Clock.systemUTC()),
                    new RigCommands(
                            WireMapper.create(),
                            (t, b, q, r, e) -> {},
                            new InfluxWrites(buffer),
                            brokerMeters,
                            Clock.systemUTC()),
                    mqttMeters,
                    brokerMeters,
                    Clock.systemUTC());
            Random random = new Random(20261122);
            List<byte[]> seeds = MqttMutations.seeds();
            byte[] good = FirmwareNotes.example("imu-1khz.json");

            EmbeddedChannel goodRig = new EmbeddedChannel(initializer);
            MqttFrames goodClient = new MqttFrames();
            goodRig.writeInbound(goodClient.connect(MqttVersion.MQTT_3_1_1, "rig-01", "rig-01", "pw", 60));
            int goodSent = 0;

            int frames = 0;
            int connections = 0;
            while (frames < FRAMES) {
                EmbeddedChannel fuzzed = new EmbeddedChannel(initializer);
                connections++;
                MqttFrames client = new MqttFrames();
                if (random.nextInt(4) != 0) {
                    fuzzed.writeInbound(client.connect(MqttVersion.MQTT_3_1_1, "rig-02", "rig-02", "pw", 30));
                }
                for (int k = 0; k < 50 && fuzzed.isOpen() && frames < FRAMES; k++) {
                    fuzzed.writeInbound(Unpooled.wrappedBuffer(
                            MqttMutations.mutate(seeds.get(random.nextInt(seeds.size())), random)));
                    fuzzed.runPendingTasks();
                    frames++;
                }
                fuzzed.finishAndReleaseAll();
                client.close();
                if (connections % 50 == 0) {
                    // The good rig publishes between fuzzing connections, at QoS 1, with new sequence numbers.
                    byte[] payload = new String(good, java.nio.charset.StandardCharsets.UTF_8)
                            .replace("\"seq\":1042", "\"seq\":" + (2000 + goodSent))
                            .replace("\"t0_us\":73012000", "\"t0_us\":" + (73_012_000L + goodSent * 50_000L))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    goodRig.writeInbound(goodClient.publish(
                            "rigtel/v1/rig-01/imu", MqttQoS.AT_LEAST_ONCE, 1 + goodSent % 60_000, payload));
                    goodSent++;
                }
            }
            buffer.flush();
            int expectedGood = goodSent * 50;
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> sink.lines().stream()
                                    .filter(l -> l.startsWith("imu,rig=rig-01 "))
                                    .count()
                            == expectedGood);
            goodRig.runPendingTasks();
            assertThat(goodRig.isOpen()).isTrue();
            assertThat(goodClient.read(goodRig))
                    .filteredOn(
                            m -> m.fixedHeader().messageType() == io.netty.handler.codec.mqtt.MqttMessageType.PUBACK)
                    .hasSize(goodSent);
            goodRig.finishAndReleaseAll();
            goodClient.close();

            Map<String, Double> reasons = new TreeMap<>();
            for (Meter meter : registry.getMeters()) {
                String name = meter.getId().getName();
                if ((name.equals("rigtel.mqtt.closed")
                                || name.equals("rigtel.ingest.rejected")
                                || name.equals("rigtel.mqtt.connects"))
                        && meter instanceof Counter c) {
                    reasons.put(
                            name.substring("rigtel.".length()) + "{"
                                    + meter.getId().getTags().get(0).getValue() + "}",
                            c.count());
                }
            }
            log.info(
                    "fuzzed {} frames over {} connections; the good rig sent {} batches, all stored and acked; "
                            + "counted: {}",
                    frames,
                    connections,
                    goodSent,
                    reasons);
            assertThat(frames).isGreaterThanOrEqualTo(FRAMES);
            assertThat(reasons.keySet())
                    .contains("mqtt.closed{malformed-packet}", "ingest.rejected{malformed-payload}");
            // An exception escaping a handler would be counted as io-error: none may.
            assertThat(reasons).doesNotContainKey("mqtt.closed{io-error}");
        }
    }
}
