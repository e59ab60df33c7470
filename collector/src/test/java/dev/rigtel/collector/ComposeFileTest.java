package dev.rigtel.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.config.ConfigSources;
import dev.rigtel.collector.source.SourceOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The collectors in {@code docker-compose.yml} (the default one and the {@code studio} profile's
 * group) start with options the collector takes: nobody runs Docker on our machines, so this is what
 * keeps the file true.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("../docker-compose.yml");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::-([^}]*))?}");

    private static JsonNode services;

    @BeforeAll
    static void read() throws IOException {
        services =
                new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile()).path("services");
    }

    private static List<String> collectorServices() {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = services.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if ("rigtel-collector:local"
                    .equals(services.path(name).path("image").asText())) {
                names.add(name);
            }
        }
        return names;
    }

    /** Compose's own substitution: {@code ${VAR:-default}} with nothing set in the environment. */
    static String substitute(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The service's command, with the credentials file it mounts read from a file of this test's
     * (the container's path does not exist here).
     */
    private static String[] command(String service) throws IOException {
        List<String> args = new ArrayList<>();
        services.path(service).path("command").forEach(arg -> args.add(substitute(arg.asText())));
        int credentials = args.indexOf("--credentials");
        assertThat(credentials).as(service + " names its credentials file").isNotNegative();
        assertThat(services.path(service).path("volumes").toString())
                .as(service + " mounts it")
                .contains(":" + args.get(credentials + 1) + ":ro");
        Path file = Files.createTempFile("compose-credentials", "");
        file.toFile().deleteOnExit();
        args.set(credentials + 1, file.toString());
        return args.toArray(String[]::new);
    }

    private static CollectorConfig parse(String service) throws IOException {
        CollectorMain main = new CollectorMain();
        new CommandLine(main).parseArgs(command(service));
        return main.config();
    }

    @Test
    void hasTheUnitsCollectorAndTheStudioGroup() {
        assertThat(collectorServices()).containsExactly("collector", "collector-a", "collector-b");
        assertThat(services.path("mosquitto").path("profiles").toString()).contains("studio");
    }

    @Test
    void everyCollectorsCommandParses() throws IOException {
        for (String service : collectorServices()) {
            CollectorConfig config = parse(service);
            assertThat(config.dataDir()).as(service).isEqualTo(Path.of("/var/lib/rigtel"));
        }
    }

    @Test
    void theStudioCollectorsConsumeFromTheBrokerInOneGroupAsDistinctMembers() throws IOException {
        Set<String> members = new HashSet<>();
        for (String service : List.of("collector-a", "collector-b")) {
            SourceOptions source = parse(service).source();
            assertThat(source).as(service).isNotNull();
            assertThat(source.uri().toString()).isEqualTo("mqtt://mosquitto:1883");
            assertThat(source.username()).isEqualTo("collector");
            assertThat(source.cluster()).as(service + " in cluster mode").isNotNull();
            assertThat(source.cluster().group()).isEqualTo("studio");
            members.add(source.cluster().member());
            // The password comes from the environment the collector reads.
            assertThat(services.path(service).path("environment").has(ConfigSources.envName("--source-password")))
                    .as(service)
                    .isTrue();
        }
        assertThat(members).hasSize(2);
    }

    @Test
    void theBrokerRunsTheGuidesConfigAndAcl() {
        String volumes = services.path("mosquitto").path("volumes").toString();
        assertThat(volumes)
                .contains("./docs/studio/mosquitto.conf:/mosquitto/config/mosquitto.conf")
                .contains("./docs/studio/rigtel.acl:/mosquitto/config/rigtel.acl");
    }

    @Test
    void everyCollectorHasASpoolOfItsOwn() {
        Set<String> dataVolumes = new HashSet<>();
        for (String service : collectorServices()) {
            String volume = null;
            for (JsonNode mount : services.path(service).path("volumes")) {
                if (mount.asText().endsWith(":/var/lib/rigtel")) {
                    volume = mount.asText();
                }
            }
            assertThat(volume).as(service + " mounts its data dir").isNotNull();
            assertThat(dataVolumes.add(volume))
                    .as(service + " shares " + volume)
                    .isTrue();
        }
    }

    @Test
    void theFilesItMountsFromTheRepositoryExist() {
        for (Map.Entry<String, JsonNode> service : (Iterable<Map.Entry<String, JsonNode>>) services::fields) {
            for (JsonNode mount : service.getValue().path("volumes")) {
                String source = mount.asText().split(":")[0];
                if (source.startsWith("./") && !source.startsWith("./var/")) {
                    assertThat(Files.exists(Path.of("..").resolve(source)))
                            .as(service.getKey() + " mounts " + source)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void substitutesDefaultsAsComposeDoes() {
        assertThat(substitute("${RIGTEL_RAW_RETENTION:-keep}")).isEqualTo("keep");
        assertThat(substitute("${UNSET}")).isEmpty();
        assertThat(substitute("a-${X:-1}-b")).isEqualTo("a-1-b");
    }
}
