package dev.rigtel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.ingest.json.WireMapper;
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
                first == null ? null : first + 9_995_000_000L);
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

    @Test
    void tableShowsEveryRigAndTheTotal() {
        String table = summary(39).toTable();
        assertThat(table).contains("rig-01", "rig-02", "total", "16000", "NOT all messages");
    }
}
