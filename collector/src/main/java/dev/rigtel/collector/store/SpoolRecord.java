package dev.rigtel.collector.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One offer as the {@link Spool} holds it: line-protocol text, or a {@link CompactRecord} body that
 * becomes the same text when it is read ({@link #lines}, {@link #appendLinesTo}), on the thread that
 * reads it.
 */
public final class SpoolRecord {

    private final long sequence;
    private final int points;
    private final String text;
    private final byte[] compact;

    /**
     * @param sequence its position in the spool; increases by one per record
     * @param points how many line-protocol points {@code lines} holds
     * @param lines newline-terminated line-protocol text, exactly as appended
     */
    public SpoolRecord(long sequence, int points, String lines) {
        this(sequence, points, Objects.requireNonNull(lines, "lines"), null);
    }

    private SpoolRecord(long sequence, int points, String text, byte[] compact) {
        this.sequence = sequence;
        this.points = points;
        this.text = text;
        this.compact = compact;
    }

    /** A record whose body is a {@link CompactRecord} body. */
    static SpoolRecord compact(long sequence, int points, byte[] body) {
        return new SpoolRecord(sequence, points, null, body);
    }

    /** Its position in the spool; increases by one per record. */
    public long sequence() {
        return sequence;
    }

    /** How many line-protocol points {@link #lines} holds. */
    public int points() {
        return points;
    }

    /**
     * Newline-terminated line-protocol text, exactly as it was offered (a compact record is turned
     * into it now).
     *
     * @throws IllegalArgumentException if a compact body cannot be read
     */
    public String lines() {
        return text != null
                ? text
                : appendLinesTo(new StringBuilder(points * LineEncoder.IMU_LINE_CHARS))
                        .toString();
    }

    /** Appends {@link #lines} to {@code out}. */
    public StringBuilder appendLinesTo(StringBuilder out) {
        return text != null ? out.append(text) : CompactRecord.appendLines(compact, 0, compact.length, out, true);
    }

    /**
     * The record's points other than IMU samples, as line protocol: what restoring state at start
     * needs, without turning every sample into text.
     */
    public String linesExceptImu() {
        if (text != null) {
            return text;
        }
        return CompactRecord.appendLines(compact, 0, compact.length, new StringBuilder(), false)
                .toString();
    }

    /** True if it is held compact on disk. */
    boolean isCompact() {
        return compact != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SpoolRecord r
                && sequence == r.sequence
                && points == r.points
                && lines().equals(r.lines());
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, points, lines());
    }

    @Override
    public String toString() {
        return "SpoolRecord[sequence=" + sequence + ", points=" + points + ", "
                + (compact != null ? "compact " + compact.length + " bytes" : "lines=" + text) + "]";
    }

    /** For tests: the compact body. */
    byte[] compactBody() {
        return compact == null ? null : Arrays.copyOf(compact, compact.length);
    }
}
