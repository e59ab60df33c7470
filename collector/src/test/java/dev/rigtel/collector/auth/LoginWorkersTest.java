package dev.rigtel.collector.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoginWorkersTest {

    private static final String FLOODER = "10.0.0.66";
    private static final String RIGS = "10.0.0.5";

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> started = new CopyOnWriteArrayList<>();
    private LoginWorkers workers;

    @AfterEach
    void close() {
        release.countDown();
        if (workers != null) {
            workers.close();
        }
    }

    private void start(int threads, int maxWaiting, Set<String> suspects) {
        workers = new LoginWorkers(threads, maxWaiting, suspects::contains, r -> {
            Thread t = new Thread(r, "login-worker-test");
            t.setDaemon(true);
            return t;
        });
    }

    /** A check that says it started, then holds its worker until released. */
    private void check(String address, String name) {
        workers.forAddress(address).execute(() -> {
            started.add(name);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void awaitStarted(int n) throws InterruptedException {
        for (int i = 0; i < 500 && started.size() < n; i++) {
            Thread.sleep(10);
        }
        assertThat(started).hasSizeGreaterThanOrEqualTo(n);
    }

    @Test
    void anAddressThatFailedLatelyRunsOneCheckAtATimeAndLeavesAWorkerForOthers() throws Exception {
        start(2, 64, Set.of(FLOODER));
        check(FLOODER, "flood-1");
        check(FLOODER, "flood-2");
        check(FLOODER, "flood-3");
        awaitStarted(1);
        Thread.sleep(100);
        assertThat(started).containsExactly("flood-1");

        check(RIGS, "rig");

        awaitStarted(2);
        assertThat(started).containsExactly("flood-1", "rig");
        assertThat(workers.waiting()).isEqualTo(2);
    }

    @Test
    void anAddressWithoutFailuresUsesEveryIdleWorker() throws Exception {
        start(2, 64, Set.of());
        check(RIGS, "rig-1");
        check(RIGS, "rig-2");
        check(RIGS, "rig-3");

        awaitStarted(2);
        Thread.sleep(100);
        assertThat(started).containsExactlyInAnyOrder("rig-1", "rig-2");
    }

    @Test
    void waitingChecksAreTakenInTurnByAddress() throws Exception {
        start(1, 64, Set.of());
        CountDownLatch first = new CountDownLatch(1);
        workers.forAddress("blocker").execute(() -> {
            try {
                first.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(4);
        for (String name : List.of("a-1", "a-2", "a-3")) {
            workers.forAddress("a").execute(() -> {
                order.add(name);
                all.countDown();
            });
        }
        workers.forAddress("b").execute(() -> {
            order.add("b-1");
            all.countDown();
        });

        first.countDown();

        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("a-1", "b-1", "a-2", "a-3");
    }

    @Test
    void beyondTheWaitingLimitACheckIsRefused() throws Exception {
        start(1, 2, Set.of());
        check(RIGS, "running");
        awaitStarted(1);
        check(RIGS, "waiting-1");
        check("elsewhere", "waiting-2");

        assertThatThrownBy(() -> check("another", "one too many")).isInstanceOf(RejectedExecutionException.class);
        assertThat(workers.waiting()).isEqualTo(2);
    }

    @Test
    void aFailingTaskDoesNotEndItsWorker() throws Exception {
        start(1, 8, Set.of());
        workers.forAddress(RIGS).execute(() -> {
            throw new IllegalStateException("boom");
        });
        CountDownLatch ran = new CountDownLatch(1);
        workers.forAddress(RIGS).execute(ran::countDown);

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closedWorkersRefuseNewChecks() {
        start(1, 8, Set.of());
        workers.close();

        assertThatThrownBy(() -> check(RIGS, "late")).isInstanceOf(RejectedExecutionException.class);
    }
}
