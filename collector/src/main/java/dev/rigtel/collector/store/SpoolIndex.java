package dev.rigtel.collector.store;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the {@link Spool} knows in memory: its live segment files by first sequence (the last one is
 * {@link #current()}, appended to), and where each record not yet committed is, with the bytes and
 * points they add up to. Not thread-safe: the spool calls it under its lock.
 *
 * <p>Records sit in parallel ring arrays (about 32 bytes per record, no object per record).
 * Sequences increase, with gaps only where open moved corruption aside or a failed fsync dropped
 * records.
 */
final class SpoolIndex {

    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Segment current;

    private long[] sequences = new long[64];
    private long[] offsets = new long[64];
    private int[] lengths = new int[64];
    private int[] points = new int[64];
    private long[] appendNanos = new long[64];
    private int head;
    private int size;

    private long unwrittenBytes;
    private long unwrittenPoints;

    // Segments

    /** Adds a new segment after every other; appends go to it from now on. */
    void addSegment(Segment segment) {
        segments.put(segment.firstSequence, segment);
        current = segment;
    }

    /** Adds a segment that open found, in order; {@link #current()} is chosen afterwards. */
    void addScanned(Segment segment) {
        segments.put(segment.firstSequence, segment);
    }

    /** Makes the last segment the one appended to. */
    void continueLast() {
        current = segments.lastEntry().getValue();
    }

    /** The segment appended to. */
    Segment current() {
        return current;
    }

    /** The newest segment, or null if there is none. */
    Segment lastSegment() {
        return segments.isEmpty() ? null : segments.lastEntry().getValue();
    }

    boolean holds(Segment segment) {
        return segments.get(segment.firstSequence) == segment;
    }

    void removeSegment(Segment segment) {
        segments.remove(segment.firstSequence);
    }

    /** Every live segment, oldest first (a copy). */
    List<Segment> segments() {
        return List.copyOf(segments.values());
    }

    /** The segment holding {@code sequence}. */
    Segment segmentOf(long sequence) {
        return segments.floorEntry(sequence).getValue();
    }

    /** Adds to {@code into} the channels of the segments holding records after {@code synced}. */
    void unsyncedChannels(long synced, List<FileChannel> into) {
        // Only the newest segments can hold unsynced records.
        for (Segment segment : segments.descendingMap().values()) {
            if (segment.lastSequence <= synced) {
                break;
            }
            into.add(segment.channel);
        }
    }

    /**
     * Forgets the segments whose records are all at or before {@code committed}, except the current
     * one, and returns them for the caller to close and delete outside the lock.
     */
    List<Segment> removeWrittenSegments(long committed) {
        List<Segment> done = new ArrayList<>();
        for (Segment segment : segments.values()) {
            if (segment == current || segment.lastSequence > committed) {
                break;
            }
            done.add(segment);
        }
        done.forEach(this::removeSegment);
        return done;
    }

    /** Bytes in segment files, including committed records not yet deleted with their segment. */
    long diskBytes() {
        long bytes = 0;
        for (Segment segment : segments.values()) {
            bytes += segment.size;
        }
        return bytes;
    }

    List<Long> segmentFirstSequences() {
        return List.copyOf(segments.keySet());
    }

    Map<Long, Path> segmentPaths() {
        TreeMap<Long, Path> paths = new TreeMap<>();
        segments.forEach((first, segment) -> paths.put(first, segment.path));
        return paths;
    }

    // Records

    /** Indexes a record of {@code length} payload bytes at {@code offset} of its segment. */
    void add(long sequence, long offset, int length, int pointCount, long nanos) {
        if (size == sequences.length) {
            grow();
        }
        int slot = (head + size) & (sequences.length - 1);
        sequences[slot] = sequence;
        offsets[slot] = offset;
        lengths[slot] = length;
        points[slot] = pointCount;
        appendNanos[slot] = nanos;
        size++;
        unwrittenBytes += RecordCodec.HEADER_BYTES + length;
        unwrittenPoints += pointCount;
    }

    /** Forgets the records up to {@code sequence}: they are committed. */
    void removeThrough(long sequence) {
        while (size > 0 && sequence(0) <= sequence) {
            unwrittenBytes -= RecordCodec.HEADER_BYTES + length(0);
            unwrittenPoints -= points(0);
            head = slot(1);
            size--;
        }
    }

    /** Forgets the records after {@code sequence}: a failed fsync dropped them. */
    void removeAfter(long sequence) {
        while (size > 0 && sequence(size - 1) > sequence) {
            unwrittenBytes -= RecordCodec.HEADER_BYTES + length(size - 1);
            unwrittenPoints -= points(size - 1);
            size--;
        }
    }

    /** Bytes of indexed records, headers included. */
    long unwrittenBytes() {
        return unwrittenBytes;
    }

    /** Points in indexed records. */
    long unwrittenPoints() {
        return unwrittenPoints;
    }

    int size() {
        return size;
    }

    long sequence(int i) {
        return sequences[slot(i)];
    }

    long offset(int i) {
        return offsets[slot(i)];
    }

    int length(int i) {
        return lengths[slot(i)];
    }

    int points(int i) {
        return points[slot(i)];
    }

    long appendNanos(int i) {
        return appendNanos[slot(i)];
    }

    /** The first position whose sequence is at least {@code sequence}; {@link #size()} if none. */
    int firstAtLeast(long sequence) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sequence(mid) < sequence) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int slot(int i) {
        return (head + i) & (sequences.length - 1);
    }

    private void grow() {
        int capacity = sequences.length * 2;
        sequences = unroll(sequences, new long[capacity]);
        offsets = unroll(offsets, new long[capacity]);
        appendNanos = unroll(appendNanos, new long[capacity]);
        lengths = unroll(lengths, new int[capacity]);
        points = unroll(points, new int[capacity]);
        head = 0;
    }

    private long[] unroll(long[] from, long[] to) {
        int firstPart = Math.min(size, from.length - head);
        System.arraycopy(from, head, to, 0, firstPart);
        System.arraycopy(from, 0, to, firstPart, size - firstPart);
        return to;
    }

    private int[] unroll(int[] from, int[] to) {
        int firstPart = Math.min(size, from.length - head);
        System.arraycopy(from, head, to, 0, firstPart);
        System.arraycopy(from, 0, to, firstPart, size - firstPart);
        return to;
    }
}
