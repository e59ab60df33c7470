package dev.rigtel.collector.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MeterCatalogTest {

    @Test
    void everyRegisteredMeterIsInTheCatalogAndTheReadme() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MqttMeters mqtt = new MqttMeters(registry);
        mqtt.connect("accepted");
        mqtt.closed("malformed-packet");
        mqtt.publish(1, 10);
        mqtt.publishRefused("reserved-topic");
        mqtt.paused();
        mqtt.throttled();
        mqtt.resumed(1);
        BrokerMeters broker = new BrokerMeters(registry);
        broker.bindGauges(() -> 0, () -> 0, () -> 0, () -> 0);
        broker.bindByteGauges(() -> 0, () -> 0);
        broker.delivered(1);
        broker.dropped("queue-full");
        broker.subscribeRefused("not-authorized");
        broker.command("sent");
        IngestMeters ingest = new IngestMeters(registry);
        ingest.accepted("imu", 10);
        ingest.rejected("malformed-payload");
        ingest.sequenceAnomaly("imu", "gap", 1);
        ingest.stored(System.nanoTime());
        ingest.alert("drift");
        HttpMeters http = new HttpMeters(registry);
        http.response(400);
        http.refused("pipeline-limit");
        http.bindConnections(() -> 0);
        StoreMeters store = new StoreMeters(registry);
        store.bindSpool(new StoreMeters.SpoolStats(() -> 0, () -> 0, () -> 0, () -> 0, () -> 0, () -> 0));
        store.batchWritten(1, 1);
        store.writeRetried("unreachable");
        store.pointsDropped("refused", 1);
        store.fault("commit");
        ShootMeters shoot = new ShootMeters(registry);
        String owner = "owner";
        ToDoubleFunction<String> zero = o -> 0;
        shoot.bindDisks(owner, new ShootMeters.Disks<>(zero, zero, zero, zero, zero, zero, zero));
        shoot.bindTakes(owner, zero, zero);
        shoot.bindRestore(owner, zero);
        ImportMeters imports = new ImportMeters(registry);
        imports.samples(1);
        imports.request("ok");
        SourceMeters source = new SourceMeters(registry, () -> true);
        source.reconnected();
        source.redelivered();
        source.message("stored");
        ClusterMeters cluster = new ClusterMeters(registry, new ClusterMeters.Gauges(() -> 0, () -> 0, () -> 0));
        cluster.takeover();
        cluster.handover();
        cluster.sessionTakenOver();
        cluster.lateRig();
        cluster.refused("bad-member-message");

        Set<String> registered = registry.getMeters().stream()
                .map(Meter::getId)
                .map(Meter.Id::getName)
                .filter(n -> n.startsWith("rigtel.") && !n.endsWith(".percentile"))
                .collect(Collectors.toSet());
        Set<String> catalog =
                MeterCatalog.ALL.stream().map(MeterCatalog.MeterDoc::name).collect(Collectors.toSet());
        assertThat(registered).isEqualTo(catalog);

        String readme = Files.readString(Path.of("README.md"));
        for (String name : catalog) {
            assertThat(readme).as("collector/README.md documents " + name).contains("`" + name + "`");
        }
    }
}
