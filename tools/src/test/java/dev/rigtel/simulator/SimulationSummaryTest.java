package dev.rigtel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.ingest.json.WireMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationSummaryTest {

    private static final ObjectMapper MAPPER = WireMapper.create().mapper();

    private static SimulationSummary.RigSummary rig(String id, long acked, Long first) {
        return new SimulationSummary.RigSummary(
                id,
                "9f3a61c2",
                40,
                8000,
                acked,
                acked * 200,
                2,
                2,
                1,
                1,
                0,
                0,
                0,
                3,
                0,
                1.25,
                78452.0123,
                -3.5,
                0.125,
                -12.0,
                7.75,
                first,
                first == null ? null : first + 9_995_000_000L,
                id.equals("rig-01") ? 20.0 : -3.25,
                12_000_000_000L);
    }

    private static SimulationSummary summary(long ackedOfSecondRig) {
        SimulatorOptions options =
                SimulatorOptions.builder().rigs(2).sampleRateHz(200).build();
        return SimulationSummary.of(
                options,
                2.001,
                0.05,
                List.of(rig("rig-01", 40, 5_000_000_000L), rig("rig-02", ackedOfSecondRig, 7_000_000_000L)));
    }

    @Test
    void roundTripsThroughJsonInSnakeCase() throws Exception {
        SimulationSummary summary = summary(40);

        String json = MAPPER.writeValueAsString(summary);
        JsonNode tree = MAPPER.readTree(json);

        assertThat(tree.get("rate_hz").asInt()).isEqualTo(200);
        assertThat(tree.get("per_rig").get(0).get("samples_sent").asLong()).isEqualTo(8000);
        assertThat(tree.get("per_rig").get(0).get("sum_ay").asDouble()).isEqualTo(78452.0123);
        assertThat(tree.get("per_rig").get(0).get("first_sample_device_ns").asLong())
                .isEqualTo(5_000_000_000L);
        assertThat(tree.get("totals").get("samples_acked").asLong()).isEqualTo(16000);
        assertThat(MAPPER.readValue(json, SimulationSummary.class)).isEqualTo(summary);
    }

    @Test
    void totalsAddUpAndOneMissingAckMakesTheRunIncomplete() {
        SimulationSummary complete = summary(40);
        SimulationSummary incomplete = summary(39);

        assertThat(complete.totals().samplesSent()).isEqualTo(16000);
        assertThat(complete.allAcknowledged()).isTrue();
        assertThat(incomplete.allAcknowledged()).isFalse();
        assertThat(incomplete.totals().imuMessagesAcked()).isEqualTo(79);
    }

    @Test
    void rigWithoutSamplesLeavesDeviceTimesOut() throws Exception {
        String json = MAPPER.writeValueAsString(rig("rig-03", 0, null));
        assertThat(json).doesNotContain("first_sample_device_ns");
        assertThat(MAPPER.readValue(json, SimulationSummary.RigSummary.class).firstSampleDeviceNanos())
                .isNull();
    }

    private static SimulationSummary.SlateEventSummary slate(String type, String id, boolean acked) {
        return new SimulationSummary.SlateEventSummary(
                type,
                id,
                "14:03:27:00",
                "25",
                false,
                "2026-11-21",
                type.equals("roll") ? "42" : null,
                type.equals("roll") ? "A" : null,
                type.equals("roll") ? 3 : null,
                null,
                null,
                type.equals("assign") ? "rig-01" : null,
                type.equals("assign") ? "Zoë Castellanos" : null,
                acked);
    }

    @Test
    void carriesTheClockTruthAndTheSlateEventsThroughJson() throws Exception {
        SimulatorOptions options = SimulatorOptions.builder()
                .rigs(2)
                .clockDriftPpm(20)
                .clockJitterMicros(50)
                .build();
        List<SimulationSummary.SlateEventSummary> events = List.of(
                slate("assign", "a1-0001-assign", true),
                slate("roll", "a1-0002-roll", true),
                slate("cut", "a1-0003-cut", true));
        SimulationSummary summary = SimulationSummary.of(
                options,
                Instant.parse("2026-11-21T14:03:26Z"),
                2.0,
                0.1,
                List.of(rig("rig-01", 40, 5_000_000_000L), rig("rig-02", 40, 7_000_000_000L)),
                events);

        JsonNode tree = MAPPER.readTree(MAPPER.writeValueAsString(summary));

        assertThat(tree.get("run_start").asText()).isEqualTo("2026-11-21T14:03:26Z");
        assertThat(tree.get("max_clock_drift_ppm").asDouble()).isEqualTo(20.0);
        assertThat(tree.get("clock_jitter_us").asDouble()).isEqualTo(50.0);
        assertThat(tree.get("per_rig").get(0).get("clock_drift_ppm").asDouble()).isEqualTo(20.0);
        assertThat(tree.get("per_rig").get(1).get("clock_drift_ppm").asDouble()).isEqualTo(-3.25);
        assertThat(tree.get("per_rig").get(0).get("device_start_ns").asLong()).isEqualTo(12_000_000_000L);
        assertThat(tree.get("slate_counts").get("sent").asLong()).isEqualTo(3);
        assertThat(tree.get("slate_counts").get("rolls").asLong()).isEqualTo(1);
        assertThat(tree.get("slate_counts").get("assigns").asLong()).isEqualTo(1);
        JsonNode assign = tree.get("slate_events").get(0);
        assertThat(assign.get("person").asText()).isEqualTo("Zoë Castellanos");
        assertThat(assign.has("scene")).isFalse();
        assertThat(tree.get("slate_events").get(1).get("take").asInt()).isEqualTo(3);
        assertThat(summary.allAcknowledged()).isTrue();
        assertThat(MAPPER.readValue(MAPPER.writeValueAsString(summary), SimulationSummary.class))
                .isEqualTo(summary);
    }

    @Test
    void oneUnacknowledgedSlateEventMakesTheRunIncomplete() {
        SimulationSummary summary = SimulationSummary.of(
                SimulatorOptions.builder().rigs(2).build(),
                Instant.parse("2026-11-21T14:03:26Z"),
                2.0,
                0.1,
                List.of(rig("rig-01", 40, 5_000_000_000L), rig("rig-02", 40, 7_000_000_000L)),
                List.of(slate("roll", "a1-0001-roll", true), slate("cut", "a1-0002-cut", false)));

        assertThat(summary.slateCounts().acked()).isEqualTo(1);
        assertThat(summary.allAcknowledged()).isFalse();
        assertThat(summary.toTable())
                .contains("slate: 2 events sent (1 rolls, 1 cuts, 0 marks, 0 assigns), 1 acknowledged");
    }

    @Test
    void tableShowsEveryRigAndTheTotal() {
        String table = summary(39).toTable();
        assertThat(table).contains("rig-01", "rig-02", "total", "16000", "NOT all messages", "drift ppm", "+20.000");
    }
}
