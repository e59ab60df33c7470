package dev.rigtel.collector.broker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.store.DiskIo;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's state file: a {@link BrokerState} as JSON, so that a restarted collector keeps its
 * retained messages and the persistent sessions of offline clients. Payloads and correlation data
 * are base64 strings. Saving writes a temporary file next to it, forces it to disk and renames it
 * over the old one, so a crash leaves either the old state or the new one, never half of either.
 * A file that cannot be read is moved aside as {@code <name>.corrupt-<millis>} (kept for a
 * post-mortem) and the broker starts empty.
 */
public final class BrokerStateFile {

    private static final Logger log = LoggerFactory.getLogger(BrokerStateFile.class);

    /** The file format's version, written in every file. */
    static final int VERSION = 1;

    private final Path file;
    private final Path temp;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final DiskIo io;

    /**
     * @param file where the state lives
     * @param mapper the process's Jackson mapper (the wire mapper's read limits fit: base64 binary
     *     is not bound by its string length limit, and the file nests seven levels deep at most:
     *     state, sessions, session, pending, message, user properties, user property)
     */
    public BrokerStateFile(Path file, ObjectMapper mapper) {
        this(file, mapper, Clock.systemUTC());
    }

    /** As {@link #BrokerStateFile(Path, ObjectMapper)}, with the clock that names corrupt files. */
    public BrokerStateFile(Path file, ObjectMapper mapper, Clock clock) {
        this(file, mapper, clock, DiskIo.REAL);
    }

    /** @param io the file operations (tests inject failing ones) */
    public BrokerStateFile(Path file, ObjectMapper mapper, Clock clock, DiskIo io) {
        this.file = file.toAbsolutePath();
        this.temp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
        this.mapper = mapper;
        this.clock = clock;
        this.io = io;
    }

    public Path path() {
        return file;
    }

