package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.testing.FaultyDisk;
import dev.rigtel.collector.testing.FaultyDisk.Op;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitFileTest {

    @TempDir
    Path dir;

    private final FaultyDisk disk = new FaultyDisk();

    private CommitFile file() {
        return new CommitFile(dir, disk, true);
    }

    @Test
    void startsAtZeroWithoutAFile() throws IOException {
        assertThat(file().recover()).isZero();
    }

    @Test
    void readsBackTheLastSequenceWritten() throws IOException {
        CommitFile file = file();
        file.write(7);
        file.write(1234567890123L);

        assertThat(file().recover()).isEqualTo(1234567890123L);
        assertThat(dir.resolve(CommitFile.TEMP)).doesNotExist();
    }

    @Test
    void writesTheSequenceAndItsCrc32cBigEndian() throws IOException {
        file().write(0x0102030405060708L);

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(CommitFile.NAME)));
        assertThat(bytes.capacity()).isEqualTo(12);
        assertThat(bytes.getLong(0)).isEqualTo(0x0102030405060708L);
        assertThat(bytes.getInt(8)).isEqualTo(RecordCodec.checksum(bytes, 0, 8));
    }

    @Test
    void keepsTheOldValueWhenACrashCameBeforeTheRename() throws IOException {
        CommitFile file = file();
        file.write(5);
        disk.fail(CommitFile.NAME, Op.MOVE, FaultyDisk.EIO);

        assertThatThrownBy(() -> file.write(9)).isInstanceOf(IOException.class);
        assertThat(dir.resolve(CommitFile.TEMP)).exists();

        disk.heal();
        assertThat(file().recover()).isEqualTo(5);
        assertThat(dir.resolve(CommitFile.TEMP)).doesNotExist();
    }

    @Test
    void keepsTheOldValueWhenACrashCameInTheMiddleOfWritingTheTempFile() throws IOException {
        file().write(5);
        // What a crash leaves: a temp file with part of the new value, never renamed.
        Files.write(dir.resolve(CommitFile.TEMP), new byte[] {0, 0, 0, 0, 0});

        assertThat(file().recover()).isEqualTo(5);
        assertThat(dir.resolve(CommitFile.TEMP)).doesNotExist();
    }

    @Test
    void keepsTheOldValueWhenTheTempFileCannotBeWritten() throws IOException {
        CommitFile file = file();
        file.write(5);
        disk.fail(CommitFile.TEMP, Op.WRITE, FaultyDisk.ENOSPC);

        assertThatThrownBy(() -> file.write(9)).hasMessage(FaultyDisk.ENOSPC);

        disk.heal();
        assertThat(file().recover()).isEqualTo(5);
        file.write(9);
        assertThat(file().recover()).isEqualTo(9);
    }

    @Test
    void doesNotFsyncTheTempFileWithoutFsync() throws IOException {
        disk.fail(CommitFile.TEMP, Op.FORCE, FaultyDisk.EIO);

        new CommitFile(dir, disk, false).write(3);
        assertThatThrownBy(() -> file().write(4)).hasMessage(FaultyDisk.EIO);

        assertThat(file().recover()).isEqualTo(3);
    }

    @Test
    void replaysEverythingWhenTheFileIsUnreadable() throws IOException {
        file().write(5);
        byte[] bytes = Files.readAllBytes(dir.resolve(CommitFile.NAME));
        bytes[3] ^= 1;
        Files.write(dir.resolve(CommitFile.NAME), bytes);
        assertThat(file().recover()).isZero();

        Files.write(dir.resolve(CommitFile.NAME), new byte[] {1, 2, 3});
        assertThat(file().recover()).isZero();
    }
}
