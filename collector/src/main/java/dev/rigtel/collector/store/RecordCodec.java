package dev.rigtel.collector.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The framing of one {@link Spool} record on disk, big-endian:
 *
 * <pre>
 * u32 length     payload bytes (4 or more)
 * u32 crc        CRC32C of the payload
 * u64 sequence   one more than the record before it
 * payload        u32 point count (bits 0-30) and compact flag (bit 31), then the body:
 *                with the flag clear, line-protocol text in UTF-8 (format 0, all records before
 *                issue 19); with it set, a {@link CompactRecord} body (its first byte the format, 1)
 * </pre>
 *
 * <p>Pure bytes: no files, no state. The layout is the spool's on-disk format, so existing spools
 * must keep opening: a spool written before compact records (no record has the flag; the old code
 * refused negative counts) reads as before. Change nothing here without a migration.
 */
final class RecordCodec {

    /** u32 length, u32 crc, u64 sequence. */
    static final int HEADER_BYTES = 16;
    /** The u32 point count that starts every payload. */
    static final int POINTS_BYTES = 4;
    /** The largest payload a record can have: a whole segment of the largest size, less the header. */
    static final long MAX_PAYLOAD_BYTES = SpoolOptions.MAX_SEGMENT_BYTES - HEADER_BYTES;

    /** Bit 31 of the point count: the body is a {@link CompactRecord}. */
    static final int COMPACT_FLAG = 0x8000_0000;

    private static final int CRC_AT = 4;
    private static final int SEQUENCE_AT = 8;

    private RecordCodec() {}

    /** Payload bytes of a record holding {@code text}. */
    static int payloadBytes(byte[] text) {
        return POINTS_BYTES + text.length;
    }

    /**
     * A whole record of {@code text} with its checksum and sequence 0, position at its end (rewind
     * it to write it). The sequence is only known under the spool's lock, so {@link #stamp} sets it
     * there; the checksum covers the payload only, so it is computed here, outside the lock.
     */
    static ByteBuffer encode(byte[] text, int points) {
        return encode(text, points, false);
    }

    /**
     * {@link #encode(byte[], int)} of a body that is line text ({@code compact} false) or a {@link
     * CompactRecord} body.
     */
    static ByteBuffer encode(byte[] body, int points, boolean compact) {
        if (points < 0) {
            throw new IllegalArgumentException("points must not be negative");
        }
        int payloadBytes = payloadBytes(body);
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + payloadBytes);
        record.putInt(payloadBytes)
                .putInt(0)
                .putLong(0)
                .putInt(compact ? points | COMPACT_FLAG : points)
                .put(body);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), HEADER_BYTES, payloadBytes);
        record.putInt(CRC_AT, (int) crc.getValue());
        return record;
    }

    /** Sets the sequence of an {@link #encode encoded} record. */
    static void stamp(ByteBuffer record, long sequence) {
        record.putLong(SEQUENCE_AT, sequence);
    }

    /** The payload length in the header at {@code at}. */
    static int length(ByteBuffer bytes, int at) {
        return bytes.getInt(at);
    }

    /** The payload checksum in the header at {@code at}. */
    static int crc(ByteBuffer bytes, int at) {
        return bytes.getInt(at + CRC_AT);
    }

    /** The sequence in the header at {@code at}. */
    static long sequence(ByteBuffer bytes, int at) {
        return bytes.getLong(at + SEQUENCE_AT);
    }

    /** True if a header may announce a payload of {@code length} bytes. */
    static boolean possibleLength(int length) {
        return length >= POINTS_BYTES && length <= MAX_PAYLOAD_BYTES;
    }

    /** The point count that starts the payload at {@code payloadAt}. */
    static int points(ByteBuffer bytes, int payloadAt) {
        return bytes.getInt(payloadAt) & ~COMPACT_FLAG;
    }

    /** True if the payload at {@code payloadAt} holds a {@link CompactRecord} body. */
    static boolean compact(ByteBuffer bytes, int payloadAt) {
        return (bytes.getInt(payloadAt) & COMPACT_FLAG) != 0;
    }

    /** CRC32C of {@code bytes[from, from + length)}; leaves the buffer's position and limit alone. */
    static int checksum(ByteBuffer bytes, int from, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer view = bytes.duplicate();
        view.limit(from + length).position(from);
        crc.update(view);
        return (int) crc.getValue();
    }

    /**
     * The record at {@code at} in {@code bytes}, which the index expects to be {@code sequence} with a
     * payload of {@code length} bytes; null if it is not (the length or sequence differ, the record is
     * cut short, or the checksum no longer matches).
     */
    static SpoolRecord decode(ByteBuffer bytes, int at, long sequence, int length) {
        if (at < 0 || at + HEADER_BYTES > bytes.limit()) {
            return null;
        }
        int storedLength = length(bytes, at);
        if (storedLength != length
                || sequence(bytes, at) != sequence
                || !possibleLength(length)
                || at + HEADER_BYTES + length > bytes.limit()
                || crc(bytes, at) != checksum(bytes, at + HEADER_BYTES, length)) {
            return null;
        }
        int points = points(bytes, at + HEADER_BYTES);
        int bodyAt = bytes.arrayOffset() + at + HEADER_BYTES + POINTS_BYTES;
        if (compact(bytes, at + HEADER_BYTES)) {
            return SpoolRecord.compact(
                    sequence, points, Arrays.copyOfRange(bytes.array(), bodyAt, bodyAt + length - POINTS_BYTES));
        }
        String lines = new String(bytes.array(), bodyAt, length - POINTS_BYTES, StandardCharsets.UTF_8);
        return new SpoolRecord(sequence, points, lines);
    }
}
