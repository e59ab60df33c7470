package dev.rigtel.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.CredentialsFile;
import dev.rigtel.collector.auth.PasswordHasher;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.metrics.MqttMeters;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.store.FsyncPolicy;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.collector.takes.TakeBook;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.MqttFrames;
import dev.rigtel.collector.testing.RecordingSink;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
        try (WriteBuffer buffer = new WriteBuffer(
                        sink,
                        Spool.open(SpoolOptions.defaults(dir.resolve("spool")).withFsyncPolicy(FsyncPolicy.NONE)),
                        new WriteBufferOptions(
                                10_000, Duration.ofMillis(5), Duration.ofMillis(1), Duration.ofMillis(10)),
                        new StoreMeters(registry))
                .start()) {
            IngestService ingest = new IngestService(
                    new PayloadDecoder(WireMapper.create(), 4000),
                    new DeviceClocks(Clock.systemUTC(), AlignerOptions.defaults()),
                    new TakeBook(),
                    MotionConfig.defaults(),
                    ZoneOffset.UTC,
                    buffer,
                    new IngestMeters(registry),
                    Clock.systemUTC());
            MqttServerInitializer initializer = new MqttServerInitializer(
                    new MqttServerOptions("127.0.0.1", 0, 64 * 1024, Duration.ofSeconds(10), false),
                    new Authenticator(credentials, Runnable::run),
                    ingest,
                    mqttMeters,
                    Clock.systemUTC());
            Random random = new Random(20261122);
            List<byte[]> seeds = seeds();
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
                    fuzzed.writeInbound(
                            Unpooled.wrappedBuffer(mutate(seeds.get(random.nextInt(seeds.size())), random)));
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

    /** Valid frames of every kind a client sends, as seeds for mutation. */
    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        MqttFrames frames = new MqttFrames();
        seeds.add(bytes(frames.connect(MqttVersion.MQTT_3_1_1, "rig-02", "rig-02", "pw", 30)));
        seeds.add(bytes(frames.publish(
                "rigtel/v1/rig-02/imu", MqttQoS.AT_LEAST_ONCE, 7, FirmwareNotes.example("imu-200hz-offsets.json"))));
        seeds.add(bytes(frames.publish(
                "rigtel/v1/rig-02/imu", MqttQoS.AT_MOST_ONCE, 0, FirmwareNotes.example("imu-1khz.cbor"))));
        seeds.add(bytes(frames.publish(
                "rigtel/v1/rig-02/status", MqttQoS.AT_LEAST_ONCE, 8, FirmwareNotes.example("status.json"))));
        seeds.add(bytes(frames.publish(
                "rigtel/v1/rig-02/timecode", MqttQoS.AT_LEAST_ONCE, 9, FirmwareNotes.example("timecode-25.json"))));
        seeds.add(bytes(frames.encode(MqttMessageBuilders.subscribe()
                .messageId(3)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "rigtel/#")
                .build())));
        seeds.add(bytes(frames.encode(MqttMessageBuilders.unsubscribe()
                .messageId(4)
                .addTopicFilter("a/b")
                .build())));
        seeds.add(new byte[] {(byte) 0xC0, 0x00}); // PINGREQ
        seeds.add(new byte[] {0x40, 0x02, 0x00, 0x07}); // PUBACK
        frames.close();
        return seeds;
    }

    private static byte[] bytes(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** One of: bit flips, truncation, inserted garbage, a huge remaining length, pure garbage, or a bad topic. */
    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, 1 + random.nextInt(b.length));
            case 2 -> {
                int at = random.nextInt(b.length);
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                byte[] out = new byte[b.length + extra.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, extra.length);
                System.arraycopy(b, at, out, at + extra.length, b.length - at);
                b = out;
            }
            case 3 -> {
                b = java.util.Arrays.copyOf(b, Math.max(b.length, 5));
                b[1] = (byte) 0xFF;
                b[2] = (byte) 0xFF;
                b[3] = (byte) 0xFF;
                b[4] = (byte) 0x7F;
            }
            case 4 -> {
                b = new byte[1 + random.nextInt(64)];
                random.nextBytes(b);
            }
            case 5 -> {
                // Invalid UTF-8 in a PUBLISH topic (seeds 1..4 start their topic at byte 4 or 5).
                if ((b[0] & 0xF0) == 0x30 && b.length > 8) {
                    b[6] = (byte) 0xC3;
                    b[7] = (byte) 0x28;
                } else {
                    b[0] = (byte) (random.nextInt(16) << 4 | random.nextInt(16));
                }
            }
            default -> {
                // A valid frame whose payload is mangled: the payload checks, not the framing, must catch it.
                if ((b[0] & 0xF0) == 0x30 && b.length > 40) {
                    for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                        b[30 + random.nextInt(b.length - 30)] = (byte) random.nextInt(256);
                    }
                }
            }
        }
        return b;
    }
}
