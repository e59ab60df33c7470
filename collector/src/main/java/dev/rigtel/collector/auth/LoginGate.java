package dev.rigtel.collector.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Who may start a password check, so that one address or one username cannot take the slow PBKDF2
 * workers from everybody else (a login flood locked every rig out before).
 *
 * <ul>
 *   <li>At most {@link Options#maxPendingPerAddress()} checks of one address, and {@link
 *       Options#maxPendingPerUser()} of one username, wait or run at a time; beyond that the login
 *       is refused as busy at once.
 *   <li>Each address has a budget of failed logins ({@link Options#failureBurst()}, one more every
 *       {@link Options#failureRefill()}): an address that spent it is refused without a check until
 *       the budget refills. Failures are held against the address, never the username, so a
 *       stranger who knows a rig's name cannot lock the rig out.
 * </ul>
 *
 * <p>Thread-safe; cheap: no hashing here. Memory is bounded: at most {@link #MAX_ADDRESSES} addresses
 * are tracked, idle ones forgotten first.
 */
public final class LoginGate {

    /** Addresses tracked at once; beyond it the fullest budget is forgotten (it refills anyway). */
    static final int MAX_ADDRESSES = 10_000;

    /**
     * @param maxPendingPerAddress checks of one address waiting or running at once
     * @param maxPendingPerUser checks of one username waiting or running at once
     * @param failureBurst failed logins an address may make in a row
     * @param failureRefill how long one failed login takes to be forgiven
     */
    public record Options(int maxPendingPerAddress, int maxPendingPerUser, int failureBurst, Duration failureRefill) {
        public static final Options DEFAULTS = new Options(4, 2, 10, Duration.ofSeconds(6));

        public Options {
            if (maxPendingPerAddress < 1 || maxPendingPerUser < 1 || failureBurst < 1) {
                throw new IllegalArgumentException("login limits must be at least 1");
            }
            if (failureRefill.isNegative() || failureRefill.isZero()) {
                throw new IllegalArgumentException("failureRefill must be positive");
            }
        }
    }

    /** Why a login was not let through. */
    public enum Refusal {
        /** Too many checks of this address or username under way: try again in a moment. */
        BUSY("auth-busy"),
        /** This address failed too often: refused without a check until its budget refills. */
        BLOCKED("auth-blocked");

        private final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }

        /** The reason a meter counts it under. */
        public String tag() {
            return tag;
        }
    }

    /** A check let through; {@link #done} exactly once. */
    public final class Ticket {
        private final String address;
        private final String user;
        private boolean done;

        private Ticket(String address, String user) {
            this.address = address;
            this.user = user;
        }

        /** The check finished ({@code failed}: wrong password or unknown user) or was dropped. */
        public void done(boolean failed) {
            synchronized (LoginGate.this) {
                if (done) {
                    return;
                }
                done = true;
                Budget budget = addresses.get(address);
                if (budget != null) {
                    budget.pending--;
                    if (failed) {
                        budget.refill();
                        budget.tokens--;
                    }
                }
                pendingByUser.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    private final class Budget {
        double tokens = options.failureBurst();
        long refilledNanos = nowNanos();
        int pending;

        void refill() {
            long now = nowNanos();
            tokens = Math.min(
                    options.failureBurst(),
                    tokens
                            + (double) (now - refilledNanos)
                                    / options.failureRefill().toNanos());
            refilledNanos = now;
        }

        boolean idle() {
            refill();
            return pending == 0 && tokens >= options.failureBurst();
        }
    }

    private final Options options;
    private final Clock clock;
    private final Map<String, Budget> addresses = new HashMap<>();
    private final Map<String, Integer> pendingByUser = new HashMap<>();

    public LoginGate(Options options, Clock clock) {
        this.options = options;
        this.clock = clock;
    }

    /** A ticket for a check of {@code user} from {@code address}, or why not. */
    public synchronized Result enter(String address, String user) {
        Budget budget = addresses.get(address);
        if (budget == null) {
            if (addresses.size() >= MAX_ADDRESSES) {
                forgetIdle();
            }
            budget = new Budget();
            addresses.put(address, budget);
        }
        budget.refill();
        if (budget.tokens < 1) {
            return new Result(Optional.empty(), Refusal.BLOCKED);
        }
        if (budget.pending >= options.maxPendingPerAddress()
                || pendingByUser.getOrDefault(user, 0) >= options.maxPendingPerUser()) {
            return new Result(Optional.empty(), Refusal.BUSY);
        }
        budget.pending++;
        pendingByUser.merge(user, 1, Integer::sum);
        return new Result(Optional.of(new Ticket(address, user)), null);
    }

    /**
     * True if {@code address} failed a login lately (its failure budget is not full again): {@link
     * LoginWorkers} then runs one of its checks at a time.
     */
    public synchronized boolean failedLately(String address) {
        Budget budget = addresses.get(address);
        if (budget == null) {
            return false;
        }
        budget.refill();
        return budget.tokens < options.failureBurst();
    }

    /** A ticket, or the refusal. */
    public record Result(Optional<Ticket> ticket, Refusal refusal) {}

    /** Addresses tracked now (for tests and meters). */
    public synchronized int addresses() {
        return addresses.size();
    }

    private void forgetIdle() {
        for (Iterator<Budget> it = addresses.values().iterator(); it.hasNext(); ) {
            if (it.next().idle()) {
                it.remove();
            }
        }
        if (addresses.size() >= MAX_ADDRESSES) {
            // Every tracked address is busy or in debt: forget one (it only gains a fresh budget).
            Iterator<Budget> it = addresses.values().iterator();
            it.next();
            it.remove();
        }
    }

    private long nowNanos() {
        return clock.instant().toEpochMilli() * 1_000_000L;
    }
}
