package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.testing.FaultyDisk;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.SimulatorOptions;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disk faults injected under a running collector (issue 14) while two rigs publish at QoS 1: a
 * commit file that cannot be opened (EMFILE), a full disk (ENOSPC), a failed fsync and unreadable
 * segments (EIO), a broker state file that cannot be written (EIO). For each, /health turns DEGRADED
 * with the reason and the fault is counted; once the disk heals everything recovers by itself, and
 * in the end every sample the rigs sent is in InfluxDB.
 */
class DiskFaultsIT {

    private static final Logger log = LoggerFactory.getLogger(DiskFaultsIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Fault(String name, String file, FaultyDisk.Op op, String error, String reported) {}

    private static final List<Fault> FAULTS = List.of(
            new Fault("commit file EMFILE", "committed", FaultyDisk.Op.OPEN, FaultyDisk.EMFILE, "commit"),
            new Fault("spool append ENOSPC", "spool-", FaultyDisk.Op.WRITE, FaultyDisk.ENOSPC, "append"),
            new Fault("spool fsync EIO", "spool-", FaultyDisk.Op.FORCE, FaultyDisk.EIO, "fsync"),
            new Fault("spool read EIO", "spool-", FaultyDisk.Op.READ, FaultyDisk.EIO, "read"),
            new Fault("broker state EIO", "broker-state", FaultyDisk.Op.WRITE, FaultyDisk.EIO, "broker-state"));

    @Test
    void everyDiskFaultDegradesHealthIsCountedAndHealsByItselfWithNothingAcknowledgedLost() throws Exception {
        FaultyDisk disk = new FaultyDisk();
        Path credentials = TestCollector.credentials(dir, 2);
        try (InfluxdbServer influx = InfluxdbServer.start()) {
            CollectorConfig config = TestCollector.config(dir.resolve("collector"), credentials, influx.url());
            config = config.withSpool(config.spool().withIo(disk));
            try (Collector.Running collector = Collector.start(config, TestClocks.clock())) {
                HttpClient http = HttpClient.newHttpClient();
                SimulatorOptions options = SimulatorOptions.builder()
                        .brokerUri("tcp://127.0.0.1:" + collector.mqttPort())
                        .rigs(2)
                        .sampleRateHz(500)
                        .duration(Duration.ofSeconds(40))
                        .qos(1)
                        .usernamePattern("rig-{n}")
                        .passwordPattern("pw-{n}")
                        .ackTimeout(Duration.ofSeconds(90))
                        .build();
                List<String> figures = new ArrayList<>();
                SimulationSummary summary = SimulatedRigs.run(options, () -> {
                    await().atMost(Duration.ofSeconds(20)).until(() -> "UP"
                            .equals(health(http, collector).path("status").asText()));
                    for (Fault fault : FAULTS) {
                        Thread.sleep(1_000);
                        long t0 = System.nanoTime();
                        disk.fail(fault.file(), fault.op(), fault.error());
                        MqttClient persistent = null;
                        if (fault.reported().equals("broker-state")) {
                            persistent = persistentSubscriber(collector); // the broker state changes
                        }
                        await(fault.name() + " reported")
                                .atMost(Duration.ofSeconds(15))
                                .until(() ->
                                        health(http, collector).path("faults").has(fault.reported()));
                        JsonNode degraded = health(http, collector);
                        assertThat(degraded.path("status").asText()).isEqualTo("DEGRADED");
                        assertThat(degraded.path("faults")
                                        .path(fault.reported())
                                        .path("error")
                                        .asText())
                                .isEqualTo(fault.error());
                        long reportedMillis = (System.nanoTime() - t0) / 1_000_000;
                        Thread.sleep(2_000);
                        long healedAt = System.nanoTime();
                        disk.heal();
                        await(fault.name() + " recovered")
                                .atMost(Duration.ofSeconds(30))
                                .until(() ->
                                        !health(http, collector).path("faults").has(fault.reported()));
                        long recoveredMillis = (System.nanoTime() - healedAt) / 1_000_000;
                        assertThat(faults(collector, fault.reported()))
                                .as(fault.name())
                                .isPositive();
                        figures.add(String.format(
                                "%s: DEGRADED after %d ms, recovered %d ms after the disk healed",
                                fault.name(), reportedMillis, recoveredMillis));
                        if (persistent != null) {
                            persistent.disconnect();
                            persistent.close();
                        }
                    }
                });
                long sent = summary.totals().samplesSent();
                await().atMost(Duration.ofSeconds(30)).until(() -> stored(influx) == sent);
                await().atMost(Duration.ofSeconds(20)).until(() -> "UP"
                        .equals(health(http, collector).path("status").asText()));
                figures.forEach(f -> log.info("disk fault {}", f));
                log.info(
                        "disk faults: {} samples sent at QoS 1, {} stored; {} failed disk operations injected",
                        sent,
                        stored(influx),
                        disk.failures());
            }
        }
    }

    private static JsonNode health(HttpClient http, Collector.Running collector) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/health"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static double faults(Collector.Running collector, String operation) {
        Counter c = collector
                .registry()
                .find("rigtel.store.faults")
                .tag("operation", operation)
                .counter();
        return c == null ? 0 : c.count();
    }

    private static long stored(InfluxdbServer influx) {
        List<List<Object>> rows = influx.query(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu");
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(1)).longValue();
    }

    /** A persistent session subscribing: the broker's state changes and is saved. */
    private static MqttClient persistentSubscriber(Collector.Running collector) throws Exception {
        MqttClient client =
                new MqttClient("tcp://127.0.0.1:" + collector.mqttPort(), "fault-watcher", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("rig-02");
        options.setPassword("pw-02".toCharArray());
        options.setCleanSession(false);
        client.connect(options);
        client.subscribe("rigtel/v1/rig-02/command", 1);
        return client;
    }
}
