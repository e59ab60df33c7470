package dev.rigtel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.store.LineEncoder;
import dev.rigtel.collector.testing.RecordingSink;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The synthetic shoot: what it writes adds up, and the same seed writes the same shoot. */
class ShootHistoryTest {

    private static final LocalDate FIRST = LocalDate.of(2026, 5, 4);

    private static ShootHistory.Options options(long seed) {
        return new ShootHistory.Options(3, 8, 3, Duration.ofSeconds(10), 1, 1, 100, FIRST, ZoneOffset.UTC, seed);
    }

    private static long count(List<String> lines, String measurement) {
        return lines.stream().filter(l -> l.startsWith(measurement + ",")).count();
    }

    @Test
    void aSummaryPerTakeAndRigWhoseImpactsAreItsImpactEvents() throws Exception {
        RecordingSink sink = new RecordingSink();
        ShootHistory.Result result = ShootHistory.write(options(5), sink, 2);
        List<String> lines = sink.lines();

        assertThat(result.takes()).isEqualTo(3 * 8);
        assertThat(count(lines, "take_summary")).isEqualTo(3 * 8 * 3);
        assertThat(result.points()).isEqualTo(lines.size());
        assertThat(result.pointsByMeasurement()).containsEntry("take_summary", 72L);
        long impacts = lines.stream()
                .filter(l -> l.startsWith("take_summary,"))
                .mapToLong(l -> Long.parseLong(LineEncoder.parse(l).get("impacts")))
                .sum();
        assertThat(impacts)
                .isEqualTo(lines.stream()
                        .filter(l -> l.startsWith("motion_event,") && l.contains("type=impact"))
                        .count());
        // Raw samples for one take of the last day, 3 rigs at 100 Hz.
        assertThat(count(lines, "imu")).isBetween(3 * 500L, 3 * 1500L);
        assertThat(result.exposures().values().stream().mapToInt(e -> e.takes()).sum())
                .isEqualTo(72);
        assertThat(result.takeIds()).containsOnlyKeys(FIRST, FIRST.plusDays(1), FIRST.plusDays(2));
    }

    @Test
    void theSameSeedWritesTheSameShoot() throws Exception {
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        ShootHistory.write(options(9), a, 1);
        ShootHistory.write(options(9), b, 1);

        assertThat(a.lines()).isEqualTo(b.lines());
        Map<String, String> firstRoll = LineEncoder.parse(a.lines().stream()
                .filter(l -> l.startsWith("slate,type=roll"))
                .findFirst()
                .orElseThrow());
        assertThat(firstRoll).containsEntry("date", FIRST.toString()).containsEntry("tc", "08:00:00:00");
    }

    @Test
    void refusesAShootThatDoesNotFitItsDays() {
        assertThatThrownBy(() -> new ShootHistory.Options(
                        1, 1000, 3, Duration.ofSeconds(60), 0, 0, 100, FIRST, ZoneOffset.UTC, 1))
                .hasMessageContaining("12 h");
        assertThatThrownBy(() -> new ShootHistory.Options(
                        1, 10, 15, Duration.ofSeconds(10), 0, 0, 100, FIRST, ZoneOffset.UTC, 1))
                .hasMessageContaining("rigs");
    }
}
