package dev.rigtel.collector.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file of the {@link Spool}, {@code spool-<first sequence, 20 digits>.log}: a run of
 * records ({@link RecordCodec}) with contiguous sequences. {@link #size} and {@link #lastSequence}
 * change under the spool's lock while it is the one appended to.
 */
final class Segment {

    private static final Pattern NAME = Pattern.compile("spool-(\\d{20})\\.log");

    final long firstSequence;
    final Path path;
    final FileChannel channel;
    long size;
    long lastSequence;

    Segment(long firstSequence, Path path, FileChannel channel) {
        this.firstSequence = firstSequence;
        this.path = path;
        this.channel = channel;
        this.lastSequence = firstSequence - 1;
    }

    /** Creates the empty segment file for {@code firstSequence} in {@code directory}; it must not exist. */
    static Segment create(Path directory, DiskIo io, long firstSequence) throws IOException {
        Path path = directory.resolve(name(firstSequence));
        FileChannel channel =
                io.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE));
        return new Segment(firstSequence, path, channel);
    }

    /** Opens an existing segment file for reading and writing, as open finds it. */
    static FileChannel reopen(Path path, DiskIo io) throws IOException {
        return io.open(path, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    static String name(long firstSequence) {
        return String.format("spool-%020d.log", firstSequence);
    }

    static boolean isSegment(Path path) {
        return NAME.matcher(path.getFileName().toString()).matches();
    }

    static long firstSequenceOf(Path path) {
        Matcher matcher = NAME.matcher(path.getFileName().toString());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a spool segment: " + path);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** Where open moves the corrupt part of a segment, for inspection. */
    static Path corruptPath(Path segment) {
        return segment.resolveSibling(segment.getFileName() + ".corrupt");
    }
}
