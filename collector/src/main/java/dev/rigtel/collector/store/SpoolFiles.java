package dev.rigtel.collector.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Positional whole-buffer reads and writes, and the directory fsync, that the spool's parts share. */
final class SpoolFiles {

    // Logs as the spool: one logger to tune and watch for everything the spool and its parts say.
    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    private SpoolFiles() {}

    static void writeFully(FileChannel channel, ByteBuffer bytes, long offset) throws IOException {
        long at = offset;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    static void readFully(FileChannel channel, ByteBuffer bytes, long offset) throws IOException {
        long at = offset;
        while (bytes.hasRemaining()) {
            int read = channel.read(bytes, at);
            if (read < 0) {
                throw new EOFException("spool file ends before byte " + (at + bytes.remaining()));
            }
            at += read;
        }
    }

    /** Makes a new segment's directory entry durable; not possible on every platform. */
    static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            log.debug("cannot fsync directory {}: {}", directory, e.getMessage());
        }
    }
}
