package dev.rigtel.collector.store;

import dev.rigtel.collector.testing.InfluxdbServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

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
}
