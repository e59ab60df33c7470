package dev.rigtel.collector.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Spool}'s {@code committed} file: the sequence of the last record InfluxDB has (u64) and
 * a CRC32C of it (u32). It is replaced atomically: written to {@code committed.tmp}, fsynced (unless
 * {@link FsyncPolicy#NONE}), renamed. A crash before the rename leaves the old value, and {@link
 * #recover} deletes the leftover temp file; the rename itself is not fsynced, since losing it only
 * replays records. Opens and renames go through {@link DiskIo}, so their faults can be injected.
 */
final class CommitFile {

    // Logs as the spool: one logger to tune and watch for everything the spool and its parts say.
    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    static final String NAME = "committed";
    static final String TEMP = "committed.tmp";
    private static final int BYTES = 12;

    private final Path path;
    private final Path temp;
    private final DiskIo io;
    private final boolean fsync;

    CommitFile(Path directory, DiskIo io, boolean fsync) {
        this.path = directory.resolve(NAME);
        this.temp = directory.resolve(TEMP);
        this.io = io;
        this.fsync = fsync;
    }

    /**
     * At open: deletes a temp file a crash left before its rename and reads the committed sequence;
     * 0 if there is none yet, or if the file is unreadable (then everything in the spool is replayed,
     * which InfluxDB takes as overwrites).
     */
    long recover() throws IOException {
        Files.deleteIfExists(temp);
        if (!Files.exists(path)) {
            return 0;
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(path));
        if (bytes.capacity() != BYTES || RecordCodec.checksum(bytes, 0, 8) != bytes.getInt(8) || bytes.getLong(0) < 0) {
            log.error(
                    "spool file {} is unreadable; replaying every record in the spool (InfluxDB overwrites the"
                            + " points it already has)",
                    path);
            return 0;
        }
        return bytes.getLong(0);
    }

    /** Replaces the committed sequence with {@code sequence}, atomically. */
    void write(long sequence) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(BYTES);
        bytes.putLong(sequence);
        bytes.putInt(RecordCodec.checksum(bytes, 0, 8));
        bytes.flip();
        try (FileChannel channel = io.open(
                temp,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))) {
            SpoolFiles.writeFully(channel, bytes, 0);
            if (fsync) {
                channel.force(false);
            }
        }
        io.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
