package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent MQTT client, Debian's {@code mosquitto_pub}, publishes the contract's example
 * payloads; what it sends is stored with the exact values, and a re-send after a collector
 * restart overwrites itself instead of being stored twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MosquittoPubIT {

    @TempDir
    static Path dir;

    private static InfluxdbServer influx;
    private static Path credentials;
    private static Collector.Running collector;

    @BeforeAll
    static void start() throws Exception {
        influx = InfluxdbServer.start();
        credentials = TestCollector.credentials(dir, 4);
        collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    /** Runs mosquitto_pub at QoS 1; it exits 0 once the PUBACK came back. */
    private static int mosquittoPub(String user, String password, String topic, String example)
            throws IOException, InterruptedException {
        Path payload = FirmwareNotes.dir().resolve("examples").resolve(example);
        List<String> command = new ArrayList<>(List.of(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(collector.mqttPort()),
                "-V",
                "mqttv311",
                "-q",
                "1",
                "-i",
                "pub-" + user,
                "-t",
                topic,
                "-f",
                payload.toString(),
                "-u",
                user,
                "-P",
                password));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "mosquitto_pub not found: run ./rigtel test, which installs Debian's "
                            + "mosquitto-clients, or apt-get install mosquitto-clients",
                    e);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mosquitto_pub did not finish");
        }
        return process.exitValue();
    }

    /** Waits until a count query reaches {@code expected}: a PUBACK means durable in the spool, not yet in InfluxDB. */
    private static long awaitCount(String influxql, long expected) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> count(influxql) >= expected);
        return count(influxql);
    }

    private static long count(String influxql) {
        List<List<Object>> rows = influx.query(TestCollector.DATABASE, influxql);
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(1)).longValue();
    }

    @Test
    @Order(1)
    void storesAJsonBatchFromMosquittoPubWithTheExactValues() throws Exception {
        assertThat(mosquittoPub("rig-01", "pw-01", "rigtel/v1/rig-01/imu", "imu-1khz.json"))
                .isZero();
        awaitCount("SELECT count(ax) FROM raw.imu WHERE rig = 'rig-01'", 50);

        List<List<Object>> rows = influx.query(
                TestCollector.DATABASE,
                "SELECT ax, ay, az, gx, gy, gz FROM raw.imu WHERE rig = 'rig-01' ORDER BY time ASC");
        assertThat(rows).hasSize(50);
        String json = Files.readString(FirmwareNotes.dir().resolve("examples/imu-1khz.json"), StandardCharsets.UTF_8);
        double[][] sent = dev.rigtel.collector.ingest.json.WireMapper.create()
                .mapper()
                .readValue(json, dev.rigtel.collector.ingest.json.ImuBatchJson.class)
                .samples();
        for (int i = 0; i < 50; i++) {
            for (int k = 0; k < 6; k++) {
                assertThat(((Number) rows.get(i).get(1 + k)).doubleValue()).isEqualTo(sent[i][k]);
            }
            if (i > 0) {
                long step = ((Number) rows.get(i).get(0)).longValue()
                        - ((Number) rows.get(i - 1).get(0)).longValue();
                assertThat(step).isEqualTo(1_000_000L);
            }
        }
    }

    @Test
    @Order(2)
    void storesCborTimecodeAndStatusFromMosquittoPub() throws Exception {
        assertThat(mosquittoPub("rig-02", "pw-02", "rigtel/v1/rig-02/imu", "imu-1khz.cbor"))
                .isZero();
        assertThat(mosquittoPub("rig-02", "pw-02", "rigtel/v1/rig-02/timecode", "timecode-2997df.json"))
                .isZero();
        assertThat(mosquittoPub("rig-02", "pw-02", "rigtel/v1/rig-02/status", "status.cbor"))
                .isZero();

        assertThat(awaitCount("SELECT count(ax) FROM raw.imu WHERE rig = 'rig-02'", 50))
                .isEqualTo(50);
        awaitCount("SELECT count(seq) FROM status WHERE rig = 'rig-02'", 1);
        awaitCount("SELECT count(frame) FROM timecode WHERE rig = 'rig-02'", 1);
        List<List<Object>> tc =
                influx.query(TestCollector.DATABASE, "SELECT tc, rate, df, frame FROM timecode WHERE rig = 'rig-02'");
        assertThat(tc.get(0).subList(1, 5)).containsExactly("14:03:27;12", "29.97", true, 1_516_704);
        List<List<Object>> status = influx.query(
                TestCollector.DATABASE, "SELECT battery_pct, recording, fw FROM status WHERE rig = 'rig-02'");
        assertThat(status.get(0).subList(1, 4)).containsExactly(87.5, true, "1.4.2");
    }

    @Test
    @Order(3)
    void refusesAWrongPassword() throws Exception {
        assertThat(mosquittoPub("rig-03", "wrong", "rigtel/v1/rig-03/imu", "imu-1khz.json"))
                .isNotZero();
        assertThat(count("SELECT count(ax) FROM raw.imu WHERE rig = 'rig-03'")).isZero();
    }

    @Test
    @Order(4)
    void aBatchResentAfterARestartOverwritesItselfInsteadOfBeingStoredTwice() throws Exception {
        collector.close();
        collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());

        assertThat(mosquittoPub("rig-01", "pw-01", "rigtel/v1/rig-01/imu", "imu-1khz.json"))
                .isZero();

        Thread.sleep(1_000); // the re-sent batch is written within the flush interval
        assertThat(awaitCount("SELECT count(ax) FROM raw.imu WHERE rig = 'rig-01'", 50))
                .isEqualTo(50);
        assertThat(count("SELECT count(length_ns) FROM rig_clock WHERE rig = 'rig-01'"))
                .isEqualTo(1);
    }

    @Test
    @Order(5)
    void storesAPackedBatchFromMosquittoPubAsItsCountsTimesTheScales() throws Exception {
        assertThat(mosquittoPub("rig-04", "pw-04", "rigtel/v1/rig-04/imu", "imu-1khz-packed.cbor"))
                .isZero();
        assertThat(awaitCount("SELECT count(ax) FROM raw.imu WHERE rig = 'rig-04'", 50))
                .isEqualTo(50);

        List<List<Object>> rows = influx.query(
                TestCollector.DATABASE, "SELECT ay, gx FROM raw.imu WHERE rig = 'rig-04' ORDER BY time ASC");
        // firmware-notes: ay of sample 0 is 10.0066 m/s^2, at +-16 g that is 2090 counts of 1/2048 g.
        assertThat(((Number) rows.get(0).get(1)).doubleValue()).isEqualTo(2090 * (16.0 / 32768 * 9.80665));
        assertThat(((Number) rows.get(0).get(2)).doubleValue()).isZero();
    }
}
