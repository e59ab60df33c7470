package dev.rigtel.collector.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks usernames and passwords against the credentials file on a worker executor (PBKDF2 is slow
 * on purpose). The file is re-read when it changes, so {@code ./rigtel credentials add} takes
 * effect without a restart. Passwords are never logged.
 *
 * <p>The workers are few and shared by MQTT and HTTP logins, so a {@link LoginGate} decides who may
 * start a check (per address and per username), a check whose connection has closed meanwhile is
 * dropped unrun, and the executor's queue is bounded (a full one refuses as busy). An unknown user
 * is checked against a dummy hash as slow as the file's own, so the answer's time does not tell who
 * exists. A password that passed is remembered for a few minutes as an HMAC under a key of this
 * process, so a client that sends the same credentials with every request (HTTP Basic) costs one
 * PBKDF2, not one per request.
 */
public final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    /** How long a checked password is remembered. */
    static final java.time.Duration REMEMBER = java.time.Duration.ofMinutes(5);

    /** Remembered logins at most. */
    static final int REMEMBERED = 256;

    /** The outcome of a login. */
    public sealed interface Result {
        record Accepted(String username, Role role) implements Result {}

        record BadCredentials() implements Result {}

        /** Not checked: the {@link LoginGate} refused it, the workers are full, or nobody waits any more. */
        record Refused(String reason) implements Result {}

        /**
         * The password was right, but the user may not log in: its name is reserved for its role
         * ({@link CredentialsFile#nameProblem}), e.g. a rig named {@code live} in a file written
         * before such names were refused.
         */
        record Reserved(String username, String reason) implements Result {}
    }

    private final Path file;
    private final java.util.function.Function<String, Executor> executors;
    private final LoginGate gate;
    private final Clock clock;
    private final byte[] rememberKey = new byte[32];
    private final Map<String, Remembered> remembered = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
            return size() > REMEMBERED;
        }
    };
    private CredentialsFile credentials;
    private FileTime loadedModified;
    private String dummyHash;

    private record Remembered(byte[] mac, Role role, long untilMillis) {}

    /** With the default {@link LoginGate} limits. */
    public Authenticator(Path file, Executor executor) throws IOException {
        this(file, executor, new LoginGate(LoginGate.Options.DEFAULTS, Clock.systemUTC()), Clock.systemUTC());
    }

    public Authenticator(Path file, Executor executor, LoginGate gate, Clock clock) throws IOException {
        this(file, address -> executor, gate, clock);
    }

    /** Checks run on {@code workers}, fairly between addresses. */
    public Authenticator(Path file, LoginWorkers workers, LoginGate gate, Clock clock) throws IOException {
        this(file, workers::forAddress, gate, clock);
    }

    private Authenticator(
            Path file, java.util.function.Function<String, Executor> executors, LoginGate gate, Clock clock)
            throws IOException {
        this.file = file;
        this.executors = executors;
        this.gate = gate;
        this.clock = clock;
        new SecureRandom().nextBytes(rememberKey);
        this.credentials = file == null ? CredentialsFile.empty() : CredentialsFile.load(file);
        this.loadedModified = file == null ? null : Files.getLastModifiedTime(file);
        this.dummyHash = dummyFor(credentials);
        warnReserved();
    }

    /** Once per load of the file: each user that will be refused for its name, and why. */
    private void warnReserved() {
        for (CredentialsFile.Entry entry : credentials.entries()) {
            String problem = entry.reservedProblem();
            if (problem != null) {
                log.warn(
                        "credentials file {}: {} '{}' will be refused at CONNECT: {}; give it another name",
                        file,
                        entry.role().label(),
                        entry.username(),
                        problem);
            }
        }
    }

    /** {@link #authenticate(String, byte[], String, BooleanSupplier)} for a caller that always waits. */
    public CompletableFuture<Result> authenticate(String username, byte[] password) {
        return authenticate(username, password, "local", () -> true);
    }

    /**
     * Verifies off the caller's thread; the password array is wiped afterwards.
     *
     * @param address who asks (an IP address), for the {@link LoginGate}
     * @param wanted false once nobody waits for the answer (the connection closed): the check is
     *     then dropped before it runs
     */
    public CompletableFuture<Result> authenticate(
            String username, byte[] password, String address, BooleanSupplier wanted) {
        byte[] mac = mac(username, password);
        Optional<Role> known = rememberedRole(username, mac);
        if (known.isPresent()) {
            Arrays.fill(password, (byte) 0);
            return CompletableFuture.completedFuture(new Result.Accepted(username, known.get()));
        }
        LoginGate.Result entry = gate.enter(address, username);
        if (entry.ticket().isEmpty()) {
            Arrays.fill(password, (byte) 0);
            return CompletableFuture.completedFuture(
                    new Result.Refused(entry.refusal().tag()));
        }
        LoginGate.Ticket ticket = entry.ticket().get();
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        if (!wanted.getAsBoolean()) {
                            ticket.done(false);
                            Arrays.fill(password, (byte) 0);
                            return new Result.Refused("abandoned");
                        }
                        char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
                        boolean failed = true;
                        try {
                            CredentialsFile current = current();
                            Optional<CredentialsFile.Entry> user = current.find(username);
                            boolean ok = PasswordHasher.verify(
                                    chars,
                                    user.map(CredentialsFile.Entry::passwordHash)
                                            .orElse(dummyHash));
                            if (ok && user.isPresent() && user.get().reservedProblem() != null) {
                                failed = false;
                                return new Result.Reserved(username, user.get().reservedProblem());
                            }
                            if (ok && user.isPresent()) {
                                failed = false;
                                remember(username, mac, user.get().role());
                                return new Result.Accepted(username, user.get().role());
                            }
                            return (Result) new Result.BadCredentials();
                        } finally {
                            ticket.done(failed);
                            Arrays.fill(chars, '\0');
                            Arrays.fill(password, (byte) 0);
                        }
                    },
                    executors.apply(address));
        } catch (RejectedExecutionException e) {
            ticket.done(false);
            Arrays.fill(password, (byte) 0);
            return CompletableFuture.completedFuture(new Result.Refused(LoginGate.Refusal.BUSY.tag()));
        }
    }

    public int users() {
        return current().entries().size();
    }

    private synchronized CredentialsFile current() {
        if (file == null) {
            return credentials;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (!modified.equals(loadedModified)) {
                credentials = CredentialsFile.load(file);
                loadedModified = modified;
                dummyHash = dummyFor(credentials);
                remembered.clear(); // a changed password or role counts at once
                log.info("reloaded {} users from {}", credentials.entries().size(), file);
                warnReserved();
            }
        } catch (IOException | IllegalArgumentException e) {
            log.warn("cannot reload credentials file {}; keeping the previous users: {}", file, e.getMessage());
        }
        return credentials;
    }

    /**
     * A hash of a password nobody has, with the iterations most of the file's users have: checking
     * an unknown user costs what checking a known one does.
     */
    static String dummyFor(CredentialsFile credentials) {
        Map<Integer, Integer> byIterations = new HashMap<>();
        for (CredentialsFile.Entry e : credentials.entries()) {
            byIterations.merge(iterations(e.passwordHash()), 1, Integer::sum);
        }
        int iterations = byIterations.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(PasswordHasher.DEFAULT_ITERATIONS);
        return PasswordHasher.hash("not-a-password".toCharArray(), iterations);
    }

    private static int iterations(String hash) {
        try {
            return Integer.parseInt(hash.split(":")[1]);
        } catch (RuntimeException e) {
            return PasswordHasher.DEFAULT_ITERATIONS;
        }
    }

    private synchronized Optional<Role> rememberedRole(String username, byte[] mac) {
        current();
        Remembered r = remembered.get(username);
        if (r == null || r.untilMillis() < clock.millis() || !MessageDigest.isEqual(r.mac(), mac)) {
            return Optional.empty();
        }
        return Optional.of(r.role());
    }

    private synchronized void remember(String username, byte[] mac, Role role) {
        remembered.put(username, new Remembered(mac, role, clock.millis() + REMEMBER.toMillis()));
    }

    private byte[] mac(String username, byte[] password) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(rememberKey, "HmacSHA256"));
            hmac.update(username.getBytes(StandardCharsets.UTF_8));
            hmac.update((byte) 0);
            return hmac.doFinal(password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
