package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.metrics.StoreMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriteBufferTest {

    /** A sink that keeps what it was given and can be told to fail. */
    static final class RecordingSink implements PointSink {
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();
        volatile boolean refuse;

        @Override
        public void write(String lines, int points) throws SinkException {
            if (refuse) {
                throw new SinkException("refused", false, "bad line", null);
            }
            if (failuresLeft.getAndDecrement() > 0) {
                throw new SinkException("unreachable", true, "connection refused", null);
            }
            bodies.add(lines);
        }

        String all() {
            return String.join("", bodies);
        }
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingSink sink = new RecordingSink();
    private WriteBuffer buffer;

    private WriteBuffer buffer(int batchPoints, Duration flush, int capacity) {
        buffer = new WriteBuffer(
                        sink,
                        new WriteBufferOptions(
                                batchPoints, flush, capacity, Duration.ofMillis(1), Duration.ofMillis(20)),
                        new StoreMeters(registry))
                .start();
        return buffer;
    }

    @AfterEach
    void close() {
        if (buffer != null) {
            buffer.close();
        }
    }

    @Test
    void writesAFullBatchWithoutWaitingForTheFlushInterval() {
        buffer(3, Duration.ofHours(1), 100);
        List<Integer> stored = new CopyOnWriteArrayList<>();
        buffer.offer("a 1\n", 1, () -> stored.add(1));
        buffer.offer("b 2\nc 3\n", 2, () -> stored.add(2));

        await().atMost(Duration.ofSeconds(5)).until(() -> stored.size() == 2);
        assertThat(sink.bodies).containsExactly("a 1\nb 2\nc 3\n");
        assertThat(stored).containsExactly(1, 2);
    }

    @Test
    void writesAPartialBatchAfterTheFlushInterval() {
        buffer(1000, Duration.ofMillis(50), 2000);
        AtomicInteger stored = new AtomicInteger();
        buffer.offer("a 1\n", 1, stored::incrementAndGet);

        await().atMost(Duration.ofSeconds(5)).until(() -> stored.get() == 1);
        assertThat(sink.all()).isEqualTo("a 1\n");
    }

    @Test
    void retriesUntilTheSinkTakesTheBatchAndOnlyThenReportsItStored() {
        sink.failuresLeft.set(5);
        buffer(1, Duration.ofMillis(10), 100);
        AtomicInteger stored = new AtomicInteger();
        buffer.offer("a 1\n", 1, stored::incrementAndGet);

        await().atMost(Duration.ofSeconds(5)).until(() -> stored.get() == 1);
        assertThat(sink.bodies).containsExactly("a 1\n");
        assertThat(registry.get("rigtel.store.write.retries")
                        .tag("reason", "unreachable")
                        .counter()
                        .count())
                .isEqualTo(5);
    }

    @Test
    void keepsOfferOrderAcrossBatches() {
        buffer(2, Duration.ofMillis(10), 100);
        List<Integer> stored = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            buffer.offer("p " + i + "\n", 1, () -> stored.add(n));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stored.size() == 20);
        assertThat(stored).isSorted();
        assertThat(sink.all()).startsWith("p 0\np 1\np 2\n");
    }

    @Test
    void signalsOverCapacityAndResumesBelowHalf() {
        sink.failuresLeft.set(Integer.MAX_VALUE);
        buffer(10, Duration.ofMillis(10), 10);
        for (int i = 0; i < 11; i++) {
            buffer.offer("p " + i + "\n", 1, () -> {});
        }
        assertThat(buffer.overCapacity()).isTrue();
        AtomicInteger resumed = new AtomicInteger();
        buffer.whenBelowLowWatermark(resumed::incrementAndGet);
        assertThat(resumed.get()).isZero();

        sink.failuresLeft.set(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> resumed.get() == 1);
        assertThat(buffer.overCapacity()).isFalse();
        assertThat(registry.get("rigtel.store.buffer.points").gauge().value()).isLessThanOrEqualTo(5);
    }

    @Test
    void countsBatchesTheDatabaseRefusesAndDoesNotRetryThem() {
        sink.refuse = true;
        buffer(1, Duration.ofMillis(10), 100);
        AtomicInteger completed = new AtomicInteger();
        buffer.offer("bad\n", 1, completed::incrementAndGet);

        await().atMost(Duration.ofSeconds(5)).until(() -> completed.get() == 1);
        assertThat(registry.get("rigtel.store.points.dropped")
                        .tag("reason", "refused")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void closeWritesWhatIsStillBuffered() {
        buffer(1000, Duration.ofHours(1), 2000);
        buffer.offer("a 1\n", 1, () -> {});
        buffer.close();
        assertThat(sink.all()).isEqualTo("a 1\n");
    }
}
