package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.testing.FaultyDisk;
import dev.rigtel.collector.testing.FaultyDisk.Op;
import dev.rigtel.collector.testing.RecordingSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk faults injected under the spool (no space, too many open files, I/O errors on the commit
 * file, the segments' reads, writes and fsyncs): the writers go on by themselves once the fault
 * clears, the fault is reported and counted while it lasts, and nothing acknowledged is lost.
 */
class SpoolFaultsTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StoreMeters meters = new StoreMeters(registry);
    private final Faults faults = new Faults(Clock.systemUTC(), meters::fault);
    private final FaultyDisk disk = new FaultyDisk();
    private final RecordingSink sink = new RecordingSink();
    private final List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    private final List<Integer> lost = new CopyOnWriteArrayList<>();
    private WriteBuffer buffer;

    private WriteBuffer start() throws Exception {
        Spool spool = Spool.open(SpoolOptions.defaults(dir.resolve("spool")).withIo(disk), faults);
        buffer = new WriteBuffer(
                        sink,
                        spool,
                        new WriteBufferOptions(
                                10, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(50), 2),
                        meters,
                        faults)
                .start();
        return buffer;
    }

    @AfterEach
    void close() {
        disk.heal();
        if (buffer != null) {
            buffer.close();
        }
    }

    private void offer(int n) {
        buffer.offer(
                "m,rig=r v=" + n + "i " + (1_000_000L + n) + "\n", 1, () -> acknowledged.add(n), () -> lost.add(n));
    }

    private List<Integer> stored() {
        List<Integer> values = new ArrayList<>();
        for (String line : sink.lines()) {
            values.add(Integer.parseInt(line.substring(line.indexOf("v=") + 2, line.indexOf('i', line.indexOf("v=")))));
        }
        return values;
    }

    private double counted(String operation) {
        var counter =
                registry.find("rigtel.store.faults").tag("operation", operation).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aCommitFileThatCannotBeOpenedStopsNothingAndIsCommittedOnceItCan() throws Exception {
        start();
        disk.fail("committed", Op.OPEN, FaultyDisk.EMFILE);
        for (int i = 0; i < 50; i++) {
            offer(i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stored().size() >= 50);
        await().atMost(Duration.ofSeconds(5)).until(() -> faults.current().containsKey("commit"));
        assertThat(faults.current().get("commit").message()).isEqualTo(FaultyDisk.EMFILE);

        // More keeps coming in and going out while the commit cannot be written.
        for (int i = 50; i < 80; i++) {
            offer(i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stored().size() >= 80);

        disk.heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.storedThrough() >= 80);
        assertThat(faults.current()).doesNotContainKey("commit");
        assertThat(counted("commit")).isEqualTo(1);
        assertThat(stored()).containsAll(acknowledged);
    }

    @Test
    void segmentsThatCannotBeReadAreReadOnceTheyCan() throws Exception {
        start();
        disk.fail("spool-", Op.READ, FaultyDisk.EIO);
        for (int i = 0; i < 30; i++) {
            offer(i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> faults.current().containsKey("read"));
        assertThat(stored()).isEmpty();

        disk.heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> stored().size() >= 30);
        await().atMost(Duration.ofSeconds(5)).until(() -> !faults.current().containsKey("read"));
        assertThat(stored()).containsExactlyInAnyOrderElementsOf(acknowledged);
    }

    @Test
    void aFullDiskRefusesAppendsWithoutAcknowledgingAndTakesThemAgainOnceThereIsRoom() throws Exception {
        start();
        offer(1);
        disk.fail("spool-", Op.WRITE, FaultyDisk.ENOSPC);

        assertThatThrownBy(() -> offer(2)).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> offer(3)).isInstanceOf(UncheckedIOException.class);
        assertThat(faults.current()).containsKey("append");
        assertThat(counted("append")).isEqualTo(1);

        disk.heal();
        offer(4);
        assertThat(faults.current()).doesNotContainKey("append");
        await().atMost(Duration.ofSeconds(10)).until(() -> stored().size() >= 2);
        assertThat(acknowledged).containsExactly(1, 4);
        assertThat(stored()).containsExactlyInAnyOrder(1, 4);
    }

    @Test
    void aFailedFsyncDropsOnlyWhatItCoveredUnacknowledgedAndTheSpoolGoesOn() throws Exception {
        start();
        for (int i = 0; i < 5; i++) {
            offer(i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() == 5);

        disk.fail("spool-", Op.FORCE, FaultyDisk.EIO);
        for (int i = 5; i < 10; i++) {
            offer(i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> faults.current().containsKey("fsync"));
        // The fault is reported before the records it covered are dropped: wait for the drop, or a
        // record offered after the heal could still be appended before it and be dropped with them.
        await().atMost(Duration.ofSeconds(5)).until(() -> lost.size() == 5);
        assertThat(acknowledged).hasSize(5);
        assertThat(lost).containsExactlyInAnyOrder(5, 6, 7, 8, 9);

        disk.heal();
        for (int i = 10; i < 15; i++) {
            offer(i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() == 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> stored().containsAll(acknowledged));
        assertThat(faults.current()).doesNotContainKey("fsync");
        // What was never acknowledged (5..9) is not stored: its publishers send it again.
        assertThat(acknowledged).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 10, 11, 12, 13, 14);
        assertThat(stored()).containsExactlyInAnyOrderElementsOf(acknowledged);
    }
}
