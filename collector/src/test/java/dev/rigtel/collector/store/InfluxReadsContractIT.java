package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.testing.InfluxdbServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The InfluxDB store meets the read contract: a real influxd 1.x, a fresh database per test, written
 * through {@link InfluxStore} as the write buffer writes (raw samples to their own retention policy)
 * and read through {@link InfluxReads}.
 */
class InfluxReadsContractIT extends StoreReadsContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static InfluxdbServer influxd;

    private InfluxStore influx;
    private InfluxReads reads;

    @BeforeAll
    static void startInfluxd() {
        influxd = InfluxdbServer.start();
    }

    @AfterAll
    static void stopInfluxd() {
        if (influxd != null) {
            influxd.close();
        }
    }

    @BeforeEach
    void freshDatabase() {
        influx = new InfluxStore(InfluxOptions.of(
                influxd.url(), "contract_" + DATABASES.incrementAndGet(), true, Duration.ofSeconds(10)));
        influx.createDatabase();
        influx.createRetentionPolicies();
        reads = new InfluxReads(influx);
    }

    @AfterEach
    void closeClient() {
        influx.close();
    }

    @Override
    protected PointSink sink() {
        return influx;
    }

    @Override
    protected StoreReads reads() {
        return reads;
    }

    /** What the day matrix and a wearer's exposure rely on: their reads cost a bounded number of requests. */
    @Test
    void summariesAreOneRequestAndSumsAHundredSpansARequest() {
        List<StoreReads.RigSpan> spans = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            spans.add(new StoreReads.RigSpan("rig-" + i, T + i * S, T + (i + 1) * S));
        }
        long idle = requestsDuring(() -> {});

        assertThat(requestsDuring(() -> reads.summaries(T, T + 86_400 * S)) - idle)
                .isEqualTo(1);
        assertThat(requestsDuring(() -> reads.summarySums(spans)) - idle).isEqualTo(2);
        assertThat(requestsDuring(() -> reads.slateWindow(T, T + S)) - idle).isEqualTo(1);
    }

    @Test
    void anInfluxDbThatIsAwayIsUnreachableToEveryKindOfRead() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (InfluxStore away = new InfluxStore(
                InfluxOptions.of("http://127.0.0.1:" + closedPort, "away", true, Duration.ofSeconds(2)))) {
            InfluxReads awayReads = new InfluxReads(away);

            assertThatThrownBy(() -> awayReads.commandPoints("rig-01", 0, 10))
                    .isInstanceOf(StoreUnreachableException.class);
            assertThatThrownBy(() -> awayReads.imuSamples("rig-01", T, T + S, (r, t, ax, ay, az, gx, gy, gz) -> {}))
                    .isInstanceOf(StoreUnreachableException.class);
        }
    }

    /** Query requests InfluxDB served while {@code action} ran, plus the reading's own. */
    private long requestsDuring(Runnable action) {
        long before = queryRequests();
        action.run();
        return queryRequests() - before;
    }

    private long queryRequests() {
        QueryResult.Series httpd =
                influx.query("SHOW STATS FOR 'httpd'").get(0).getSeries().get(0);
        return ((Number) httpd.getValues().get(0).get(httpd.getColumns().indexOf("queryReq"))).longValue();
    }
}
