package dev.rigtel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.ingest.json.SlateJson;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The slate events the simulator sends hold to the contract's table and example payloads. */
class SlateJsonPayloadTest {

    private static final WireMapper WIRE = WireMapper.create();
    private static final ObjectMapper MAPPER = WIRE.mapper();
    private static final Instant RUN_START = Instant.parse("2026-11-21T14:03:27.123456789Z");
    /** The fields of the contract's slate table. */
    private static final Set<String> CONTRACT_FIELDS = Set.of(
            "v",
            "id",
            "type",
            "tc",
            "rate",
            "df",
            "date",
            "scene",
            "shot",
            "take",
            "camera_roll",
            "notes",
            "mark",
            "rig",
            "person");

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "roll", List.of("v", "id", "type", "tc", "rate", "scene", "shot", "take"),
            "cut", List.of("v", "id", "type", "tc", "rate"),
            "mark", List.of("v", "id", "type", "tc", "rate", "scene", "shot", "take", "mark"),
            "assign", List.of("v", "id", "type", "tc", "rate", "rig", "person"));

    private static SimulatorOptions.Builder day() {
        return SimulatorOptions.builder()
                .rigs(3)
                .slateUsername("slate")
                .dayTakes(6)
                .takeLength(Duration.ofSeconds(2))
                .betweenTakes(Duration.ofSeconds(1));
    }

    private static List<JsonNode> payloads(SimulatorOptions options) throws Exception {
        List<JsonNode> payloads = new ArrayList<>();
        for (ScriptedSlateEvent event : ShootingDay.plan(options, "5b0e6c1e").events()) {
            SlateJson json = event.toJson(RUN_START, options.timecodeRate(), options.timecodeDropFrame());
            payloads.add(MAPPER.readTree(PayloadEncoding.JSON.encode(WIRE, json)));
        }
        return payloads;
    }

    /** The JSON type of every field in the contract's example payloads. */
    private static Map<String, String> exampleTypes() throws Exception {
        Map<String, String> types = new HashMap<>();
        for (String name : List.of("slate-roll.json", "slate-cut.json", "slate-mark.json", "slate-assign.json")) {
            JsonNode example = MAPPER.readTree(FirmwareNotes.example(name));
            for (Iterator<Map.Entry<String, JsonNode>> it = example.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                types.put(field.getKey(), field.getValue().getNodeType().name());
            }
        }
        types.put("df", "BOOLEAN");
        return types;
    }

    @Test
    void rollPayloadHasTheContractsFieldsAndTypes() throws Exception {
        JsonNode roll = payloads(day().build()).stream()
                .filter(p -> p.get("type").asText().equals("roll"))
                .findFirst()
                .orElseThrow();

        assertThat(roll.get("v").isInt()).isTrue();
        assertThat(roll.get("v").asInt()).isEqualTo(1);
        assertThat(roll.get("id").isTextual()).isTrue();
        assertThat(roll.get("tc").isTextual()).isTrue();
        assertThat(roll.get("rate").asText()).isEqualTo("25");
        assertThat(roll.get("df").isBoolean()).isTrue();
        assertThat(roll.get("scene").asText()).isEqualTo("12");
        assertThat(roll.get("shot").asText()).isEqualTo("A");
        assertThat(roll.get("take").isInt()).isTrue();
        assertThat(roll.get("take").asInt()).isEqualTo(1);
        assertThat(roll.get("camera_roll").asText()).isEqualTo("A001");
        // Take 1 rolls 2 s after the start: 14:03:29.123456789 is in frame 3 of that second at 25 fps.
        assertThat(roll.get("tc").asText()).isEqualTo("14:03:29:03");
        assertThat(roll.get("date").asText()).isEqualTo("2026-11-21");
    }

    @Test
    void everyPayloadHasItsRequiredFieldsAndOnlyContractFieldsOfTheExamplesTypes() throws Exception {
        Map<String, String> exampleTypes = exampleTypes();
        assertThat(exampleTypes.keySet()).isSubsetOf(CONTRACT_FIELDS);
        List<JsonNode> payloads = payloads(day().dayMissingCut(2).build());
        assertThat(payloads).hasSize(3 + 3 * 6 - 1 + 3);
        for (JsonNode payload : payloads) {
            String type = payload.get("type").asText();
            assertThat(REQUIRED).containsKey(type);
            for (String field : REQUIRED.get(type)) {
                assertThat(payload.has(field))
                        .as("%s has %s: %s", type, field, payload)
                        .isTrue();
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = payload.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                assertThat(CONTRACT_FIELDS).contains(field.getKey());
                String expected = exampleTypes.getOrDefault(field.getKey(), "STRING");
                assertThat(field.getValue().getNodeType().name())
                        .as("type of %s in %s", field.getKey(), payload)
                        .isEqualTo(expected);
            }
            assertThat(payload.get("id").asText()).matches("[A-Za-z0-9_.:-]{1,64}");
            Timecode.parse(payload.get("tc").asText(), FrameRate.FPS_25, false);
            LocalDate.parse(payload.get("date").asText());
            if (payload.has("take")) {
                assertThat(payload.get("take").asInt()).isBetween(1, 999);
            }
            if (payload.has("scene")) {
                assertThat(payload.get("scene").asText()).hasSizeBetween(1, 32);
                assertThat(payload.get("shot").asText()).hasSizeBetween(1, 32);
            }
            if (payload.has("notes")) {
                assertThat(payload.get("notes").asText()).hasSizeLessThanOrEqualTo(500);
            }
            if (type.equals("mark")) {
                assertThat(payload.get("mark").asText()).isIn("good", "ng", "circled");
            }
        }
    }

    @Test
    void anExamplePayloadAndOursReadTheSameWay() throws Exception {
        JsonNode example = MAPPER.readTree(FirmwareNotes.example("slate-assign.json"));
        SlateJson read = MAPPER.treeToValue(example, SlateJson.class);
        assertThat(read.type()).isEqualTo("assign");
        assertThat(read.person()).isEqualTo("Dana Brooks");
        assertThat(MAPPER.readTree(MAPPER.writeValueAsBytes(read))).isEqualTo(example);
    }

    @Test
    void dropFrameTimecodeUsesTheSemicolonAndNonAsciiNamesSurviveUtf8() throws Exception {
        SimulatorOptions options =
                day().timecodeRate(FrameRate.FPS_29_97).timecodeDropFrame(true).build();
        List<JsonNode> payloads = payloads(options);
        for (JsonNode payload : payloads) {
            assertThat(payload.get("rate").asText()).isEqualTo("29.97");
            assertThat(payload.get("df").asBoolean()).isTrue();
            assertThat(payload.get("tc").asText()).matches("\\d\\d:\\d\\d:\\d\\d;\\d\\d");
            Timecode.parse(payload.get("tc").asText(), FrameRate.FPS_29_97, true);
        }
        assertThat(payloads.stream().map(p -> p.path("person").asText())).contains("Zoë Castellanos", "Liam O'Neil");
        // The first assign happens at 14:03:28.123456789; 29.97 frames are 1001/30000 s long.
        Instant at = RUN_START.plusSeconds(1);
        Timecode expected = SimulatedRig.TimecodeFrame.beganAtOrBefore(at, FrameRate.FPS_29_97, true)
                .timecode();
        assertThat(payloads.get(0).get("tc").asText()).isEqualTo(expected.toString());
        long timeOfDayNanos = (at.getEpochSecond() % 86_400) * 1_000_000_000L + at.getNano();
        assertThat(expected.realTimeNanos()).isBetween(timeOfDayNanos - 33_366_667L, timeOfDayNanos);
    }
}
