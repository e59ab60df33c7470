package dev.rigtel.collector.auth;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Predicate;

/**
 * The few threads that run PBKDF2 checks, shared fairly between addresses: waiting checks are taken
 * round-robin by address, and an address that failed logins lately ({@code suspect}) runs at most
 * one check at a time, so a flooding host leaves a worker free for everybody else (with a plain FIFO
 * pool an honest rig waited behind the flood's checks). An address that has not failed may use
 * every idle worker (thirteen rigs behind one address log in at once).
 *
 * <p>At most {@code maxWaiting} checks wait; beyond it {@link #forAddress}'s executor throws {@link
 * RejectedExecutionException} (the login is refused as busy). Plain Java threads; closing drops what
 * waits.
 */
public final class LoginWorkers implements AutoCloseable {

    private record Check(String address, Runnable task) {}

    private final int maxWaiting;
    private final Predicate<String> suspect;
    /** Waiting checks by address, in round-robin order (an address served goes to the back). */
    private final LinkedHashMap<String, ArrayDeque<Runnable>> waiting = new LinkedHashMap<>();

    private final Map<String, Integer> running = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private int waitingCount;
    private boolean closed;

    /**
     * @param workers threads (at least 1)
     * @param maxWaiting checks that may wait for a thread
     * @param suspect true for an address that failed logins lately: one check of it at a time
     */
    public LoginWorkers(int workers, int maxWaiting, Predicate<String> suspect, ThreadFactory threadFactory) {
        if (workers < 1 || maxWaiting < 1) {
            throw new IllegalArgumentException("workers and maxWaiting must be at least 1");
        }
        this.maxWaiting = maxWaiting;
        this.suspect = suspect;
        for (int i = 0; i < workers; i++) {
            Thread t = threadFactory.newThread(this::work);
            threads.add(t);
            t.start();
        }
    }

    /** An executor whose tasks are checks of {@code address}. */
    public Executor forAddress(String address) {
        return task -> submit(address, task);
    }

    private synchronized void submit(String address, Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("the login workers are stopped");
        }
        if (waitingCount >= maxWaiting) {
            throw new RejectedExecutionException(waitingCount + " logins already wait");
        }
        waiting.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(task);
        waitingCount++;
        notifyAll();
    }

    /** Checks waiting now (for tests). */
    public synchronized int waiting() {
        return waitingCount;
    }

    private void work() {
        while (true) {
            Check check;
            try {
                check = next();
            } catch (InterruptedException e) {
                return;
            }
            if (check == null) {
                return;
            }
            try {
                check.task().run();
            } catch (RuntimeException | Error e) {
                // CompletableFuture tasks report their own failures; a bare task must not end the worker
            } finally {
                finished(check.address());
            }
        }
    }

    private synchronized Check next() throws InterruptedException {
        while (!closed) {
            for (Iterator<Map.Entry<String, ArrayDeque<Runnable>>> it =
                            waiting.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, ArrayDeque<Runnable>> e = it.next();
                String address = e.getKey();
                if (running.getOrDefault(address, 0) >= 1 && suspect.test(address)) {
                    continue; // a failing address has its one check running
                }
                ArrayDeque<Runnable> queue = e.getValue();
                Runnable task = queue.pollFirst();
                it.remove();
                if (!queue.isEmpty()) {
                    waiting.put(address, queue); // to the back: the next address goes first
                }
                waitingCount--;
                running.merge(address, 1, Integer::sum);
                return new Check(address, task);
            }
            wait();
        }
        return null;
    }

    private synchronized void finished(String address) {
        running.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        notifyAll();
    }

    /** Stops the threads; waiting checks are dropped. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            waiting.clear();
            waitingCount = 0;
            notifyAll();
        }
        threads.forEach(Thread::interrupt);
    }
}
