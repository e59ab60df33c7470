package dev.rigtel.collector.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the {@link Spool} keeps points on disk.
 *
 * @param directory the spool's own directory; created if missing. One collector per directory.
 * @param segmentBytes a segment file is closed and a new one started before it would grow past this
 *     (default 64 MiB; between 64 bytes and 1 GiB). It also bounds one record.
 * @param maxBytes above this many bytes of records not yet in InfluxDB {@link Spool#overQuota()}
 *     turns true and intake stops reading (default 2 GiB). The disk holds at most about this plus one
 *     segment plus what connections had already read.
 * @param fsyncPolicy when appended records are forced to disk (default {@link
 *     FsyncPolicy#EVERY_BATCH})
 * @param syncInterval the shortest time between two fsyncs under {@link FsyncPolicy#INTERVAL}
 *     (default 10 ms); ignored by the other policies
 * @param io the file operations (the real file system; tests inject failing ones)
 */
public record SpoolOptions(
        Path directory, long segmentBytes, long maxBytes, FsyncPolicy fsyncPolicy, Duration syncInterval, DiskIo io) {

    /** The largest segment, so that offsets within a segment fit an int. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;

    public SpoolOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        Objects.requireNonNull(syncInterval, "syncInterval");
        Objects.requireNonNull(io, "io");
        if (segmentBytes < 64 || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be between 64 bytes and 1 GiB, not " + segmentBytes);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
        }
        if (syncInterval.isNegative()) {
            throw new IllegalArgumentException("syncInterval must not be negative");
        }
    }

    /** The defaults, spooling into {@code directory}. */
    public static SpoolOptions defaults(Path directory) {
        return new SpoolOptions(
                directory, 64L << 20, 2L << 30, FsyncPolicy.EVERY_BATCH, Duration.ofMillis(10), DiskIo.REAL);
    }

    public SpoolOptions withSegmentBytes(long segmentBytes) {
        return new SpoolOptions(directory, segmentBytes, maxBytes, fsyncPolicy, syncInterval, io);
    }

    public SpoolOptions withMaxBytes(long maxBytes) {
        return new SpoolOptions(directory, segmentBytes, maxBytes, fsyncPolicy, syncInterval, io);
    }

    public SpoolOptions withFsyncPolicy(FsyncPolicy fsyncPolicy) {
        return new SpoolOptions(directory, segmentBytes, maxBytes, fsyncPolicy, syncInterval, io);
    }

    public SpoolOptions withSyncInterval(Duration syncInterval) {
        return new SpoolOptions(directory, segmentBytes, maxBytes, fsyncPolicy, syncInterval, io);
    }

    public SpoolOptions withIo(DiskIo io) {
        return new SpoolOptions(directory, segmentBytes, maxBytes, fsyncPolicy, syncInterval, io);
    }
}
