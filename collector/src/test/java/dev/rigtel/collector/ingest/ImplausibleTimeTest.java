package dev.rigtel.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.LiveIngest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rig whose device time jumps (issue 14: a timer that leapt a hundred years within one boot) must
 * not put its samples, and every later boot's, a century ahead: the message is refused as bad-timing,
 * counted, and raises a clock alert; the rig's stream goes on.
 */
class ImplausibleTimeTest {

    private static final String RIG = LiveIngest.RIG;
    private static final String ALERT = "rigtel/v1/live/" + RIG + "/alert";
    private static final long CENTURY_MICROS = Duration.ofDays(36_525).toNanos() / 1000;

    @TempDir
    Path dir;

    private LiveIngest live;
    private final Publisher rig = new Publisher(new RigId(RIG), true, false);

    @BeforeEach
    void setUp() throws Exception {
        live = new LiveIngest(dir);
        live.ingest.rigConnected(new RigId(RIG));
    }

    @AfterEach
    void tearDown() {
        live.close();
    }

    private IngestResult send(String kind, byte[] payload) {
        return live.ingest.accept(rig, "rigtel/v1/" + RIG + "/" + kind, payload, () -> {});
    }

    private byte[] edited(byte[] json, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode node = (ObjectNode) live.wire.mapper().readTree(json);
        edit.accept(node);
        return live.wire.mapper().writeValueAsBytes(node);
    }

    private static double[] still(int i) {
        return new double[] {0, 9.81, 0, 0, 0, 0};
    }

    private double counter(String name, String tag, String value) {
        io.micrometer.core.instrument.Counter c =
                live.registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    private void assertRefusedWithAnAlert(IngestResult result) {
        assertThat(result).isInstanceOfSatisfying(IngestResult.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(RejectReason.BAD_TIMING));
        assertThat(counter("rigtel.ingest.rejected", "reason", "bad-timing")).isEqualTo(1);
        assertThat(counter("rigtel.timecode.alerts", "type", "implausible-time"))
                .isEqualTo(1);
        List<dev.rigtel.collector.testing.RecordingOutlet.Message> alerts = live.outlet.on(ALERT);
        assertThat(alerts).hasSize(1);
        JsonNode alert = live.json(alerts.get(0));
        assertThat(alert.get("type").asText()).isEqualTo("implausible-time");
        assertThat(alert.get("ahead_seconds").asDouble()).isGreaterThan(3.0e9);
    }

    @Test
    void refusesAnImuBatchWhoseDeviceTimeJumpsACenturyAheadWithinABoot() throws Exception {
        assertThat(send("imu", live.imu(0, 50, ImplausibleTimeTest::still))).isInstanceOf(IngestResult.Accepted.class);
        live.clock.advance(Duration.ofMillis(50));

        IngestResult jumped = send(
                "imu",
                edited(
                        live.imu(1, 50, ImplausibleTimeTest::still),
                        b -> b.put("t0_us", b.get("t0_us").asLong() + CENTURY_MICROS)));

        assertRefusedWithAnAlert(jumped);
        assertThat(((IngestResult.Rejected) jumped).message()).contains("device time");
        // The same batch without the jump, and the rest of the stream, are stored as ever.
        assertThat(send("imu", live.imu(1, 50, ImplausibleTimeTest::still))).isInstanceOf(IngestResult.Accepted.class);
        live.clock.advance(Duration.ofMillis(50));
        assertThat(send("imu", live.imu(2, 50, ImplausibleTimeTest::still))).isInstanceOf(IngestResult.Accepted.class);
    }

    @Test
    void refusesAStatusReportWhoseDeviceTimeJumpsACenturyAhead() throws Exception {
        assertThat(send("status", live.status(12, 80))).isInstanceOf(IngestResult.Accepted.class);
        live.clock.advance(Duration.ofSeconds(5));

        IngestResult jumped = send(
                "status",
                edited(live.status(13, 79), s -> s.put("t_us", s.get("t_us").asLong() + CENTURY_MICROS)));

        assertRefusedWithAnAlert(jumped);
    }

    @Test
    void refusesATimecodeReportDatedACenturyAheadAndStaysUnlocked() throws Exception {
        IngestResult result =
                send("timecode", edited(FirmwareNotes.example("timecode-25.json"), t -> t.put("date", "2126-11-21")));

        assertRefusedWithAnAlert(result);
        assertThat(((IngestResult.Rejected) result).message()).contains("ahead");
        live.lockTimecode();
        assertThat(live.json(live.last("rigtel/v1/live/" + RIG + "/state"))
                        .get("timecode_lock")
                        .asText())
                .isEqualTo("locked");
    }
}
