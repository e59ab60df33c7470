package dev.rigtel.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SelectStrategy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescingSelectStrategyTest {

    private static final long WINDOW_NANOS = 20_000_000;
    /** So long that a wait where none is due could not go unseen. */
    private static final long LONG_WINDOW_NANOS = 10_000_000_000L;

    private final AtomicInteger selectNowCalls = new AtomicInteger();

    private io.netty.util.IntSupplier ready(int channels) {
        return () -> {
            selectNowCalls.incrementAndGet();
            return channels;
        };
    }

    @Test
    void aLoopWithReadyChannelsGoesOnAtOnce() throws Exception {
        CoalescingSelectStrategy strategy = new CoalescingSelectStrategy(LONG_WINDOW_NANOS);
        long start = System.nanoTime();

        assertThat(strategy.calculateStrategy(ready(3), false)).isEqualTo(3);
        assertThat(strategy.calculateStrategy(ready(2), true)).isEqualTo(2);
        // Queued tasks with no ready channel: run the tasks now, as Netty's default strategy does.
        assertThat(strategy.calculateStrategy(ready(0), true)).isZero();

        assertThat(selectNowCalls).hasValue(3);
        assertThat(System.nanoTime() - start).as("waited a window").isLessThan(LONG_WINDOW_NANOS);
    }

    @Test
    void anIdleLoopWaitsTheWindowBeforeItSelects() throws Exception {
        CoalescingSelectStrategy strategy = new CoalescingSelectStrategy(WINDOW_NANOS);
        long start = System.nanoTime();

        assertThat(strategy.calculateStrategy(ready(0), false)).isEqualTo(SelectStrategy.SELECT);

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(WINDOW_NANOS);
    }

    @Test
    void thePubacksOfAGroupCommitEndAWaitingLoopsWaitAtOnce() throws Exception {
        EventLoopGroup loops = MqttServer.eventLoops(1, LONG_WINDOW_NANOS);
        try {
            EventLoop loop = loops.next();
            loop.submit(() -> {}).get(5, TimeUnit.SECONDS); // starts the loop; then it waits 10 s
            Thread.sleep(200);
            CountDownLatch sent = new CountDownLatch(1);

            LoopAcks.submit(loop, sent::countDown);

            assertThat(sent.await(5, TimeUnit.SECONDS))
                    .as("acks ran before the wait ended")
                    .isTrue();
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLoopReadingManyMessagesASecondStopsWaitingAndStartsAgainWhenTheyStop() throws Exception {
        CoalescingSelectStrategy strategy = new CoalescingSelectStrategy(WINDOW_NANOS);
        strategy.calculateStrategy(ready(0), false); // waits once, and counts from now on
        for (int i = 0; i < 10_000; i++) {
            CoalescingSelectStrategy.published();
        }
        Thread.sleep(150); // one rate epoch: 10,000 in well under 5 s is above the threshold

        strategy.calculateStrategy(ready(0), false);
        assertThat(strategy.busy()).isTrue();

        Thread.sleep(150); // an epoch without a message
        long start = System.nanoTime();
        strategy.calculateStrategy(ready(0), false);
        assertThat(strategy.busy()).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(WINDOW_NANOS);
    }

    @Test
    void aZeroWindowSelectsAtOnceAndANegativeOneIsRefused() throws Exception {
        assertThat(new CoalescingSelectStrategy(0).calculateStrategy(ready(0), false))
                .isEqualTo(SelectStrategy.SELECT);
        assertThatThrownBy(() -> new CoalescingSelectStrategy(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
