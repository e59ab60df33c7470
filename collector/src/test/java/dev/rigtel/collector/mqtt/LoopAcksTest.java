package dev.rigtel.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopAcksTest {

    private final AtomicInteger tasks = new AtomicInteger();
    private final DefaultEventLoop loop = new DefaultEventLoop() {
        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            super.execute(task);
        }
    };

    @AfterEach
    void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void theConnectionsOfOneLoopShareOneTaskPerGroupCommit() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> busy.countDown());
        busy.await(10, TimeUnit.SECONDS);
        CountDownLatch hold = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int before = tasks.get();
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        // Like the spool's sync thread completing one group commit for three connections of this loop.
        Thread sync = new Thread(() -> {
            for (String connection : List.of("rig-01", "rig-02", "rig-03")) {
                LoopAcks.submit(loop, () -> {
                    ran.add(connection);
                    done.countDown();
                });
            }
        });
        sync.start();
        sync.join();

        assertThat(tasks.get() - before).as("tasks handed to the loop").isEqualTo(1);
        hold.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("rig-01", "rig-02", "rig-03");
    }

    @Test
    void whatIsHandedOverAfterTheTaskRanGetsATaskOfItsOwn() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        LoopAcks.submit(loop, first::countDown);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch second = new CountDownLatch(1);

        LoopAcks.submit(loop, second::countDown);

        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
