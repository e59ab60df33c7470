package dev.rigtel.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ConfigSourcesTest {

    @Command
    static final class Options {
        @Option(names = "--config")
        Path config;

        @Option(names = "--mqtt-port", defaultValue = "1883")
        int mqttPort;

        @Option(names = "--http-port", defaultValue = "8080")
        int httpPort;

        @Option(names = "--influx-db", defaultValue = "rigtel")
        String influxDb;
    }

    @TempDir
    Path dir;

    private Options parse(Map<String, String> env, String... args) {
        Options options = new Options();
        CommandLine cl = new CommandLine(options);
        ConfigSources sources = ConfigSources.from(args, env);
        cl.setDefaultValueProvider(sources);
        sources.checkFileKeys(cl.getCommandSpec());
        cl.parseArgs(args);
        return options;
    }

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        Path file = dir.resolve("rigtel.properties");
        Files.writeString(file, "mqtt-port=1001\nhttp-port=2001\ninflux-db=fromfile\n");

        Options options = parse(
                Map.of("RIGTEL_HTTP_PORT", "2002", "RIGTEL_INFLUX_DB", "fromenv"),
                "--config",
                file.toString(),
                "--influx-db",
                "fromflag");

        assertThat(options.mqttPort).isEqualTo(1001);
        assertThat(options.httpPort).isEqualTo(2002);
        assertThat(options.influxDb).isEqualTo("fromflag");
        assertThat(parse(Map.of()).mqttPort).isEqualTo(1883);
    }

    @Test
    void configFileFromTheEnvironment() throws Exception {
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "mqtt-port=1999\n");

        assertThat(parse(Map.of("RIGTEL_CONFIG", file.toString())).mqttPort).isEqualTo(1999);
    }

    @Test
    void unknownKeysInTheFileAreAnError() throws Exception {
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "mqtt-prot=1999\n");

        assertThatThrownBy(() -> parse(Map.of(), "--config", file.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mqtt-prot");
    }

    @Test
    void environmentNamesFollowTheOptionNames() {
        assertThat(ConfigSources.envName("--influx-url")).isEqualTo("RIGTEL_INFLUX_URL");
    }

    @Test
    void durationsReadWithUnits() {
        assertThat(DurationConverter.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationConverter.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(DurationConverter.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> DurationConverter.parse("ten")).hasMessageContaining("not a duration");
    }
}
