package dev.rigtel.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The dashboards in {@code docker-compose.yml} start with options the dashboard takes, and the
 * {@code studio} profile's one follows both collectors of the group: nobody runs Docker on our
 * machines, so this is what keeps the file true.
 */
class ComposeFileTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::-([^}]*))?}");
    /** What a user puts in the .env file beside docker-compose.yml (the control token; others differ). */
    private static final String SECRET = "a-Secret_value.1234";

    private static JsonNode services;

    @BeforeAll
    static void read() throws IOException {
        services = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("../docker-compose.yml").toFile())
                .path("services");
    }

    /** Compose's substitution, with a value for every variable the .env file sets. */
    private static String substitute(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = name.startsWith("RIGTEL_DASHBOARD_ALLOWED")
                    ? ""
                    : name.endsWith("CONTROL_TOKEN") ? SECRET : SECRET + "-" + name;
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static DashboardOptions parse(String service) {
        JsonNode node = services.path(service);
        Map<String, String> env = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("environment").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            env.put(e.getKey(), substitute(e.getValue().asText()));
        }
        List<String> args = new ArrayList<>();
        node.path("command").forEach(arg -> args.add(substitute(arg.asText())));
        CommandLine commandLine = DashboardMain.commandLine(env);
        commandLine.parseArgs(args.toArray(String[]::new));
        return ((DashboardMain) commandLine.getCommand()).options();
    }

    @Test
    void theUnitsDashboardFollowsItsCollector() {
        DashboardOptions options = parse("dashboard");

        assertThat(options.collectorUrls()).containsExactly(URI.create("http://collector:8080"));
        assertThat(options.mqttUrls()).containsExactly("tcp://collector:1883");
        assertThat(options.controlToken()).isEqualTo(SECRET);
    }

    @Test
    void theStudioDashboardFollowsBothCollectorsOfTheGroup() {
        DashboardOptions options = parse("dashboard-studio");

        assertThat(options.collectorUrls())
                .containsExactly(URI.create("http://collector-a:8080"), URI.create("http://collector-b:8080"));
        assertThat(options.mqttUrls()).containsExactly("tcp://collector-a:1883", "tcp://collector-b:1883");
        for (String collector : List.of("collector-a", "collector-b")) {
            assertThat(services.path(collector).path("profiles").toString()).contains("studio");
        }
        assertThat(services.path("dashboard-studio").path("profiles").toString())
                .contains("studio");
    }
}
