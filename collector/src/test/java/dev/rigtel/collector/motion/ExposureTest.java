package dev.rigtel.collector.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A wearer's day (DOMAIN.md section 4: impacts above threshold, cumulative dose, time above). */
class ExposureTest {

    private static TakeSummary take(double seconds, int impacts, double hic, double msdv, double share, double peakG) {
        return new TakeSummary(seconds, 1000, peakG, 100, 10, impacts, hic, 2, 1, msdv, 0.1, share, 80, -1);
    }

    @Test
    void addsUpImpactsDoseInSquaresAndTimeAbove() {
        List<TakeSummary> takes = List.of(take(100, 1, 40, 3, 0.1, 12), take(50, 2, 75, 4, 0.5, 15));
        List<Rollup> seconds = List.of(
                new Rollup(0, 1.2, 1, 10, 5, 1000, 1000, 0),
                new Rollup(1, 3.5, 1.1, 10, 5, 1000, 1000, 0),
                new Rollup(2, 12, 1.3, 10, 5, 1000, 1000, 0));

        Exposure e = Exposure.of(takes, seconds);

        assertThat(e.takes()).isEqualTo(2);
        assertThat(e.impactsOverThreshold()).isEqualTo(3);
        assertThat(e.maxHic15()).isEqualTo(75);
        assertThat(e.msdvTotal()).isCloseTo(5, offset(1e-12));
        assertThat(e.secondsAbove30Dps()).isCloseTo(35, offset(1e-12));
        assertThat(e.secondsAbove3G()).isEqualTo(2);
    }

    @Test
    void withoutRollupsTimeAbove3gIsZeroOnlyIfNoTakePeakedOver3g() {
        assertThat(Exposure.of(List.of(take(100, 0, 0, 1, 0, 1.5))).secondsAbove3G())
                .isZero();
        assertThat(Exposure.of(List.of(take(100, 0, 0, 1, 0, 4))).secondsAbove3G())
                .isNaN();
    }

    @Test
    void anEmptyDayIsZero() {
        assertThat(Exposure.of(List.of(), List.of())).isEqualTo(new Exposure(0, 0, 0, 0, 0, 0));
    }
}
