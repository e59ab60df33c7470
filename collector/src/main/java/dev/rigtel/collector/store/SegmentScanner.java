package dev.rigtel.collector.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery at open: reads every segment an earlier run left and checks every record (length
 * possible, checksum right, sequence contiguous), and indexes the records after the committed
 * sequence. The first bad record of the <em>last</em> segment is a torn tail (power loss during a
 * write, or zeros the file system left): the file is truncated there, with a WARN. A bad record in an
 * <em>older</em> segment keeps its intact prefix; the rest is moved to {@code <segment>.corrupt} with
 * an ERROR. A segment starting inside the one before it is moved aside whole. Segments holding only
 * committed records are deleted, except the last one if appends can go on in it.
 */
final class SegmentScanner {

    // Logs as the spool: one logger to tune and watch for everything the spool and its parts say.
    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    private static final int WINDOW_BYTES = 1 << 20;

    /**
     * What open found.
     *
     * @param lastSequence the last sequence on disk or committed, whichever is later
     * @param tail the segment appends continue in, or null if a new one must be started
     */
    record Recovery(
            long lastSequence, Segment tail, long recoveredRecords, long droppedTailBytes, long corruptSegments) {}

    private final Path directory;
    private final DiskIo io;
    private final boolean fsync;

    private long recoveredRecords;
    private long droppedTailBytes;
    private long corruptSegments;

    SegmentScanner(Path directory, DiskIo io, boolean fsync) {
        this.directory = directory;
        this.io = io;
        this.fsync = fsync;
    }

    /**
     * Scans the segment files into {@code index}, indexing the records after {@code committed}, and
     * deletes those holding nothing else. On failure the segments already opened stay in {@code
     * index} for the caller to close.
     */
    Recovery recover(SpoolIndex index, long committed, long openNanos) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(Segment::isSegment)
                    .sorted(Comparator.comparingLong(Segment::firstSequenceOf))
                    .toList();
        }
        for (int i = 0; i < files.size(); i++) {
            Path path = files.get(i);
            long first = Segment.firstSequenceOf(path);
            boolean last = i == files.size() - 1;
            Segment previous = index.lastSegment();
            if (previous != null && first <= previous.lastSequence) {
                Path aside = Segment.corruptPath(path);
                log.error(
                        "spool segment {} starts at sequence {}, inside the previous segment; moved it to {}",
                        path,
                        first,
                        aside);
                Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
                corruptSegments++;
                continue;
            }
            Segment segment = scan(path, first, last, index, committed, openNanos);
            if (segment.size == 0 && !last) {
                segment.channel.close();
                Files.delete(path);
                continue;
            }
            index.addScanned(segment);
        }
        Segment tail = index.lastSegment();
        long onDisk = tail == null ? 0 : tail.lastSequence;
        long lastSequence = Math.max(onDisk, committed);
        for (Segment segment : index.segments()) {
            boolean continues = segment == tail && segment.lastSequence == lastSequence;
            if (!continues && segment.lastSequence <= committed) {
                index.removeSegment(segment);
                segment.channel.close();
                Files.delete(segment.path);
            }
        }
        boolean tailLives = tail != null && index.holds(tail);
        return new Recovery(lastSequence, tailLives ? tail : null, recoveredRecords, droppedTailBytes, corruptSegments);
    }

    /** Reads and checks one segment, indexing its records after {@code committed}. */
    private Segment scan(Path path, long first, boolean last, SpoolIndex index, long committed, long openNanos)
            throws IOException {
        FileChannel channel = Segment.reopen(path, io);
        long size = channel.size();
        Window window = new Window(channel, size);
        long offset = 0;
        long expected = first;
        String problem = null;
        while (offset < size) {
            ByteBuffer header = window.at(offset, RecordCodec.HEADER_BYTES);
            if (header == null) {
                problem = "a partial record header";
                break;
            }
            int length = RecordCodec.length(header, header.position());
            int crc = RecordCodec.crc(header, header.position());
            long sequence = RecordCodec.sequence(header, header.position());
            if (!RecordCodec.possibleLength(length)) {
                problem = "an impossible record length " + Integer.toUnsignedString(length);
                break;
            }
            if (sequence != expected) {
                problem = "sequence " + sequence + " where " + expected + " was due";
                break;
            }
            ByteBuffer payload = window.at(offset + RecordCodec.HEADER_BYTES, length);
            if (payload == null) {
                problem = "a record cut short";
                break;
            }
            if (RecordCodec.checksum(payload, payload.position(), length) != crc) {
                problem = "a checksum mismatch";
                break;
            }
            int points = RecordCodec.points(payload, payload.position());
            if (points < 0) {
                problem = "a negative point count";
                break;
            }
            if (sequence > committed) {
                index.add(sequence, offset, length, points, openNanos);
                recoveredRecords++;
            }
            offset += RecordCodec.HEADER_BYTES + length;
            expected++;
        }
        if (problem != null) {
            cutAt(path, channel, size, offset, problem, last, expected - first);
        }
        Segment segment = new Segment(first, path, channel);
        segment.size = offset;
        segment.lastSequence = expected - 1;
        return segment;
    }

    /** Cuts a segment at its first bad record, moving what follows aside unless it is the torn tail. */
    private void cutAt(Path path, FileChannel channel, long size, long offset, String problem, boolean last, long kept)
            throws IOException {
        long dropped = size - offset;
        if (last) {
            log.warn(
                    "spool segment {} ends in a torn record at byte {} ({}), as after a power loss: dropped the"
                            + " last {} bytes, kept the {} records before them",
                    path,
                    offset,
                    problem,
                    dropped,
                    kept);
            droppedTailBytes += dropped;
        } else {
            Path aside = Segment.corruptPath(path);
            try (FileChannel out = FileChannel.open(
                    aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                long copied = 0;
                while (copied < dropped) {
                    copied += channel.transferTo(offset + copied, dropped - copied, out);
                }
                out.force(true);
            }
            log.error(
                    "spool segment {} is corrupt at byte {} ({}): kept the {} records before it and moved the {}"
                            + " bytes after it to {}",
                    path,
                    offset,
                    problem,
                    kept,
                    dropped,
                    aside);
            corruptSegments++;
        }
        channel.truncate(offset);
        if (fsync) {
            channel.force(true);
        }
    }

    /** Reads a segment front to back through a window, so a scan costs few system calls. */
    private static final class Window {
        private final FileChannel channel;
        private final long size;
        private ByteBuffer window = ByteBuffer.allocate(0);
        private long windowStart;

        Window(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        /** Bytes {@code [offset, offset + n)} between position and limit, or null past the end of the file. */
        ByteBuffer at(long offset, int n) throws IOException {
            if (offset + n > size) {
                return null;
            }
            if (offset < windowStart || offset + n > windowStart + window.limit()) {
                if (window.capacity() < Math.max(n, WINDOW_BYTES)) {
                    window = ByteBuffer.allocate(Math.max(n, WINDOW_BYTES));
                }
                window.clear();
                window.limit((int) Math.min(window.capacity(), size - offset));
                SpoolFiles.readFully(channel, window, offset);
                window.flip();
                windowStart = offset;
            }
            ByteBuffer view = window.duplicate();
            int from = (int) (offset - windowStart);
            view.limit(from + n).position(from);
            return view;
        }
    }
}