    /** Read and write for the owner only (rw-------), where the file system has POSIX permissions. */
    private java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix
                ? new java.nio.file.attribute.FileAttribute<?>[] {
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))
                }
                : new java.nio.file.attribute.FileAttribute<?>[0];
    }

    /**
     * Replaces the file's content with {@code state}, atomically and durably. The JSON is streamed to
     * the file as it is encoded, never built whole in memory (the state of many queued sessions can be
     * large); a failure leaves the previous file as it was.
     */
    public synchronized void save(BrokerState state) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        try {
            Files.deleteIfExists(temp);
            try (FileChannel channel = io.open(
                    temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly())) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
                mapper.writeValue(new NonClosing(out), StateJson.of(state));
                out.flush();
                channel.force(true);
            }
            io.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(dir);
    }

    /** Keeps Jackson from closing the channel before it is forced. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /**
     * The saved state: {@link BrokerState#EMPTY} if there is no file, or if it cannot be read, in
     * which case it is moved aside and a warning logged.
     *
     * @throws IOException if the file exists but cannot be read or moved aside
     */
    public synchronized BrokerState load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return BrokerState.EMPTY;
        }
        try {
            return mapper.readValue(bytes, StateJson.class).toState();
        } catch (JsonProcessingException e) {
            return setAside(e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return setAside(e.getMessage());
        }
    }

    private BrokerState setAside(String reason) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + clock.millis());
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        log.warn(
                "broker state file {} is unreadable ({}); moved it to {} and starting without retained"
                        + " messages or stored sessions",
                file,
                reason,
                aside.getFileName());
        return BrokerState.EMPTY;
    }

    /** Makes the rename durable; not possible on every platform. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("cannot fsync directory {}: {}", dir, e.getMessage());
        }
    }

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        return value;
    }

    // The file format, kept apart from the broker's records so that either can change on its own.

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record StateJson(Integer version, List<MessageJson> retained, List<SessionJson> sessions) {

        static StateJson of(BrokerState state) {
            return new StateJson(
                    VERSION,
                    state.retained().stream().map(MessageJson::of).toList(),
                    state.sessions().stream().map(SessionJson::of).toList());
        }

        BrokerState toState() {
            if (!Integer.valueOf(VERSION).equals(version)) {
                throw new IllegalArgumentException("unsupported version " + version);
            }
            List<BrokerMessage> messages = new ArrayList<>();
            for (MessageJson m : required(retained, "retained")) {
                messages.add(required(m, "retained message").toMessage());
            }
            List<BrokerState.SessionState> states = new ArrayList<>();
            for (SessionJson s : required(sessions, "sessions")) {
                states.add(required(s, "session").toState());
            }
            return new BrokerState(List.copyOf(messages), List.copyOf(states));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record SessionJson(
            String clientId,
            String username,
            Long expirySeconds,
            Long disconnectedAtMillis,
            List<SubscriptionJson> subscriptions,
            List<MessageJson> pending) {

        static SessionJson of(BrokerState.SessionState s) {
            return new SessionJson(
                    s.clientId(),
                    s.username(),
                    s.expirySeconds(),
                    s.disconnectedAtMillis(),
                    s.subscriptions().stream().map(SubscriptionJson::of).toList(),
                    s.pending().stream().map(MessageJson::of).toList());
        }

        BrokerState.SessionState toState() {
            long expiry = required(expirySeconds, "session expiry");
            if (expiry < 0 || expiry > BrokerSession.NEVER_EXPIRES) {
                throw new IllegalArgumentException("session expiry " + expiry + " out of range");
            }
            List<Subscription> subs = new ArrayList<>();
            for (SubscriptionJson s : required(subscriptions, "subscriptions")) {
                subs.add(required(s, "subscription").toSubscription());
            }
            List<BrokerMessage> messages = new ArrayList<>();
            for (MessageJson m : required(pending, "pending")) {
                messages.add(required(m, "pending message").toMessage());
            }
            return new BrokerState.SessionState(
                    required(clientId, "client id"),
                    username,
                    expiry,
                    required(disconnectedAtMillis, "disconnection time"),
                    List.copyOf(subs),
                    List.copyOf(messages));
        }
    }

    /** {@code subscriptionId} is absent for none (and in files written before it existed). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record SubscriptionJson(
            String filter,
            Integer qos,
            Boolean noLocal,
            Boolean retainAsPublished,
            Integer retainHandling,
            Integer subscriptionId) {

        static SubscriptionJson of(Subscription s) {
            return new SubscriptionJson(
                    s.filter(),
                    s.qos(),
                    s.noLocal(),
                    s.retainAsPublished(),
                    s.retainHandling(),
                    s.subscriptionId() == 0 ? null : s.subscriptionId());
        }

        Subscription toSubscription() {
            String problem = filter != null && Topics.isShared(filter)
                    ? Topics.sharedFilterProblem(filter)
                    : Topics.filterProblem(filter);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return new Subscription(
                    filter,
                    required(qos, "subscription qos"),
                    required(noLocal, "no local"),
                    required(retainAsPublished, "retain as published"),
                    required(retainHandling, "retain handling"),
                    subscriptionId == null ? 0 : subscriptionId);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record MessageJson(
            String topic,
            byte[] payload,
            Integer qos,
            Boolean retain,
            Long expiresAtMillis,
            Boolean payloadFormatUtf8,
            String contentType,
            String responseTopic,
            byte[] correlationData,
            List<UserPropertyJson> userProperties,
            List<Integer> subscriptionIds) {

        static MessageJson of(BrokerMessage m) {
            MessageProperties p = m.properties();
            return new MessageJson(
                    m.topic(),
                    m.payload(),
                    m.qos(),
                    m.retain(),
                    m.expiresAtMillis() == BrokerMessage.NEVER ? null : m.expiresAtMillis(),
                    p.payloadFormatUtf8(),
                    p.contentType(),
                    p.responseTopic(),
                    p.correlationData(),
                    p.userProperties().isEmpty()
                            ? null
                            : p.userProperties().stream()
                                    .map(u -> new UserPropertyJson(u.name(), u.value()))
                                    .toList(),
                    m.subscriptionIds().isEmpty() ? null : m.subscriptionIds());
        }

        BrokerMessage toMessage() {
            String problem = Topics.nameProblem(topic);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (subscriptionIds != null) {
                for (Integer id : subscriptionIds) {
                    if (id == null || id < 1 || id > Subscription.MAX_SUBSCRIPTION_ID) {
                        throw new IllegalArgumentException("subscription identifier " + id + " out of range");
                    }
                }
            }
            List<MessageProperties.UserProperty> users = new ArrayList<>();
            if (userProperties != null) {
                for (UserPropertyJson u : userProperties) {
                    required(u, "user property");
                    users.add(new MessageProperties.UserProperty(
                            required(u.name(), "user property name"), required(u.value(), "user property value")));
                }
            }
            MessageProperties properties = payloadFormatUtf8 == null
                            && contentType == null
                            && responseTopic == null
                            && correlationData == null
                            && users.isEmpty()
                    ? MessageProperties.NONE
                    : new MessageProperties(payloadFormatUtf8, contentType, responseTopic, correlationData, users);
            return new BrokerMessage(
                    topic,
                    required(payload, "payload"),
                    required(qos, "qos"),
                    required(retain, "retain"),
                    properties,
                    expiresAtMillis == null ? BrokerMessage.NEVER : expiresAtMillis,
                    subscriptionIds == null ? List.of() : subscriptionIds);
        }
    }

    private record UserPropertyJson(String name, String value) {}
}
