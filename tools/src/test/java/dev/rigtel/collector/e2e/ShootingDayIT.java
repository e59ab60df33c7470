package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.Simulator;
import dev.rigtel.simulator.SimulatorOptions;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scripted shooting day from the simulator, with drifting and jittery rig clocks: the takes and
 * wearers the collector derives match what the slate sent, and every sample stored while a rig had
 * timecode lock lands within 1 ms of the true time it was taken.
 */
class ShootingDayIT {

    private static final Logger log = LoggerFactory.getLogger(ShootingDayIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RIGS = 4;
    private static final long S = 1_000_000_000L;

    @TempDir
    static Path dir;

    private static InfluxdbServer influx;
    private static Collector.Running collector;
    private static SimulationSummary summary;

    @BeforeAll
    static void runADay() throws Exception {
        influx = InfluxdbServer.start();
        Path credentials = TestCollector.credentials(dir, RIGS);
        TestCollector.addUser(credentials, "slate-sim", Role.SLATE, "clap");
        collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());
        SimulatorOptions options = SimulatorOptions.builder()
                .brokerUri("tcp://127.0.0.1:" + collector.mqttPort())
                .rigs(RIGS)
                .sampleRateHz(200)
                .duration(Duration.ZERO)
                .qos(1)
                .usernamePattern("rig-{n}")
                .passwordPattern("pw-{n}")
                .timecodeRate(FrameRate.FPS_25)
                .timecodeInterval(Duration.ofMillis(40))
                .clockDriftPpm(40)
                .clockJitterMicros(200)
                .slateUsername("slate-sim")
                .slatePassword("clap")
                .dayTakes(3)
                .takeLength(Duration.ofSeconds(6))
                .betweenTakes(Duration.ofSeconds(2))
                .dayMissingCut(2)
                .build();
        try (Simulator simulator = new Simulator(options, Clock.systemUTC())) {
            summary = simulator.run();
        }
        assertThat(summary.allAcknowledged()).isTrue();
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    /** One client, so its keep-alive connection is reused rather than one left open per request. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + path))
                        .header("Authorization", TestCollector.VIEWER_AUTHORIZATION)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void theTakesAndWearersAreTheOnesTheSlateSent() throws Exception {
        List<SimulationSummary.SlateEventSummary> rolls = summary.slateEvents().stream()
                .filter(e -> e.type().equals("roll"))
                .toList();
        JsonNode takes = get("/api/days/" + rolls.get(0).date() + "/takes");

        assertThat(takes).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode take = takes.get(i);
            SimulationSummary.SlateEventSummary roll = rolls.get(i);
            assertThat(take.get("scene").asText()).isEqualTo(roll.scene());
            assertThat(take.get("take").asInt()).isEqualTo(roll.take());
            assertThat(take.get("start_tc").asText()).isEqualTo(roll.timecode());
            assertThat(take.get("rolling").asBoolean()).isFalse();
            assertThat(take.get("closed_by_next_roll").asBoolean()).isEqualTo(i == 1);
        }
        List<String> marks = summary.slateEvents().stream()
                .filter(e -> e.type().equals("mark"))
                .map(SimulationSummary.SlateEventSummary::mark)
                .toList();
        List<String> stored = new ArrayList<>();
        takes.forEach(t -> stored.add(t.get("mark").asText()));
        assertThat(stored).isEqualTo(marks);

        // Wearers: the last assignment of each rig before a take's roll is its wearer in that take.
        for (int i = 0; i < 3; i++) {
            String rollTc = rolls.get(i).timecode();
            for (JsonNode wearing : takes.get(i).get("wearers")) {
                String rig = wearing.get("rig").asText();
                String expected = summary.slateEvents().stream()
                        .filter(e -> e.type().equals("assign") && e.rig().equals(rig))
                        .filter(e -> e.timecode().compareTo(rollTc) <= 0)
                        .reduce((a, b) -> b)
                        .orElseThrow()
                        .person();
                assertThat(wearing.get("person").asText())
                        .as(rig + " in take " + (i + 1))
                        .isEqualTo(expected);
            }
            assertThat(takes.get(i).get("wearers")).hasSize(RIGS);
        }
    }

    @Test
    void samplesStoredUnderTimecodeLockAreWithinOneMillisecondOfTheTruth() throws Exception {
        Instant runStart = Instant.parse(summary.runStart());
        long runStartNanos = runStart.getEpochSecond() * S + runStart.getNano();
        double worstMs = 0;
        long checked = 0;
        for (SimulationSummary.RigSummary rig : summary.perRig()) {
            List<List<Object>> segments = influx.query(
                    TestCollector.DATABASE,
                    "SELECT start_ns, start_dev_ns, length_ns FROM rig_clock WHERE rig = '" + rig.rig()
                            + "' AND lock = 'locked'");
            assertThat(segments).as(rig.rig() + " has locked segments").isNotEmpty();
            for (List<Object> segment : segments) {
                long start = Long.parseLong((String) segment.get(1));
                long startDevice = Long.parseLong((String) segment.get(2));
                long length = ((Number) segment.get(3)).longValue();
                // The samples of this segment: by device time, since the segment before it (mapped on the
                // collector's clock before lock) may overlap it in time.
                List<List<Object>> samples = influx.query(
                        TestCollector.DATABASE,
                        "SELECT dev_ns FROM raw.imu WHERE rig = '"
                                + rig.rig() + "' AND time >= " + (start - S) + " AND time < " + (start + 11 * S)
                                + " AND dev_ns >= " + startDevice + " AND dev_ns < " + (startDevice + length));
                double segmentWorst = 0;
                for (List<Object> sample : samples) {
                    long stored = ((Number) sample.get(0)).longValue();
                    long device = ((Number) sample.get(1)).longValue();
                    // Truth: the device clock runs (1 + drift) times as fast as true time.
                    BigDecimal elapsed = BigDecimal.valueOf(device - rig.deviceStartNanos())
                            .divide(
                                    BigDecimal.ONE.add(BigDecimal.valueOf(rig.clockDriftPpm() * 1e-6)),
                                    MathContext.DECIMAL64);
                    double errorMs = (stored - (runStartNanos + elapsed.longValue())) / 1e6;
                    worstMs = Math.max(worstMs, Math.abs(errorMs));
                    segmentWorst = Math.max(segmentWorst, Math.abs(errorMs));
                    checked++;
                }
                log.info(
                        "{} locked segment at {}: {} samples, worst error {} ms",
                        rig.rig(),
                        start,
                        samples.size(),
                        String.format("%.4f", segmentWorst));
            }
        }
        log.info(
                "alignment on drifting clocks (max drift +-40 ppm, jitter 200 us): {} samples checked, worst error "
                        + "{} ms",
                checked,
                String.format("%.3f", worstMs));
        assertThat(checked).isGreaterThan(1000);
        assertThat(worstMs).isLessThan(1.0);

        Map<String, JsonNode> rigs = new java.util.HashMap<>();
        get("/api/rigs").forEach(r -> rigs.put(r.get("rig").asText(), r));
        JsonNode first = rigs.get("rig-01");
        // Rig 1 runs exactly +40 ppm fast: t_tc = a + b * t_dev has b - 1 = -40 ppm.
        assertThat(first.get("drift_ppm").asDouble()).isBetween(-42.0, -38.0);
    }
}
