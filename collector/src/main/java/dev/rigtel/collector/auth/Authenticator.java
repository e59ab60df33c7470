package dev.rigtel.collector.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks usernames and passwords against the credentials file on a worker executor (PBKDF2 is slow
 * on purpose). The file is re-read when it changes, so {@code ./rigtel credentials add} takes
 * effect without a restart. Passwords are never logged.
 */
public final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final String DUMMY_HASH = PasswordHasher.hash("not-a-password".toCharArray(), 1000);

    /** The outcome of a login. */
    public sealed interface Result {
        record Accepted(String username, Role role) implements Result {}

        record BadCredentials() implements Result {}

        /**
         * The password was right, but the user may not log in: its name is reserved for its role
         * ({@link CredentialsFile#nameProblem}), e.g. a rig named {@code live} in a file written
         * before such names were refused.
         */
        record Refused(String username, String reason) implements Result {}
    }

    private final Path file;
    private final Executor executor;
    private CredentialsFile credentials;
    private FileTime loadedModified;

    public Authenticator(Path file, Executor executor) throws IOException {
        this.file = file;
        this.executor = executor;
        this.credentials = file == null ? CredentialsFile.empty() : CredentialsFile.load(file);
        this.loadedModified = file == null ? null : Files.getLastModifiedTime(file);
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

    /** Verifies off the caller's thread; the password array is wiped afterwards. */
    public CompletableFuture<Result> authenticate(String username, byte[] password) {
        return CompletableFuture.supplyAsync(
                () -> {
                    char[] chars = new String(password, java.nio.charset.StandardCharsets.UTF_8).toCharArray();
                    try {
                        Optional<CredentialsFile.Entry> entry = current().find(username);
                        boolean ok = PasswordHasher.verify(
                                chars,
                                entry.map(CredentialsFile.Entry::passwordHash).orElse(DUMMY_HASH));
                        if (!ok || entry.isEmpty()) {
                            return new Result.BadCredentials();
                        }
                        String reserved = entry.get().reservedProblem();
                        return reserved != null
                                ? new Result.Refused(username, reserved)
                                : new Result.Accepted(username, entry.get().role());
                    } finally {
                        Arrays.fill(chars, '\0');
                        Arrays.fill(password, (byte) 0);
                    }
                },
                executor);
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
                log.info("reloaded {} users from {}", credentials.entries().size(), file);
                warnReserved();
            }
        } catch (IOException | IllegalArgumentException e) {
            log.warn("cannot reload credentials file {}; keeping the previous users: {}", file, e.getMessage());
        }
        return credentials;
    }
}
