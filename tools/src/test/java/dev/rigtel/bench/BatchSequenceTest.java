package dev.rigtel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchSequenceTest {

    @Test
    void batchesAt1kHzStartEvery20Milliseconds() {
        BatchSequence s = BatchSequence.at(5_000_000, 1000, 20);

        assertThat(s.intervalNanos()).isEqualTo(1_000_000);
        assertThat(s.batchNanos()).isEqualTo(20_000_000);
        assertThat(s.firstSampleMicros(1)).isEqualTo(5_000_000);
        assertThat(s.firstSampleMicros(2)).isEqualTo(5_020_000);
        assertThat(s.lastSampleNanos(1)).isEqualTo(5_019_000_000L);
        assertThat(s.firstSampleMicros(2) * 1000).isGreaterThan(s.lastSampleNanos(1));
    }

    @Test
    void batchStartsAtARateWithoutWholeMicrosecondsStayAfterThePreviousBatch() {
        BatchSequence s = BatchSequence.at(0, 833, 17); // 1,200,480 ns between samples

        assertThat(s.intervalNanos()).isEqualTo(1_200_480);
        for (long seq = 1; seq < 10_000; seq++) {
            assertThat(s.firstSampleMicros(seq + 1) * 1000).isGreaterThan(s.lastSampleNanos(seq));
        }
    }

    @Test
    void findsTheNewestBatchAStoredDeviceTimeCovers() {
        BatchSequence s = BatchSequence.at(5_000_000, 833, 17);

        assertThat(s.lastSeqAtOrBefore(0)).isZero();
        assertThat(s.lastSeqAtOrBefore(s.lastSampleNanos(1) - 1)).isZero();
        for (long seq = 1; seq < 5_000; seq++) {
            assertThat(s.lastSeqAtOrBefore(s.lastSampleNanos(seq))).isEqualTo(seq);
            assertThat(s.lastSeqAtOrBefore(s.lastSampleNanos(seq + 1) - 1)).isEqualTo(seq);
            // The first sample of the next batch is stored before its last one: still only seq.
            assertThat(s.lastSeqAtOrBefore(s.firstSampleMicros(seq + 1) * 1000)).isEqualTo(seq);
        }
    }

    @Test
    void refusesSeqZeroAndIntervalsUnderAMicrosecond() {
        BatchSequence s = BatchSequence.at(0, 1000, 20);

        assertThatThrownBy(() -> s.firstSampleMicros(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchSequence.at(0, 2_000_000, 20)).isInstanceOf(IllegalArgumentException.class);
    }
}
