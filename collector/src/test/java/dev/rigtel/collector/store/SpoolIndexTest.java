package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpoolIndexTest {

    private final SpoolIndex index = new SpoolIndex();

    private static Segment segment(long first, long last) {
        Segment segment = new Segment(first, Path.of(Segment.name(first)), null);
        segment.lastSequence = last;
        segment.size = (last - first + 1) * 100;
        return segment;
    }

    @Test
    void keepsRecordsInOrderAcrossTheRingWrappingAndGrowing() {
        for (long sequence = 1; sequence <= 50; sequence++) {
            index.add(sequence, sequence * 10, 20, 2, sequence);
        }
        index.removeThrough(40);
        for (long sequence = 51; sequence <= 300; sequence++) {
            index.add(sequence, sequence * 10, 20, 2, sequence);
        }

        assertThat(index.size()).isEqualTo(260);
        for (int i = 0; i < index.size(); i++) {
            long sequence = 41 + i;
            assertThat(index.sequence(i)).isEqualTo(sequence);
            assertThat(index.offset(i)).isEqualTo(sequence * 10);
            assertThat(index.appendNanos(i)).isEqualTo(sequence);
        }
        assertThat(index.unwrittenBytes()).isEqualTo(260L * (RecordCodec.HEADER_BYTES + 20));
        assertThat(index.unwrittenPoints()).isEqualTo(520);
    }

    @Test
    void countsWhatCommitsAndDroppedFsyncsRemove() {
        for (long sequence = 1; sequence <= 10; sequence++) {
            index.add(sequence, 0, (int) sequence, 1, 0);
        }
        index.removeThrough(3);
        index.removeAfter(8);

        assertThat(index.size()).isEqualTo(5);
        assertThat(index.sequence(0)).isEqualTo(4);
        assertThat(index.sequence(4)).isEqualTo(8);
        assertThat(index.unwrittenPoints()).isEqualTo(5);
        assertThat(index.unwrittenBytes()).isEqualTo(5L * RecordCodec.HEADER_BYTES + 4 + 5 + 6 + 7 + 8);

        index.removeThrough(100);
        assertThat(index.size()).isZero();
        assertThat(index.unwrittenBytes()).isZero();
        assertThat(index.unwrittenPoints()).isZero();
    }

    @Test
    void findsTheFirstRecordAtOrAfterASequenceAcrossGaps() {
        for (long sequence : new long[] {2, 3, 7, 8, 20}) {
            index.add(sequence, 0, 4, 1, 0);
        }

        assertThat(index.firstAtLeast(1)).isZero();
        assertThat(index.firstAtLeast(3)).isEqualTo(1);
        assertThat(index.firstAtLeast(4)).isEqualTo(2);
        assertThat(index.firstAtLeast(20)).isEqualTo(4);
        assertThat(index.firstAtLeast(21)).isEqualTo(5);
    }

    @Test
    void knowsWhichSegmentHoldsASequenceAndWhichAreUnsynced() {
        index.addSegment(segment(1, 3));
        index.addSegment(segment(4, 6));
        index.addSegment(segment(7, 9));

        assertThat(index.segmentOf(5).firstSequence).isEqualTo(4);
        assertThat(index.segmentOf(9).firstSequence).isEqualTo(7);
        assertThat(index.current().firstSequence).isEqualTo(7);
        assertThat(index.diskBytes()).isEqualTo(900);
        List<FileChannel> unsynced = new ArrayList<>();
        index.unsyncedChannels(4, unsynced);
        assertThat(unsynced).hasSize(2);
        unsynced.clear();
        index.unsyncedChannels(9, unsynced);
        assertThat(unsynced).isEmpty();
    }

    @Test
    void removesWrittenSegmentsButNeverTheCurrentOne() {
        index.addSegment(segment(1, 3));
        index.addSegment(segment(4, 6));
        index.addSegment(segment(7, 9));

        assertThat(index.removeWrittenSegments(5))
                .extracting(s -> s.firstSequence)
                .containsExactly(1L);
        assertThat(index.removeWrittenSegments(9))
                .extracting(s -> s.firstSequence)
                .containsExactly(4L);
        assertThat(index.segmentFirstSequences()).containsExactly(7L);
        assertThat(index.segmentPaths()).containsOnlyKeys(7L);
    }
}
