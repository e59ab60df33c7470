package dev.rigtel.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTest {

    @Test
    void aTaskThatThrowsAnErrorKeepsRunning() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch third = new CountDownLatch(3);
            scheduler.scheduleWithFixedDelay(
                    Periodic.guarded("test", () -> {
                        runs.incrementAndGet();
                        third.countDown();
                        if (runs.get() == 1) {
                            throw new OutOfMemoryError("as the broker state save once did");
                        }
                        if (runs.get() == 2) {
                            throw new IllegalStateException("and an exception");
                        }
                    }),
                    0,
                    10,
                    TimeUnit.MILLISECONDS);

            assertThat(third.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void withoutTheGuardTheSchedulerStopsATaskAfterItsFirstError() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger runs = new AtomicInteger();
            scheduler.scheduleWithFixedDelay(
                    () -> {
                        runs.incrementAndGet();
                        throw new OutOfMemoryError("unguarded");
                    },
                    0,
                    10,
                    TimeUnit.MILLISECONDS);

            Thread.sleep(200);
            assertThat(runs).hasValue(1);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
