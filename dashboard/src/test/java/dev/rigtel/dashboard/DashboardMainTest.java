package dev.rigtel.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.common.http.HttpServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DashboardMainTest {

    private static DashboardOptions parse(Map<String, String> env, String... args) {
        CommandLine commandLine = DashboardMain.commandLine(env);
        commandLine.parseArgs(args);
        return ((DashboardMain) commandLine.getCommand()).options();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        DashboardOptions options = parse(Map.of());

        assertThat(options).isEqualTo(DashboardOptions.builder().build());
        assertThat(options.port()).isEqualTo(8090);
        assertThat(options.collectorUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(options.mqttUrl()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(options.heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.accessToken()).isEmpty();
        assertThat(options.controlToken()).isEmpty();
        assertThat(options.impactAlertG()).isEqualTo(10);
        assertThat(options.stuntImpactAlertG()).isEqualTo(15);
        assertThat(parse(Map.of(), "--stunt-impact-alert-g", "18").stuntImpactAlertG())
                .isEqualTo(18);
        assertThat(options.wearerImpactAlertG()).isEmpty();
        assertThat(parse(
                                Map.of(),
                                "--wearer-impact-alert-g",
                                "Kim Falls=20,Alex=12.5",
                                "--wearer-impact-alert-g",
                                "Sam=8")
                        .wearerImpactAlertG())
                .isEqualTo(Map.of("Kim Falls", 20.0, "Alex", 12.5, "Sam", 8.0));
        assertThatThrownBy(() -> DashboardOptions.builder()
                        .wearerImpactAlertG(Map.of("Kim", 0.0))
                        .build())
                .hasMessageContaining("wearer-impact-alert-g of Kim must be over 0");
    }

    @Test
    void takesOptionsFromTheCommandLineBeforeTheEnvironment() {
        DashboardOptions options = parse(
                Map.of(
                        "RIGTEL_DASHBOARD_CONTROL_TOKEN", "from-the-environment",
                        "RIGTEL_DASHBOARD_PORT", "9000",
                        "RIGTEL_DASHBOARD_COLLECTOR_PASSWORD", "pw"),
                "--port",
                "9100",
                "--heartbeat",
                "500ms",
                "--collector-user",
                "dashboard");

        assertThat(options.port()).isEqualTo(9100);
        assertThat(options.controlToken()).isEqualTo("from-the-environment");
        assertThat(options.collectorPassword()).isEqualTo("pw");
        assertThat(options.collectorUser()).isEqualTo("dashboard");
        assertThat(options.heartbeat()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void refusesBadValuesWithAClearMessage() {
        assertThatThrownBy(() -> parse(Map.of(), "--mqtt-url", "http://x:1883"))
                .hasMessageContaining("mqtt-url must look like tcp://");
        assertThatThrownBy(() -> parse(Map.of(), "--control-token", "short"))
                .hasMessageContaining("at least 12 characters");
        assertThatThrownBy(
                        () -> parse(Map.of(), "--access-token", "same-token-123", "--control-token", "same-token-123"))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> parse(Map.of(), "--access-token", "has space in it"))
                .hasMessageContaining("tokens may hold only");
        assertThatThrownBy(() -> parse(Map.of(), "--heartbeat", "15"))
                .hasMessageContaining("--heartbeat takes a duration");
        assertThatThrownBy(() -> parse(Map.of(), "--collector-user", "dashboard"))
                .hasMessageContaining("collector-user dashboard needs its password");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = DashboardMain.commandLine(Map.of());
        commandLine.setOut(new PrintWriter(out));

        assertThat(commandLine.execute("--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--port",
                        "Default: 8090",
                        "--collector-url",
                        "--mqtt-url",
                        "--access-token",
                        "--control-token",
                        "RIGTEL_DASHBOARD_");
    }

    @Test
    void httpLimitsHaveTheDocumentedDefaultsAndReachTheOptions() {
        assertThat(parse(Map.of()).http()).isEqualTo(new HttpServerOptions(256, 32, Duration.ofSeconds(10)));
        assertThat(parse(
                                Map.of("RIGTEL_DASHBOARD_MAX_CONNECTIONS_PER_ADDRESS", "4"),
                                "--max-connections",
                                "100",
                                "--request-timeout",
                                "2500ms",
                                "--allowed-hosts",
                                "Rigtel.Local,*")
                        .http())
                .isEqualTo(new HttpServerOptions(100, 4, Duration.ofMillis(2500), Set.of("rigtel.local", "*")));
        assertThatThrownBy(() -> parse(Map.of(), "--allowed-hosts", "http://dash"))
                .hasMessageContaining("allowed-hosts takes host names");
        assertThatThrownBy(() -> parse(Map.of(), "--max-connections", "0"))
                .hasMessageContaining("max-connections must be at least 1");
        assertThatThrownBy(() -> parse(Map.of(), "--request-timeout", "1h"))
                .hasMessageContaining("request-timeout must be 100ms..10m");
    }

    @Test
    void neverShowsSecretsInItsDescription() {
        DashboardOptions options = DashboardOptions.builder()
                .collectorPassword("hunter2-password")
                .accessToken("read-token-secret")
                .controlToken("control-token-secret")
                .build();

        assertThat(options.toString()).doesNotContain("hunter2", "read-token-secret", "control-token-secret");
    }

    @Test
    void severalCollectorsAreCommaSeparatedAndASingleOneIsAsBefore() {
        DashboardOptions one = parse(Map.of(), "--collector-url", "http://a:8080", "--mqtt-url", "tcp://a:1883");
        assertThat(one.collectorUrls()).containsExactly(URI.create("http://a:8080"));
        assertThat(one.mqttUrls()).containsExactly("tcp://a:1883");

        DashboardOptions two = parse(
                Map.of("RIGTEL_DASHBOARD_MQTT_URL", "tcp://a:1883, ssl://b:8883"),
                "--collector-url",
                "http://a:8080,http://b:8080");
        assertThat(two.collectorUrl()).isEqualTo(URI.create("http://a:8080"));
        assertThat(two.collectorUrls()).containsExactly(URI.create("http://a:8080"), URI.create("http://b:8080"));
        assertThat(two.mqttUrl()).isEqualTo("tcp://a:1883");
        assertThat(two.mqttUrls()).containsExactly("tcp://a:1883", "ssl://b:8883");

        assertThatThrownBy(() -> parse(Map.of(), "--mqtt-url", "tcp://a:1883,http://b:1883"))
                .hasMessageContaining("mqtt-url must look like tcp://");
        assertThatThrownBy(() -> parse(Map.of(), "--collector-url", "http://a:8080,"))
                .hasMessageContaining("collector-url must look like http://");
        assertThatThrownBy(() -> parse(Map.of(), "--mqtt-url", "tcp://a:1883,tcp://a:1883"))
                .hasMessageContaining("mqtt-url names a collector twice");
    }
}
