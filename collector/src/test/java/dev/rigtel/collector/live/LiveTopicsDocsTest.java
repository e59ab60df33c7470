package dev.rigtel.collector.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.StorageWatch;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.LiveIngest;
import dev.rigtel.collector.testing.RecordingOutlet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds firmware-notes/live-topics.md, its examples in firmware-notes/examples/live/ and the
 * encoder together: every field the encoder writes is documented and shown in the example, and
 * nothing else is; the documented QoS and retain flags are the ones used.
 */
class LiveTopicsDocsTest {

    /** Topic pattern of each live topic, by the name of its example file. */
    private static final Map<String, String> TOPICS = Map.of(
            "state", "rigtel/v1/live/{rig}/state",
            "motion", "rigtel/v1/live/{rig}/motion",
            "trace", "rigtel/v1/live/{rig}/trace",
            "event", "rigtel/v1/live/{rig}/event",
            "alert", "rigtel/v1/live/{rig}/alert",
            "takes", "rigtel/v1/live/takes",
            "storage", StorageReports.TOPIC);

    @TempDir
    Path dir;

    private LiveIngest live;
    private String doc;

    @BeforeEach
    void setUp() throws IOException {
        live = new LiveIngest(dir);
        doc = Files.readString(FirmwareNotes.dir().resolve("live-topics.md"));
    }

    @AfterEach
    void tearDown() {
        live.close();
    }

    /** One message on every live topic, each with every nested object filled in. */
    private void shootingScene() {
        live.ingest.rigConnected(new RigId(LiveIngest.RIG));
        live.slate("slate-assign.json");
        live.slate("slate-roll.json");
        live.clock.advance(Duration.ofSeconds(2));
        live.accept("status", FirmwareNotes.example("status.json"));
        live.lockTimecode();
        live.clock.advance(Duration.ofSeconds(4));
        live.ingest.tick();
        double g0 = RigMotion.G0;
        for (int batch = 0; batch < 2; batch++) {
            live.clock.advance(Duration.ofSeconds(1));
            int hitAt = batch == 1 ? 500 : Integer.MAX_VALUE;
            live.accept("imu", live.imu(batch, 1000, i -> {
                double rel = i - hitAt;
                double ax = rel >= 0 && rel <= 10 ? 14 * g0 * Math.sin(Math.PI * rel / 10) : 0;
                return new double[] {ax, g0, 0, 0, 30, 0};
            }));
        }
        new StorageReports(
                        new StorageWatch(
                                null,
                                new StorageWatch.Plan(Optional.of(LocalDate.of(2026, 10, 12)), 120, dir),
                                Duration.ZERO,
                                dir,
                                1 << 20,
                                () -> 4096L,
                                Optional::empty,
                                ZoneOffset.UTC,
                                live.clock),
                        new InfluxWrites(live.buffer),
                        live.wire.mapper(),
                        live.outlet)
                .tick();
    }

    private RecordingOutlet.Message lastOn(String name) {
        return live.last(TOPICS.get(name).replace("{rig}", LiveIngest.RIG));
    }

    @Test
    void everyFieldTheEncoderWritesIsDocumentedAndInTheExampleAndNoOther() throws IOException {
        shootingScene();

        for (String name : TOPICS.keySet()) {
            Set<String> written = fieldPaths(live.json(lastOn(name)));
            Set<String> example = fieldPaths(example(name));
            Set<String> documented = documentedFields(TOPICS.get(name));

            assertThat(example)
                    .as("examples/live/%s.json against the encoder", name)
                    .isEqualTo(written);
            assertThat(documented)
                    .as("live-topics.md table of %s against the encoder", name)
                    .isEqualTo(written);
        }
    }

    @Test
    void everyFieldNameIsSnakeCaseLikeTheRestOfTheContract() {
        shootingScene();

        for (String name : TOPICS.keySet()) {
            for (String path : fieldPaths(live.json(lastOn(name)))) {
                for (String field : path.replace("[]", "").split("\\.")) {
                    assertThat(field).as("%s: %s", name, path).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*");
                }
            }
        }
    }

    @Test
    void theExamplesInThePageAreTheExampleFiles() throws IOException {
        for (String name : TOPICS.keySet()) {
            JsonNode inPage = live.wire.mapper().readTree(section(TOPICS.get(name)).jsonBlock);
            assertThat(inPage).as(name).isEqualTo(example(name));
        }
    }

    @Test
    void theDocumentedQosAndRetainFlagsAreTheOnesPublished() {
        shootingScene();
        Map<String, String> documented = new LinkedHashMap<>();
        for (List<String> row : tableRows(section("Topics").text)) {
            if (row.size() >= 3 && row.get(0).startsWith("`rigtel/")) {
                documented.put(unquote(row.get(0)), row.get(1) + " " + row.get(2));
            }
        }
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(TOPICS.values());

        for (RecordingOutlet.Message m : live.outlet.messages()) {
            String pattern = m.topic().replace("/" + LiveIngest.RIG + "/", "/{rig}/");
            assertThat(documented).containsKey(pattern);
            assertThat(m.qos() + " " + (m.retain() ? "yes" : "no"))
                    .as(m.topic())
                    .isEqualTo(documented.get(pattern));
        }
    }

    private JsonNode example(String name) throws IOException {
        return live.wire.mapper().readTree(FirmwareNotes.example("live/" + name + ".json"));
    }

    private Set<String> documentedFields(String topic) {
        Set<String> fields = new LinkedHashSet<>();
        for (List<String> row : tableRows(section(topic).text)) {
            if (row.get(0).startsWith("`")) {
                fields.add(unquote(row.get(0)));
            }
        }
        return fields;
    }

    /** Dotted paths of every field; {@code a[].b} for fields of objects in array {@code a}. */
    static Set<String> fieldPaths(JsonNode node) {
        Set<String> paths = new LinkedHashSet<>();
        collect(node, "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String prefix, Set<String> paths) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = prefix + field.getKey();
            paths.add(path);
            JsonNode value = field.getValue();
            if (value.isObject()) {
                collect(value, path + ".", paths);
            } else if (value.isArray() && value.size() > 0 && value.get(0).isObject()) {
                collect(value.get(0), path + "[].", paths);
            }
        }
    }

    private record Section(String text, String jsonBlock) {}

    /** The "## " section whose heading contains {@code title}: its text and first json block. */
    private Section section(String title) {
        String[] sections = doc.split("\n## ");
        for (String s : sections) {
            String heading = s.substring(0, s.indexOf('\n'));
            if (heading.contains(title.startsWith("rigtel/") ? "`" + title + "`" : title)) {
                int open = s.indexOf("```json\n");
                String json = open < 0 ? null : s.substring(open + 8, s.indexOf("```", open + 8));
                return new Section(s, json);
            }
        }
        throw new AssertionError("live-topics.md has no section '## ..." + title + "...'");
    }

    /** The cells of the rows of the first table in {@code text}, header row included. */
    private static List<List<String>> tableRows(String text) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("|")) {
                if (!rows.isEmpty()) {
                    break;
                }
                continue;
            }
            if (!line.startsWith("|---")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1, line.lastIndexOf('|')).split("\\|")) {
                    cells.add(cell.trim());
                }
                rows.add(cells);
            }
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.replace("`", "");
    }
}
