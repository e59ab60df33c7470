package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.testing.FaultyDisk;
import dev.rigtel.collector.testing.FaultyDisk.Op;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

    @TempDir
    Path dir;

    private final FaultyDisk disk = new FaultyDisk();
    private final ReentrantLock lock = new ReentrantLock();
    private final SpoolIndex index = new SpoolIndex();
    private GroupCommit groupCommit;
    private Segment segment;

    private GroupCommit start(FsyncPolicy policy) throws IOException {
        segment = Segment.create(dir, disk, 1);
        index.addSegment(segment);
        groupCommit = new GroupCommit(
                lock, index, SpoolOptions.defaults(dir).withFsyncPolicy(policy).withIo(disk), Faults.uncounted());
        groupCommit.recovered(0);
        groupCommit.start();
        return groupCommit;
    }

    @AfterEach
    void close() throws IOException {
        disk.heal();
        if (groupCommit != null) {
            groupCommit.close();
        }
        if (segment != null) {
            segment.channel.close();
        }
    }

    /** What Spool.append does after its write, under the lock. */
    private void append(long sequence) {
        lock.lock();
        try {
            segment.lastSequence = sequence;
            index.add(sequence, 0, 4, 1, 0);
            groupCommit.appended(sequence);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void completesTheDurableFuturesInSequenceOrderAfterAnFsync() throws Exception {
        start(FsyncPolicy.EVERY_BATCH);
        List<Long> completed = new ArrayList<>();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (long sequence = 1; sequence <= 20; sequence++) {
            append(sequence);
            futures.add(groupCommit.durable(sequence).whenComplete((s, e) -> {
                synchronized (completed) {
                    completed.add(s);
                }
            }));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

        assertThat(completed).hasSize(20).isSorted();
        assertThat(groupCommit.fsyncCount()).isBetween(1L, 20L);
        // Asked right after the last callback ran, the sync thread may not have marked 20 as handed
        // out yet: then durable(20) is a waiter that completes on its next turn, never a failure.
        assertThat(groupCommit.durable(20).get(5, TimeUnit.SECONDS)).isEqualTo(20L);
        assertThatThrownBy(() -> groupCommit.durable(21)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIdleSyncThreadIsWokenByEveryFirstAppend() throws Exception {
        start(FsyncPolicy.EVERY_BATCH);
        // One record at a time, each waited for: the sync thread goes idle between them, and only
        // an idle sync thread is signalled; a lost wake-up would leave a record never durable.
        for (long sequence = 1; sequence <= 50; sequence++) {
            append(sequence);
            assertThat(groupCommit.durable(sequence).get(10, TimeUnit.SECONDS)).isEqualTo(sequence);
        }
        assertThat(groupCommit.fsyncCount()).isEqualTo(50);
    }

    @Test
    void aBurstOfRecordsEndsTheLingerAtOnce() throws Exception {
        start(FsyncPolicy.EVERY_BATCH);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(1))
                .until(groupCommit::idle);
        // A window's worth of publishes at once, as publishers send when their PUBACKs arrive: all
        // appended before the sync thread can look (it needs the lock).
        lock.lock();
        try {
            for (long sequence = 1; sequence <= GroupCommit.LINGER_RECORDS; sequence++) {
                append(sequence);
            }
        } finally {
            lock.unlock();
        }

        assertThat(groupCommit.durable(GroupCommit.LINGER_RECORDS).get(10, TimeUnit.SECONDS))
                .isEqualTo(GroupCommit.LINGER_RECORDS);
        assertThat(groupCommit.lingerCount()).isEqualTo(1);
        assertThat(groupCommit.lingersCutShort()).isEqualTo(1);
        assertThat(groupCommit.fsyncCount()).isEqualTo(1);
    }

    @Test
    void aLonePublisherWaitingForEachRecordStopsPayingTheLinger() throws Exception {
        start(FsyncPolicy.EVERY_BATCH);
        // LINGER_MISSES lingers, LINGER_SKIP_ROUNDS without, one that misses again, as many without.
        int records = GroupCommit.LINGER_MISSES + 2 * GroupCommit.LINGER_SKIP_ROUNDS + 1;
        for (long sequence = 1; sequence <= records; sequence++) {
            // Each append finds the sync thread idle, as a lone publisher's next message does.
            awaitIdle();
            append(sequence);
            groupCommit.durable(sequence).get(10, TimeUnit.SECONDS);
        }
        assertThat(groupCommit.lingerCount()).isEqualTo(GroupCommit.LINGER_MISSES + 1);
        assertThat(groupCommit.fsyncCount()).isEqualTo(records);
    }

    @Test
    void oneLingerThatFellInAGapDoesNotStopLingering() throws Exception {
        start(FsyncPolicy.EVERY_BATCH);
        // A linger that brings no second record: the rigs' messages fell either side of it.
        awaitIdle();
        append(1);
        groupCommit.durable(1).get(10, TimeUnit.SECONDS);
        // The next round still lingers, and gathers the second message into its fsync.
        awaitIdle();
        lock.lock();
        try {
            append(2);
            append(3);
        } finally {
            lock.unlock();
        }
        groupCommit.durable(3).get(10, TimeUnit.SECONDS);

        assertThat(groupCommit.lingerCount()).isEqualTo(2);
        assertThat(groupCommit.fsyncCount()).isEqualTo(2);
    }

    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(groupCommit::idle);
    }

    @Test
    void anIntervalSyncThreadStillSyncsWhatArrivesWhileItWaits() throws Exception {
        start(FsyncPolicy.INTERVAL);
        for (long sequence = 1; sequence <= 5; sequence++) {
            append(sequence);
        }
        assertThat(groupCommit.durable(5).get(10, TimeUnit.SECONDS)).isEqualTo(5L);
    }

    @Test
    void makesARecordDurableOnceWrittenWithoutFsync() throws Exception {
        start(FsyncPolicy.NONE);
        append(1);

        assertThat(groupCommit.durable(1)).isCompletedWithValue(1L);
        assertThat(groupCommit.fsyncCount()).isZero();
    }

    @Test
    void dropsWhatAFailedFsyncCoveredAndAsksForANewSegment() throws Exception {
        start(FsyncPolicy.EVERY_BATCH);
        append(1);
        groupCommit.durable(1).get(5, TimeUnit.SECONDS);

        disk.fail("spool-", Op.FORCE, FaultyDisk.EIO);
        CompletableFuture<Long> lost;
        // Both under the lock, so that the waiter is there before the sync thread tries the fsync.
        lock.lock();
        try {
            append(2);
            lost = groupCommit.durable(2);
        } finally {
            lock.unlock();
        }

        assertThatThrownBy(() -> lost.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage(FaultyDisk.EIO);
        assertThat(groupCommit.durable(2)).isCompletedExceptionally();
        lock.lock();
        try {
            assertThat(groupCommit.rollRequested()).isTrue();
            assertThat(index.size()).isEqualTo(1);
            assertThat(index.sequence(0)).isEqualTo(1);
        } finally {
            lock.unlock();
        }
        assertThat(groupCommit.durable(1)).isCompletedWithValue(1L);
    }

    @Test
    void closingSyncsWhatWasAppendedAndHappensOnce() throws Exception {
        start(FsyncPolicy.INTERVAL);
        append(1);
        CompletableFuture<Long> first = groupCommit.durable(1);

        assertThat(groupCommit.close()).isTrue();
        assertThat(groupCommit.close()).isFalse();

        assertThat(first).isCompletedWithValue(1L);
        lock.lock();
        try {
            assertThat(groupCommit.closing()).isTrue();
            assertThat(groupCommit.closed()).isTrue();
        } finally {
            lock.unlock();
        }
    }
}
