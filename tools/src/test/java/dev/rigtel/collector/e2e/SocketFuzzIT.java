package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.metrics.MeterCatalog;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.MqttFrames;
import dev.rigtel.collector.testing.MqttMutations;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.SimulatorOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutated MQTT frames over real TCP connections to a running collector while a rig publishes at
 * QoS 1 through Paho: the server stays up, keeps answering, and the rig loses nothing.
 */
class SocketFuzzIT {

    private static final Logger log = LoggerFactory.getLogger(SocketFuzzIT.class);
    private static final int CONNECTIONS = 3000;

    @TempDir
    Path dir;

    @Test
    void theServerStaysUpAndAGoodRigLosesNothingWhileMalformedFramesArriveOverTcp() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start();
                Collector.Running collector = TestCollector.start(
                        dir.resolve("collector"), TestCollector.credentials(dir, 2), influx.url())) {
            SimulatorOptions options = SimulatorOptions.builder()
                    .brokerUri("tcp://127.0.0.1:" + collector.mqttPort())
                    .rigs(1)
                    .sampleRateHz(500)
                    .duration(Duration.ofSeconds(12))
                    .qos(1)
                    .usernamePattern("rig-{n}")
                    .passwordPattern("pw-{n}")
                    .build();
            long[] frames = {0};
            SimulationSummary summary = SimulatedRigs.run(options, () -> {
                // The good rig first: thousands of short fuzz connections from the same address could
                // otherwise hold its per-address slots at the moment it connects.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> collector.registry().find(MeterCatalog.MQTT_CONNECTIONS).gauges().stream()
                                        .mapToDouble(g -> g.value())
                                        .sum()
                                >= 1);
                Random random = new Random(7);
                List<byte[]> seeds = MqttMutations.seeds();
                byte[] connect;
                try (MqttFrames client = new MqttFrames()) {
                    ByteBuf encoded = client.connect(MqttVersion.MQTT_3_1_1, "fuzz", "rig-02", "pw-02", 30);
                    connect = ByteBufUtil.getBytes(encoded);
                    encoded.release();
                }
                for (int c = 0; c < CONNECTIONS; c++) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", collector.mqttPort()), 2000);
                        socket.setSoLinger(true, 0);
                        OutputStream out = socket.getOutputStream();
                        if (random.nextInt(4) != 0) {
                            out.write(connect);
                        }
                        for (int k = 0; k < 10; k++) {
                            out.write(MqttMutations.mutate(seeds.get(random.nextInt(seeds.size())), random));
                            frames[0]++;
                        }
                        out.flush();
                    } catch (IOException closedByTheServer) {
                        // expected: the server closes connections that break the protocol
                    }
                }
            });
            long sent = summary.totals().samplesSent();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                List<List<Object>> rows =
                        influx.query(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu WHERE rig = 'rig-01'");
                return !rows.isEmpty() && ((Number) rows.get(0).get(1)).longValue() == sent;
            });
            double closed = collector.registry().find("rigtel.mqtt.closed").counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum();
            log.info(
                    "socket fuzz: {} mutated frames over {} TCP connections; the rig sent {} samples, all "
                            + "stored; {} connections closed by the server",
                    frames[0],
                    CONNECTIONS,
                    sent,
                    closed);
            assertThat(frames[0]).isGreaterThanOrEqualTo(CONNECTIONS * 5L);
            assertThat(closed).isPositive();
        }
    }
}
