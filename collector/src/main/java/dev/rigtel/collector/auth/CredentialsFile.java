package dev.rigtel.collector.auth;

import dev.rigtel.collector.ingest.RigId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials file: one user per line, {@code <username> <role> <pbkdf2 hash>}; {@code #}
 * starts a comment. For a rig the username is its rig id. Only hashes are stored, each with its own
 * salt; the file is written with mode 600 where the file system allows.
 */
public final class CredentialsFile {

    /**
     * One user. Its name is a valid {@link RigId}; one that is reserved for its role ({@link
     * #nameProblem}) can be read from an existing file, so that the other users still load, but
     * cannot be added, and the {@link Authenticator} refuses it.
     */
    public record Entry(String username, Role role, String passwordHash) {
        public Entry {
            String problem = RigId.problem(username);
            if (problem != null) {
                throw new IllegalArgumentException("invalid username '" + username + "': " + problem);
            }
            PasswordHasher.checkFormat(passwordHash);
        }

        /** Why this user may not log in under its name, or null if it may. */
        public String reservedProblem() {
            return nameProblem(username, role);
        }
    }

    /**
     * Why {@code username} may not be a user of {@code role}, or null if it may: a rig's name is its
     * rig id ({@link RigId#rigProblem}: no reserved topic level, no {@code $}); no user of any role
     * may be {@code live}, since the collector tells each user why a message was refused on {@code
     * rigtel/v1/{user}/error}, which must not fall among its live topics.
     */
    public static String nameProblem(String username, Role role) {
        if (role == Role.RIG) {
            return RigId.rigProblem(username);
        }
        if ("live".equals(username)) {
            return "'live' is reserved for every user: rigtel/v1/live/... is the collector's";
        }
        return RigId.problem(username);
    }

    private final Map<String, Entry> entries;

    private CredentialsFile(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static CredentialsFile empty() {
        return new CredentialsFile(new LinkedHashMap<>());
    }

    public static CredentialsFile load(Path file) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            try {
                if (parts.length != 3) {
                    throw new IllegalArgumentException("expected <username> <role> <hash>");
                }
                Entry entry = new Entry(parts[0], Role.parse(parts[1]), parts[2]);
                if (entries.putIfAbsent(entry.username(), entry) != null) {
                    throw new IllegalArgumentException("user '" + entry.username() + "' appears twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new CredentialsFile(entries);
    }

    public Optional<Entry> find(String username) {
        return Optional.ofNullable(entries.get(username));
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /**
     * Adds or replaces a user.
     *
     * @throws IllegalArgumentException if its name is reserved for its role ({@link #nameProblem})
     */
    public CredentialsFile with(Entry entry) {
        String problem = entry.reservedProblem();
        if (problem != null) {
            throw new IllegalArgumentException(
                    "cannot add " + entry.role().label() + " '" + entry.username() + "': " + problem);
        }
        Map<String, Entry> copy = new LinkedHashMap<>(entries);
        copy.put(entry.username(), entry);
        return new CredentialsFile(copy);
    }

    /** Writes atomically (temp file + rename), mode 600. */
    public void save(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# rigtel credentials: <username> <role> <pbkdf2-sha256 hash>. Edit with ./rigtel credentials add.");
        for (Entry entry : entries.values()) {
            lines.add(entry.username() + " " + entry.role().label() + " " + entry.passwordHash());
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".credentials", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the platform default
            }
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
