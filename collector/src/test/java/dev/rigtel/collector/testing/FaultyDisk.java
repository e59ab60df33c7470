package dev.rigtel.collector.testing;

import dev.rigtel.collector.store.DiskIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.CopyOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A disk that fails the way real ones do, on the files and operations a test names, until it is
 * healed: the real file system underneath, so whatever did get written is really on disk.
 *
 * <pre>{@code
 * disk.fail("committed", Op.OPEN, FaultyDisk.EMFILE);   // the spool's commit file cannot be opened
 * ...
 * disk.heal();
 * }</pre>
 */
public final class FaultyDisk implements DiskIo {

    /** What is done to a file. */
    public enum Op {
        OPEN,
        WRITE,
        READ,
        FORCE,
        MOVE
    }

    public static final String ENOSPC = "No space left on device";
    public static final String EMFILE = "Too many open files";
    public static final String EIO = "Input/output error";

    private record Rule(String nameContains, Op op) {}

    private final Map<Rule, String> faults = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();

    /** From now on {@code op} on a file whose name contains {@code nameContains} throws {@code error}. */
    public FaultyDisk fail(String nameContains, Op op, String error) {
        faults.put(new Rule(nameContains, op), error);
        return this;
    }

    /** Every fault clears: the disk works again. */
    public void heal() {
        faults.clear();
    }

    /** Operations failed so far. */
    public long failures() {
        return failures.get();
    }

    private void check(Path path, Op op) throws IOException {
        String name = path.getFileName().toString();
        for (Map.Entry<Rule, String> fault : faults.entrySet()) {
            if (fault.getKey().op() == op && name.contains(fault.getKey().nameContains())) {
                failures.incrementAndGet();
                throw new IOException(fault.getValue());
            }
        }
    }

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        check(path, Op.OPEN);
        return new Channel(path, FileChannel.open(path, options, attributes));
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        check(target, Op.MOVE);
        DiskIo.REAL.move(source, target, options);
    }

    /** A real channel whose writes, reads and forces fail while a fault on its file holds. */
    private final class Channel extends FileChannel {
        private final Path path;
        private final FileChannel real;

        Channel(Path path, FileChannel real) {
            this.path = path;
            this.real = real;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            check(path, Op.READ);
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            check(path, Op.READ);
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check(path, Op.WRITE);
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            check(path, Op.WRITE);
            return real.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            check(path, Op.FORCE);
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            check(path, Op.READ);
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            check(path, Op.WRITE);
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            check(path, Op.READ);
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check(path, Op.WRITE);
            return real.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
