package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.testing.RecordingSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBufferTest {

    /** A sink that refuses every batch as invalid, like InfluxDB answering HTTP 400. */
    static final class RefusingSink implements PointSink {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void write(String lines, int points) throws SinkException {
            calls.incrementAndGet();
            throw new SinkException("refused", false, "bad line", null);
        }
    }

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingSink sink = new RecordingSink();
    private WriteBuffer buffer;

    private WriteBuffer buffer(PointSink to, int batchPoints, Duration flush, long quotaBytes) throws IOException {
        return buffer(to, batchPoints, flush, quotaBytes, WriteBufferOptions.DEFAULT_WRITERS);
    }

    private WriteBuffer buffer(PointSink to, int batchPoints, Duration flush, long quotaBytes, int writers)
            throws IOException {
        Spool spool = Spool.open(SpoolOptions.defaults(dir.resolve("spool")).withMaxBytes(quotaBytes));
        buffer = new WriteBuffer(
                        to,
                        spool,
                        new WriteBufferOptions(
                                batchPoints, flush, Duration.ofMillis(1), Duration.ofMillis(20), writers),
                        new StoreMeters(registry))
                .start();
        return buffer;
    }

    /** Counts how many writes overlap; each write takes a few milliseconds. */
    static final class SlowSink implements PointSink {
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicInteger points = new AtomicInteger();

        @Override
        public void write(String lines, int count) {
            mostAtOnce.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            points.addAndGet(count);
            active.decrementAndGet();
        }
    }

    @AfterEach
    void close() {
        if (buffer != null) {
            buffer.close();
        }
    }

    @Test
    void acceptsOnceDurableAndWritesAFullBatchWithoutWaitingForTheFlushInterval() throws Exception {
        buffer(sink, 3, Duration.ofHours(1), 1 << 20);
        List<Integer> accepted = new CopyOnWriteArrayList<>();
        buffer.offer("a 1\n", 1, () -> accepted.add(1));
        buffer.offer("b 2\nc 3\n", 2, () -> accepted.add(2));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> accepted.size() == 2 && sink.lines().size() == 3);
        assertThat(accepted).containsExactly(1, 2);
        // Two writers: when "a 1" was durable before "b 2", the two go as two batches at once.
        assertThat(sink.lines()).containsExactlyInAnyOrder("a 1", "b 2", "c 3");
    }

    @Test
    void discardModeAcknowledgesOnceDurableThenDropsAndCommitsEverything() throws Exception {
        buffer(new DiscardSink(), 3, Duration.ofMillis(10), 1 << 20);
        List<Integer> accepted = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            buffer.offer("p" + i + " v=1\n", 1, () -> accepted.add(n));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> accepted.size() == 10 && buffer.queuedPoints() == 0);
        assertThat(accepted).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(registry.get("rigtel.store.points.written").counter().count())
                .isEqualTo(10.0);
    }

    @Test
    void aSinkThatReadsNoLinesGetsNoneEncodedButEveryPointCounted() throws Exception {
        List<String> texts = new CopyOnWriteArrayList<>();
        List<Integer> counts = new CopyOnWriteArrayList<>();
        buffer(
                new PointSink() {
                    @Override
                    public void write(String lines, int points) {
                        texts.add(lines);
                        counts.add(points);
                    }

                    @Override
                    public boolean readsLines() {
                        return false;
                    }
                },
                3,
                Duration.ofMillis(10),
                1 << 20);
        for (int i = 0; i < 6; i++) {
            buffer.offer("p" + i + " v=1\n", 1, () -> {});
        }

        await().atMost(Duration.ofSeconds(5))
                .until(() -> buffer.queuedPoints() == 0
                        && counts.stream().mapToInt(Integer::intValue).sum() == 6);
        assertThat(texts).allMatch(String::isEmpty);
    }

    @Test
    void writesAPartialBatchAfterTheFlushInterval() throws Exception {
        buffer(sink, 1000, Duration.ofMillis(50), 1 << 20);
        buffer.offer("a 1\n", 1, () -> {});

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.lines().size() == 1);
    }

    @Test
    void keepsAcceptedPointsThroughAnOutageAndRetriesUntilTheSinkTakesThem() throws Exception {
        sink.down(true);
        buffer(sink, 1, Duration.ofMillis(10), 1 << 20);
        AtomicInteger accepted = new AtomicInteger();
        buffer.offer("a 1\n", 1, accepted::incrementAndGet);

        await().atMost(Duration.ofSeconds(5)).until(() -> accepted.get() == 1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.get("rigtel.store.write.retries")
                                .tag("reason", "unreachable")
                                .counter()
                                .count()
                        >= 3);
        assertThat(sink.lines()).isEmpty();

        sink.down(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.lines().size() == 1);
        assertThat(buffer.queuedPoints()).isZero();
    }

    @Test
    void oneWriterKeepsOfferOrderAcrossBatches() throws Exception {
        buffer(sink, 2, Duration.ofMillis(10), 1 << 20, 1);
        for (int i = 0; i < 20; i++) {
            buffer.offer("p " + i + "\n", 1, () -> {});
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.lines().size() == 20);
        assertThat(sink.lines().get(0)).isEqualTo("p 0");
        assertThat(sink.lines().get(19)).isEqualTo("p 19");
    }

    @Test
    void signalsOverCapacityAboveTheSpoolQuotaAndResumesBelowIt() throws Exception {
        sink.down(true);
        buffer(sink, 10, Duration.ofMillis(10), 2_000);
        for (int i = 0; i < 40; i++) {
            buffer.offer("point number " + i + " with some padding to fill the spool quickly\n", 1, () -> {});
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> buffer.overCapacity());
        AtomicInteger resumed = new AtomicInteger();
        buffer.whenBelowLowWatermark(resumed::incrementAndGet);
        assertThat(resumed.get()).isZero();

        sink.down(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> resumed.get() == 1);
        assertThat(buffer.overCapacity()).isFalse();
    }

    @Test
    void countsBatchesTheDatabaseRefusesAndDoesNotRetryThem() throws Exception {
        RefusingSink refusing = new RefusingSink();
        buffer(refusing, 1, Duration.ofMillis(10), 1 << 20);
        buffer.offer("bad\n", 1, () -> {});

        await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.find("rigtel.store.points.dropped").counter() != null
                        && registry.get("rigtel.store.points.dropped").counter().count() == 1);
        assertThat(refusing.calls.get()).isEqualTo(1);
    }

    @Test
    void whatIsNotYetWrittenSurvivesARestartAndIsReplayed() throws Exception {
        sink.down(true);
        buffer(sink, 1, Duration.ofMillis(10), 1 << 20);
        AtomicInteger accepted = new AtomicInteger();
        buffer.offer("a 1\n", 1, accepted::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> accepted.get() == 1);
        buffer.close(Duration.ofMillis(200));

        sink.down(false);
        buffer(sink, 1, Duration.ofMillis(10), 1 << 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.lines().size() == 1);
        assertThat(sink.lines()).containsExactly("a 1");
    }

    @Test
    void twoWritersHaveTwoBatchesInFlightAndOneWriterOne() throws Exception {
        SlowSink slow = new SlowSink();
        buffer(slow, 2, Duration.ofMillis(10), 1 << 20, 2);
        for (int i = 0; i < 40; i++) {
            buffer.offer("p " + i + "\n", 1, () -> {});
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.points.get() == 40 && buffer.queuedPoints() == 0);
        assertThat(slow.mostAtOnce.get()).isEqualTo(2);
        buffer.close();

        SlowSink single = new SlowSink();
        buffer(single, 2, Duration.ofMillis(10), 1 << 20, 1);
        for (int i = 0; i < 40; i++) {
            buffer.offer("q " + i + "\n", 1, () -> {});
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> single.points.get() == 40 && buffer.queuedPoints() == 0);
        assertThat(single.mostAtOnce.get()).isEqualTo(1);
    }

    @Test
    void theCommitNeverPassesABatchStillInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> stored = new CopyOnWriteArrayList<>();
        PointSink firstIsSlow = (lines, points) -> {
            if (lines.startsWith("p 0")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            stored.add(lines.strip());
        };
        buffer(firstIsSlow, 1, Duration.ofMillis(10), 1 << 20, 2);
        buffer.offer("p 0\n", 1, () -> {});
        buffer.offer("p 1\n", 1, () -> {});

        await().atMost(Duration.ofSeconds(5)).until(() -> stored.contains("p 1"));
        Thread.sleep(50);
        assertThat(buffer.queuedPoints())
                .as("p 1 is stored but p 0 is not: nothing is committed yet")
                .isEqualTo(2);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> buffer.queuedPoints() == 0);
        assertThat(stored).containsExactlyInAnyOrder("p 0", "p 1");
    }

    @Test
    void aBatchWrittenAfterOneThatFailedIsReplayedWithItAfterARestart() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        List<String> stored = new CopyOnWriteArrayList<>();
        PointSink firstFails = (lines, points) -> {
            if (lines.startsWith("p 0") && down.get()) {
                throw new SinkException("unreachable", true, "held down by the test", null);
            }
            stored.add(lines.strip());
        };
        buffer(firstFails, 1, Duration.ofMillis(10), 1 << 20, 2);
        buffer.offer("p 0\n", 1, () -> {});
        buffer.offer("p 1\n", 1, () -> {});
        await().atMost(Duration.ofSeconds(5)).until(() -> stored.contains("p 1"));
        assertThat(buffer.queuedPoints()).isEqualTo(2);

        // A crash: a copy of the spool as it is now is opened by a new buffer.
        WriteBuffer crashed = buffer;
        Path copy = dir.resolve("copy");
        copyTree(dir.resolve("spool"), copy);
        List<String> replayed = new CopyOnWriteArrayList<>();
        buffer = new WriteBuffer(
                        (lines, points) -> replayed.add(lines.strip()),
                        Spool.open(SpoolOptions.defaults(copy)),
                        new WriteBufferOptions(
                                1, Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofMillis(20), 2),
                        new StoreMeters(new SimpleMeterRegistry()))
                .start();
        await().atMost(Duration.ofSeconds(5)).until(() -> buffer.queuedPoints() == 0);
        assertThat(replayed).containsExactlyInAnyOrder("p 0", "p 1");

        down.set(false);
        crashed.close();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }
}
