package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    private static final String LINES =
            "imu,rig=r1 ax=1.5,ay=-1.25 1700000000000000001\nslate,rig=r1 note=\"Ünïcødé ✓\" 2\n";

    private static ByteBuffer record(String lines, int points, long sequence) {
        ByteBuffer record = RecordCodec.encode(lines.getBytes(StandardCharsets.UTF_8), points);
        RecordCodec.stamp(record, sequence);
        return record;
    }

    @Test
    void decodesWhatItEncoded() {
        ByteBuffer record = record(LINES, 2, 42);
        int length = record.capacity() - RecordCodec.HEADER_BYTES;

        assertThat(RecordCodec.decode(record, 0, 42, length)).isEqualTo(new SpoolRecord(42, 2, LINES));
    }

    @Test
    void decodesARecordInTheMiddleOfARunOfRecords() {
        ByteBuffer first = record("a v=1i 1\n", 1, 7);
        ByteBuffer second = record(LINES, 2, 8);
        ByteBuffer run = ByteBuffer.allocate(first.capacity() + second.capacity());
        run.put(first.array()).put(second.array());

        SpoolRecord decoded =
                RecordCodec.decode(run, first.capacity(), 8, second.capacity() - RecordCodec.HEADER_BYTES);

        assertThat(decoded).isEqualTo(new SpoolRecord(8, 2, LINES));
    }

    @Test
    void writesTheOnDiskLayoutBigEndianWithACrc32cOfThePayload() {
        byte[] text = "m v=1i 1\n".getBytes(StandardCharsets.UTF_8);
        ByteBuffer record = record("m v=1i 1\n", 3, 0x0102030405060708L);

        ByteBuffer payload = ByteBuffer.allocate(4 + text.length).putInt(3).put(text);
        CRC32C crc = new CRC32C();
        crc.update(payload.array());
        ByteBuffer expected = ByteBuffer.allocate(16 + payload.capacity())
                .putInt(payload.capacity())
                .putInt((int) crc.getValue())
                .putLong(0x0102030405060708L)
                .put(payload.array());
        assertThat(record.array()).isEqualTo(expected.array());
    }

    @Test
    void refusesARecordWhosePayloadChanged() {
        ByteBuffer record = record(LINES, 2, 42);
        int length = record.capacity() - RecordCodec.HEADER_BYTES;
        record.put(RecordCodec.HEADER_BYTES + 10, (byte) (record.get(RecordCodec.HEADER_BYTES + 10) ^ 0x20));

        assertThat(RecordCodec.decode(record, 0, 42, length)).isNull();
    }

    @Test
    void refusesARecordWhoseChecksumChanged() {
        ByteBuffer record = record(LINES, 2, 42);
        int length = record.capacity() - RecordCodec.HEADER_BYTES;
        record.putInt(4, record.getInt(4) + 1);

        assertThat(RecordCodec.decode(record, 0, 42, length)).isNull();
    }

    @Test
    void refusesATornRecord() {
        ByteBuffer record = record(LINES, 2, 42);
        int length = record.capacity() - RecordCodec.HEADER_BYTES;
        ByteBuffer torn =
                ByteBuffer.wrap(record.array(), 0, record.capacity() - 5).slice();
        ByteBuffer headerOnly = ByteBuffer.wrap(record.array(), 0, 10).slice();

        assertThat(RecordCodec.decode(torn, 0, 42, length)).isNull();
        assertThat(RecordCodec.decode(headerOnly, 0, 42, length)).isNull();
    }

    @Test
    void refusesARecordThatIsNotTheOneExpectedThere() {
        ByteBuffer record = record(LINES, 2, 42);
        int length = record.capacity() - RecordCodec.HEADER_BYTES;

        assertThat(RecordCodec.decode(record, 0, 43, length)).isNull();
        assertThat(RecordCodec.decode(record, 0, 42, length - 1)).isNull();
    }

    @Test
    void refusesZerosAsAFileSystemLeavesThemAfterAPowerLoss() {
        assertThat(RecordCodec.decode(ByteBuffer.allocate(64), 0, 0, 0)).isNull();
        assertThat(RecordCodec.possibleLength(0)).isFalse();
    }

    @Test
    void readsTheHeaderFields() {
        ByteBuffer record = record(LINES, 2, 42);
        int length = record.capacity() - RecordCodec.HEADER_BYTES;

        assertThat(RecordCodec.length(record, 0)).isEqualTo(length);
        assertThat(RecordCodec.sequence(record, 0)).isEqualTo(42);
        assertThat(RecordCodec.crc(record, 0))
                .isEqualTo(RecordCodec.checksum(record, RecordCodec.HEADER_BYTES, length));
        assertThat(RecordCodec.points(record, RecordCodec.HEADER_BYTES)).isEqualTo(2);
        assertThat(RecordCodec.possibleLength(length)).isTrue();
        assertThat(RecordCodec.possibleLength(RecordCodec.POINTS_BYTES - 1)).isFalse();
        assertThat(RecordCodec.possibleLength(-1)).isFalse();
    }
}
