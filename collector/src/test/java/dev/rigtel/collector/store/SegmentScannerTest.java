package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentScannerTest {

    @TempDir
    Path dir;

    private final SpoolIndex index = new SpoolIndex();

    @AfterEach
    void closeSegments() throws IOException {
        for (Segment segment : index.segments()) {
            segment.channel.close();
        }
    }

    private static String line(long sequence) {
        return "imu,rig=r ax=" + sequence + ".5 " + (1_700_000_000_000_000_000L + sequence) + "\n";
    }

    private static byte[] record(long sequence) {
        ByteBuffer record = RecordCodec.encode(line(sequence).getBytes(StandardCharsets.UTF_8), 1);
        RecordCodec.stamp(record, sequence);
        return record.array();
    }

    /** Writes a segment holding records {@code first..last}; returns its path. */
    private Path segment(long first, long last) throws IOException {
        Path path = dir.resolve(Segment.name(first));
        try (OutputStream out = Files.newOutputStream(path)) {
            for (long sequence = first; sequence <= last; sequence++) {
                out.write(record(sequence));
            }
        }
        return path;
    }

    private SegmentScanner.Recovery recover(long committed) throws IOException {
        return new SegmentScanner(dir, DiskIo.REAL, true).recover(index, committed, 99L);
    }

    private List<Long> indexed() {
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < index.size(); i++) {
            sequences.add(index.sequence(i));
        }
        return sequences;
    }

    @Test
    void findsNothingInAnEmptyDirectory() throws IOException {
        SegmentScanner.Recovery recovery = recover(0);

        assertThat(recovery.lastSequence()).isZero();
        assertThat(recovery.tail()).isNull();
        assertThat(index.size()).isZero();
    }

    @Test
    void indexesTheRecordsAfterTheCommittedSequenceAndContinuesInTheLastSegment() throws IOException {
        segment(1, 3);
        Path last = segment(4, 6);

        SegmentScanner.Recovery recovery = recover(2);

        assertThat(recovery.lastSequence()).isEqualTo(6);
        assertThat(recovery.recoveredRecords()).isEqualTo(4);
        assertThat(recovery.tail().path).isEqualTo(last);
        assertThat(recovery.tail().size).isEqualTo(Files.size(last));
        assertThat(indexed()).containsExactly(3L, 4L, 5L, 6L);
        assertThat(index.unwrittenPoints()).isEqualTo(4);
        assertThat(index.appendNanos(0)).isEqualTo(99L);
        assertThat(index.offset(1)).isZero();
        assertThat(index.segmentFirstSequences()).containsExactly(1L, 4L);
    }

    @Test
    void recoversATornTailByCuttingTheLastSegmentAtItsLastWholeRecord() throws IOException {
        Path path = segment(1, 5);
        long intact = Files.size(path) - record(5).length;
        // A power loss in the middle of writing record 5.
        try (var channel = java.nio.channels.FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(intact + 7);
        }

        SegmentScanner.Recovery recovery = recover(0);

        assertThat(recovery.droppedTailBytes()).isEqualTo(7);
        assertThat(recovery.corruptSegments()).isZero();
        assertThat(recovery.lastSequence()).isEqualTo(4);
        assertThat(indexed()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(path).hasSize(intact);
        assertThat(recovery.tail().size).isEqualTo(intact);
        assertThat(recovery.tail().lastSequence).isEqualTo(4);
    }

    @Test
    void recoversZerosAtTheTailAsATornTail() throws IOException {
        Path path = segment(1, 3);
        long intact = Files.size(path);
        Files.write(path, new byte[4096], StandardOpenOption.APPEND);

        SegmentScanner.Recovery recovery = recover(0);

        assertThat(recovery.droppedTailBytes()).isEqualTo(4096);
        assertThat(path).hasSize(intact);
        assertThat(indexed()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void movesCorruptionInAnOlderSegmentAside() throws IOException {
        Path older = segment(1, 3);
        segment(4, 4);
        byte[] bytes = Files.readAllBytes(older);
        int recordBytes = record(1).length;
        bytes[recordBytes + RecordCodec.HEADER_BYTES + 5] ^= 1;
        Files.write(older, bytes);

        SegmentScanner.Recovery recovery = recover(0);

        assertThat(recovery.corruptSegments()).isEqualTo(1);
        assertThat(recovery.droppedTailBytes()).isZero();
        assertThat(older).hasSize(recordBytes);
        assertThat(Segment.corruptPath(older)).hasSize(bytes.length - recordBytes);
        assertThat(indexed()).containsExactly(1L, 4L);
    }

    @Test
    void movesASegmentStartingInsideThePreviousOneAside() throws IOException {
        segment(1, 3);
        Path overlapping = segment(2, 2);
        segment(4, 4);

        SegmentScanner.Recovery recovery = recover(0);

        assertThat(recovery.corruptSegments()).isEqualTo(1);
        assertThat(overlapping).doesNotExist();
        assertThat(Segment.corruptPath(overlapping)).exists();
        assertThat(indexed()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void deletesSegmentsHoldingOnlyCommittedRecords() throws IOException {
        Path first = segment(1, 3);
        Path second = segment(4, 6);

        SegmentScanner.Recovery recovery = recover(6);

        assertThat(first).doesNotExist();
        // The last one stays: appends go on in it.
        assertThat(second).exists();
        assertThat(recovery.tail().path).isEqualTo(second);
        assertThat(index.size()).isZero();
        assertThat(recovery.recoveredRecords()).isZero();
    }

    @Test
    void startsOverWhenTheCommitFileIsAheadOfTheSegments() throws IOException {
        Path only = segment(1, 3);

        SegmentScanner.Recovery recovery = recover(10);

        assertThat(recovery.lastSequence()).isEqualTo(10);
        assertThat(recovery.tail()).isNull();
        assertThat(only).doesNotExist();
        assertThat(index.segments()).isEmpty();
    }
}
