package dev.rigtel.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.config.ConfigException;
import dev.rigtel.collector.store.StoreMode;
import dev.rigtel.common.http.HttpServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CollectorMainTest {

    @TempDir
    Path dir;

    /** The configuration the command line makes of {@code args}; other tests of the options use it too. */
    static CollectorConfig parse(String... args) {
        CollectorMain main = new CollectorMain();
        new CommandLine(main).parseArgs(args);
        return main.config();
    }

    @Test
    void optionsReachTheConfigWithTheirUnits() {
        CollectorConfig config = parse(
                "--data-dir",
                dir.toString(),
                "--allow-anonymous",
                "--mqtt-port",
                "1999",
                "--connect-timeout",
                "250ms",
                "--timezone",
                "Europe/London",
                "--impact-threshold-g",
                "12",
                "--head-turn-start-dps",
                "120",
                "--write-flush-interval",
                "1s",
                "--write-concurrency",
                "3");

        assertThat(config.mqtt().port()).isEqualTo(1999);
        assertThat(config.mqtt().connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.timezone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(config.motion().impactThresholdG()).isEqualTo(12);
        assertThat(config.motion().turnStartDps()).isEqualTo(120);
        assertThat(config.writeBuffer().flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.writeBuffer().writers()).isEqualTo(3);
        assertThat(config.influx().gzip()).as("auto, InfluxDB on this machine").isFalse();
        assertThat(parse("--data-dir", dir.toString(), "--allow-anonymous", "--influx-url", "http://influx:8086")
                        .influx()
                        .gzip())
                .isTrue();
        assertThat(config.credentialsFile()).isNull();
    }

    @Test
    void storesInInfluxDbUnlessToldToDiscardForABenchmark() {
        assertThat(parse("--data-dir", dir.toString(), "--allow-anonymous").store())
                .isEqualTo(StoreMode.INFLUXDB);
        assertThat(parse("--data-dir", dir.toString(), "--allow-anonymous", "--store", "discard")
                        .store())
                .isEqualTo(StoreMode.DISCARD);
        assertThatThrownBy(() -> parse("--data-dir", dir.toString(), "--allow-anonymous", "--store", "nowhere"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("influxdb or discard");
    }

    @Test
    void sourceOptionsMakeAConsumerWithAStableClientIdAndNoPasswordInItsText() {
        assertThat(parse("--data-dir", dir.toString(), "--allow-anonymous").source())
                .isNull();
        CollectorConfig config = parse(
                "--data-dir",
                dir.toString(),
                "--allow-anonymous",
                "--source",
                "mqtts://broker.set:8884",
                "--source-user",
                "collector",
                "--source-password",
                "s3cret",
                "--mqtt-plain",
                "false");
        assertThat(config.source().pahoUri()).isEqualTo("ssl://broker.set:8884");
        assertThat(config.source().password()).isEqualTo("s3cret");
        assertThat(config.source().toString()).doesNotContain("s3cret");
        assertThat(config.source().clientId())
                .startsWith("rigtel-collector-")
                .isEqualTo(parse("--data-dir", dir.toString(), "--allow-anonymous", "--source", "mqtt://b")
                        .source()
                        .clientId());
        assertThat(config.security().plainMqtt())
                .as("the broker is the rigs' listener")
                .isFalse();
        assertThat(parse("--data-dir", dir.toString(), "--allow-anonymous", "--source", "mqtt://b")
                        .source()
                        .pahoUri())
                .isEqualTo("tcp://b:1883");
        assertThatThrownBy(() -> parse("--data-dir", dir.toString(), "--allow-anonymous", "--source", "http://b:1883"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mqtt://HOST:PORT");
        assertThatThrownBy(() -> parse("--data-dir", dir.toString(), "--allow-anonymous", "--mqtt-plain", "false"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--source");
    }

    @Test
    void refusesToStartWithoutCredentialsUnlessAnonymousIsAllowed() {
        assertThatThrownBy(() -> parse("--data-dir", dir.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("./rigtel credentials add");
    }

    @Test
    void mqttMaxKeepAliveDefaultsToFiveMinutesAndReachesTheConfig() {
        assertThat(parse("--data-dir", dir.toString(), "--allow-anonymous")
                        .mqtt()
                        .maxKeepAlive())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(parse("--data-dir", dir.toString(), "--allow-anonymous", "--mqtt-max-keep-alive", "90s")
                        .mqtt()
                        .maxKeepAlive())
                .isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(
                        () -> parse("--data-dir", dir.toString(), "--allow-anonymous", "--mqtt-max-keep-alive", "0s"))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining("maxKeepAlive");
        assertThatThrownBy(
                        () -> parse("--data-dir", dir.toString(), "--allow-anonymous", "--mqtt-max-keep-alive", "19h"))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining("maxKeepAlive");
    }

    @Test
    void refusesThresholdsThatMakeNoSense() {
        assertThatThrownBy(() -> parse("--data-dir", dir.toString(), "--allow-anonymous", "--head-turn-end-dps", "500"))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> parse("--data-dir", dir.toString(), "--allow-anonymous", "--timezone", "Mars/Olympus"))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> parse("--data-dir", dir.toString(), "--allow-anonymous", "--write-concurrency", "0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--write-concurrency (writers) must be between 1 and 16");
    }

    @Test
    void httpLimitsHaveTheDocumentedDefaultsAndReachTheConfig() {
        assertThat(parse("--data-dir", dir.toString(), "--allow-anonymous").http())
                .isEqualTo(new HttpServerOptions(256, 32, Duration.ofSeconds(10)));
        assertThat(parse(
                                "--data-dir",
                                dir.toString(),
                                "--allow-anonymous",
                                "--http-max-connections",
                                "100",
                                "--http-max-connections-per-address",
                                "4",
                                "--http-request-timeout",
                                "2500ms",
                                "--http-allowed-hosts",
                                "Rigtel.Local,collector")
                        .http())
                .isEqualTo(new HttpServerOptions(100, 4, Duration.ofMillis(2500), Set.of("rigtel.local", "collector")));
        assertThatThrownBy(() ->
                        parse("--data-dir", dir.toString(), "--allow-anonymous", "--http-allowed-hosts", "http://x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http-allowed-hosts takes host names");
        assertThatThrownBy(
                        () -> parse("--data-dir", dir.toString(), "--allow-anonymous", "--http-max-connections", "0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http-max-connections must be at least 1");
        assertThatThrownBy(
                        () -> parse("--data-dir", dir.toString(), "--allow-anonymous", "--http-request-timeout", "1h"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http-request-timeout must be 100ms..10m");
    }

    @Test
    void exitsWithTwoOnABadConfigFile() {
        assertThat(CollectorMain.run(new String[] {
                    "--config", dir.resolve("missing.properties").toString()
                }))
                .isEqualTo(2);
    }
}
