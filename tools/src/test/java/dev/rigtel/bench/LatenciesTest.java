package dev.rigtel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesUseTheNearestRank() {
        Latencies l = new Latencies();
        for (long v : new long[] {4, 1, 3, 2}) {
            l.record(v);
        }
        Latencies.Summary s = l.summary();

        assertThat(s.percentile(50)).isEqualTo(2); // rank ceil(0.5 * 4) = 2
        assertThat(s.percentile(75)).isEqualTo(3);
        assertThat(s.percentile(76)).isEqualTo(4);
        assertThat(s.percentile(1)).isEqualTo(1);
        assertThat(s.max()).isEqualTo(4);
    }

    @Test
    void p99OfAHundredValuesIsTheNinetyNinthAndOfAThousandTheNineHundredNinetieth() {
        Latencies hundred = new Latencies();
        Latencies thousand = new Latencies();
        for (int i = 1000; i >= 1; i--) {
            thousand.record(i);
            if (i <= 100) {
                hundred.record(i);
            }
        }

        assertThat(hundred.summary().percentile(99)).isEqualTo(99);
        assertThat(hundred.summary().percentile(50)).isEqualTo(50);
        assertThat(thousand.summary().percentile(99)).isEqualTo(990);
        assertThat(thousand.summary().percentile(99.9)).isEqualTo(999);
        assertThat(thousand.summary().max()).isEqualTo(1000);
    }

    @Test
    void oneObservationIsEveryPercentile() {
        Latencies l = new Latencies();
        l.record(7_000_000);

        assertThat(l.summary().percentile(0.1)).isEqualTo(7_000_000);
        assertThat(l.summary().percentile(100)).isEqualTo(7_000_000);
        assertThat(l.summary().millis()).isEqualTo("7.00 / 7.00 / 7.00 ms");
    }

    @Test
    void growsPastItsFirstArrayAndSummariesAreSnapshots() {
        Latencies l = new Latencies();
        for (int i = 0; i < 5000; i++) {
            l.record(i);
        }
        Latencies.Summary before = l.summary();
        l.record(1_000_000);

        assertThat(before.count()).isEqualTo(5000);
        assertThat(before.max()).isEqualTo(4999);
        assertThat(l.summary().max()).isEqualTo(1_000_000);
    }

    @Test
    void refusesPercentilesOutsideZeroToHundredAndEmptySummaries() {
        Latencies l = new Latencies();

        assertThat(l.summary().millis()).isEqualTo("-");
        assertThatThrownBy(() -> l.summary().percentile(50)).isInstanceOf(IllegalStateException.class);
        l.record(1);
        assertThatThrownBy(() -> l.summary().percentile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> l.summary().percentile(100.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsMillisecondsWithSensiblePrecision() {
        assertThat(Latencies.Summary.ms(1_234_567)).isEqualTo("1.23");
        assertThat(Latencies.Summary.ms(12_345_678)).isEqualTo("12.3");
        assertThat(Latencies.Summary.ms(1_234_567_890)).isEqualTo("1235");
    }
}
