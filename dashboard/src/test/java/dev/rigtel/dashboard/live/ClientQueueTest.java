package dev.rigtel.dashboard.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientQueueTest {

    private final List<LiveKind> dropped = new ArrayList<>();
    private final ClientQueue queue = new ClientQueue(3, dropped::add);

    private static LiveMessage message(LiveKind kind, int n) {
        return LiveMessage.of(kind, "rig-01", "{\"n\":" + n + "}");
    }

    private List<LiveMessage> drain() {
        List<LiveMessage> out = new ArrayList<>();
        for (LiveMessage m = queue.poll(); m != null; m = queue.poll()) {
            out.add(m);
        }
        return out;
    }

    @Test
    void asksForOneDrainPerBurst() {
        assertThat(queue.offer(message(LiveKind.TRACE, 1))).isEqualTo(ClientQueue.Offer.QUEUED_DRAIN_NEEDED);
        assertThat(queue.offer(message(LiveKind.STATE, 2))).isEqualTo(ClientQueue.Offer.QUEUED);
        assertThat(drain()).hasSize(2);
        assertThat(queue.offer(message(LiveKind.TRACE, 3))).isEqualTo(ClientQueue.Offer.QUEUED_DRAIN_NEEDED);
    }

    @Test
    void dropsTracesWhenFullAndCountsThem() {
        for (int n = 0; n < 3; n++) {
            queue.offer(message(LiveKind.TRACE, n));
        }
        assertThat(queue.offer(message(LiveKind.MOTION, 9))).isEqualTo(ClientQueue.Offer.DROPPED);
        assertThat(queue.size()).isEqualTo(3);
        assertThat(dropped).containsExactly(LiveKind.MOTION);
    }

    @Test
    void makesRoomForAStateByDroppingTheOldestTrace() {
        queue.offer(message(LiveKind.STATE, 0));
        queue.offer(message(LiveKind.TRACE, 1));
        queue.offer(message(LiveKind.TRACE, 2));

        assertThat(queue.offer(message(LiveKind.EVENT, 3))).isEqualTo(ClientQueue.Offer.QUEUED);

        assertThat(dropped).containsExactly(LiveKind.TRACE);
        assertThat(drain())
                .extracting(m -> new String(m.frame()))
                .containsExactly(
                        "event: state\ndata: {\"n\":0}\n\n",
                        "event: trace\ndata: {\"n\":2}\n\n",
                        "event: event\ndata: {\"n\":3}\n\n");
    }

    @Test
    void overflowsWhenFullOfMessagesThatMustNotBeDropped() {
        for (int n = 0; n < 3; n++) {
            queue.offer(message(LiveKind.ALERT, n));
        }
        assertThat(queue.offer(message(LiveKind.STATE, 4))).isEqualTo(ClientQueue.Offer.OVERFLOW);
        assertThat(queue.size()).isEqualTo(3);
        assertThat(dropped).isEmpty();
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        for (int n = 0; n < 1000; n++) {
            queue.offer(message(n % 2 == 0 ? LiveKind.TRACE : LiveKind.MOTION, n));
        }
        assertThat(queue.size()).isEqualTo(3);
        assertThat(dropped).hasSize(997);
    }

    @Test
    void refusesACapacityBelowOne() {
        assertThatThrownBy(() -> new ClientQueue(0, kind -> {})).isInstanceOf(IllegalArgumentException.class);
    }
}
