package dev.rigtel.collector.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * The file operations the spool and the broker's state file make: the real file system, or in
 * tests one that fails the way disks do (no space, too many open files, I/O errors) and recovers.
 * Everything that writes what was acknowledged goes through it, so that every such failure can be
 * injected and its recovery tested.
 */
public interface DiskIo {

    FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attributes) throws IOException;

    void move(Path source, Path target, CopyOption... options) throws IOException;

    /** The file system as it is. */
    DiskIo REAL = new DiskIo() {
        @Override
        public FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
                throws IOException {
            return FileChannel.open(path, options, attributes);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            Files.move(source, target, options);
        }
    };
}
