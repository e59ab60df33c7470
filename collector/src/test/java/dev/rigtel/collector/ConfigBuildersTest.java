package dev.rigtel.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.config.SecurityOptions;
import dev.rigtel.collector.mqtt.MqttServerOptions;
import dev.rigtel.collector.store.StoreMode;
import dev.rigtel.common.http.HttpServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The option builders that tests and tools use agree with the command line, and copy every field. */
class ConfigBuildersTest {

    @TempDir
    Path dir;

    @Test
    void theMqttBuildersDefaultsAreTheCommandLines() {
        CollectorConfig config = CollectorMainTest.parse("--data-dir", dir.toString(), "--allow-anonymous");

        assertThat(MqttServerOptions.builder().allowAnonymous(true).build()).isEqualTo(config.mqtt());
    }

    @Test
    void toBuilderCopiesEveryOption() {
        CollectorConfig config = CollectorMainTest.parse(
                "--data-dir",
                dir.toString(),
                "--allow-anonymous",
                "--mqtt-port",
                "1999",
                "--max-connections",
                "7",
                "--mqtt-max-keep-alive",
                "90s",
                "--store",
                "discard",
                "--shoot-days",
                "30",
                "--open-reads",
                "--http-max-connections",
                "9");

        assertThat(config.mqtt().toBuilder().build()).isEqualTo(config.mqtt());
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().httpPort(1234).build())
                .isEqualTo(new CollectorConfig(
                        config.mqtt(),
                        config.httpHost(),
                        1234,
                        config.influx(),
                        config.writeBuffer(),
                        config.spool(),
                        config.dataDir(),
                        config.credentialsFile(),
                        config.maxBatchSamples(),
                        config.timezone(),
                        config.motion(),
                        config.tls(),
                        config.broker(),
                        config.store(),
                        config.shoot(),
                        config.security(),
                        config.http(),
                        config.source()));
    }

    @Test
    void theBuilderDefaultsWhatTheOldShortConstructorsDefaulted() {
        CollectorConfig parsed = CollectorMainTest.parse("--data-dir", dir.toString(), "--allow-anonymous");
        CollectorConfig config = CollectorConfig.builder()
                .mqtt(parsed.mqtt())
                .httpHost(parsed.httpHost())
                .httpPort(parsed.httpPort())
                .influx(parsed.influx())
                .writeBuffer(parsed.writeBuffer())
                .spool(parsed.spool())
                .dataDir(parsed.dataDir())
                .maxBatchSamples(parsed.maxBatchSamples())
                .timezone(parsed.timezone())
                .motion(parsed.motion())
                .broker(parsed.broker())
                .build();

        assertThat(config.store()).isEqualTo(StoreMode.INFLUXDB);
        assertThat(config.shoot()).isEqualTo(CollectorConfig.DEFAULT_SHOOT);
        assertThat(config.security()).isEqualTo(SecurityOptions.DEFAULTS);
        assertThat(config.http()).isEqualTo(HttpServerOptions.DEFAULTS);
        assertThat(config.source()).isNull();
        assertThat(config.tls()).isNull();
        assertThat(config.credentialsFile()).isNull();
        assertThat(config.withHttp(HttpServerOptions.of("http-", 5, 2, Duration.ofSeconds(3), java.util.Set.of()))
                        .http()
                        .maxConnections())
                .isEqualTo(5);
    }
}
