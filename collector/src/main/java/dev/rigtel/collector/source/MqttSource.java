package dev.rigtel.collector.source;

import dev.rigtel.collector.ingest.IngestResult;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.Publisher;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.RigTopic;
import dev.rigtel.collector.metrics.SourceMeters;
import dev.rigtel.common.log.RateLimitedLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer mode: the rigs publish to an external MQTT broker and the collector subscribes there,
 * with a Paho MQTT 5 client, at QoS 1 in a persistent session (clean start false, a long session
 * expiry). A message is acknowledged to the broker only once the spool made it durable, so a
 * collector killed at any moment loses nothing: the broker sends again what it did not acknowledge.
 *
 * <p>The rig's identity is the topic's rig level: the broker's ACL is the gatekeeper (collector
 * README, "Consumer mode"). Nothing blocks Paho's callback thread: {@link IngestService#accept} only
 * queues. Back-pressure: Paho v5 cannot pause reading, so while the write buffer is over capacity
 * the acknowledgements wait, and the Receive Maximum the collector announces (MQTT 5 section
 * 3.1.2.11.3) stops the broker once that many messages are unacknowledged.
 */
public final class MqttSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttSource.class);

    /** What the collector subscribes to, all at QoS 1. */
    static final String[] FILTERS = {
        "rigtel/v1/+/imu", "rigtel/v1/+/timecode", "rigtel/v1/+/status", IngestService.SLATE_TOPIC
    };

    /** Slate events come from whoever the broker lets publish on the slate topic. */
    private static final Publisher SLATE = new Publisher(new RigId("slate"), false, true);

    /**
     * One MQTT session as {@link ClusterSource} uses it (a partition's or a member's control
     * session): its client id, what it subscribes to, its will, and who hears what it does.
     *
     * @param willTopic null for none; else a retained empty will on it, will delay 0
     * @param automaticReconnect false when the owner decides when to connect again (partitions)
     */
    record Session(
            String clientId,
            Supplier<List<MqttSubscription>> filters,
            boolean automaticReconnect,
            int keepAliveSeconds,
            String willTopic,
            Listener listener,
            boolean cleanStart) {}

    /** What a {@link Session}'s owner hears. Called on Paho's threads: nothing may block. */
    interface Listener {
        /** Connected (again) and about to subscribe. */
        default void connected(boolean reconnect) {}

        /** The connection is gone; {@code reasonCode} from the server's DISCONNECT, -1 for none. */
        default void lost(int reasonCode) {}

        /** A message that is not for the intake (membership, discovery); true if handled. */
        default boolean other(String topic, MqttMessage message) {
            return false;
        }
    }

    private static final Listener NO_LISTENER = new Listener() {};

    private final SourceOptions options;
    private final String clientId;
    private final Supplier<List<MqttSubscription>> filters;
    private final Listener listener;
    private final boolean automaticReconnect;
    private final Clock clock;
    /** When the connection was last lost, 0 while connected. */
    private volatile long lostAtMillis;

    private final IngestService ingest;
    private final SourceMeters meters;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions connectOptions;
    private final ScheduledExecutorService checks;
    private final RateLimitedLog rejections;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicBoolean connecting = new AtomicBoolean();
    /** Counts connection attempts: the answer to an abandoned one must not end the next. */
    private final AtomicInteger attempt = new AtomicInteger();
    /** When the attempt under way started ({@link #clock} millis). */
    private volatile long connectStartedMillis;

    private final AtomicBoolean connectedOnce = new AtomicBoolean();
    private final AtomicBoolean waitingToAck = new AtomicBoolean();
    /** While handing the session over: new messages are left unacknowledged for the next owner. */
    private volatile boolean leaving;
    /** Messages taken into the intake and not yet acknowledged (or lost). */
    private final AtomicInteger pending = new AtomicInteger();
    /**
     * Counts connections: an acknowledgement made durable after its connection was lost is not
     * sent on the next one, whose packet ids mean other messages; the broker redelivers it there.
     */
    private final AtomicInteger connection = new AtomicInteger();

    private final Queue<PendingAck> deferred = new ConcurrentLinkedQueue<>();

    private record PendingAck(int connection, int id, int qos) {}

    private MqttSource(SourceOptions options, IngestService ingest, SourceMeters meters, Clock clock)
            throws IOException {
        this(options, plainSession(options), ingest, meters, clock);
    }

    private static Session plainSession(SourceOptions options) {
        List<MqttSubscription> all = new java.util.ArrayList<>();
        for (String filter : FILTERS) {
            all.add(new MqttSubscription(filter, 1));
        }
        List<MqttSubscription> fixed = List.copyOf(all);
        return new Session(options.clientId(), () -> fixed, true, 30, null, NO_LISTENER, false);
    }

    /** A session of cluster mode; not connected until {@link #connect} (or {@link #startChecks}). */
    MqttSource(SourceOptions options, Session session, IngestService ingest, SourceMeters meters, Clock clock)
            throws IOException {
        this.options = options;
        this.clientId = session.clientId();
        this.filters = session.filters();
        this.listener = session.listener();
        this.automaticReconnect = session.automaticReconnect();
        this.clock = clock;
        this.ingest = ingest;
        this.meters = meters;
        this.rejections = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
        try {
            this.client = new MqttAsyncClient(options.pahoUri(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IOException("cannot use the MQTT source " + options.uri() + ": " + e.getMessage(), e);
        }
        connectOptions = new MqttConnectionOptions();
        connectOptions.setCleanStart(session.cleanStart());
        connectOptions.setSessionExpiryInterval(
                session.cleanStart() ? 0L : options.sessionExpiry().toSeconds());
        connectOptions.setReceiveMaximum(options.receiveMaximum());
        connectOptions.setAutomaticReconnect(session.automaticReconnect());
        connectOptions.setAutomaticReconnectDelay(1, 10);
        connectOptions.setKeepAliveInterval(session.keepAliveSeconds());
        if (session.willTopic() != null) {
            // Retained and empty: it clears the member's retained message the moment the broker
            // sees the connection die (will delay 0, MQTT 5 section 3.1.3.2.2).
            connectOptions.setWill(session.willTopic(), new MqttMessage(new byte[0], 1, true, new MqttProperties()));
        }
        connectOptions.setConnectionTimeout(10);
        if (!options.username().isEmpty()) {
            connectOptions.setUserName(options.username());
        }
        if (!options.password().isEmpty()) {
            connectOptions.setPassword(options.password().getBytes(StandardCharsets.UTF_8));
        }
        if (options.tls()) {
            connectOptions.setSocketFactory(tlsContext(options).getSocketFactory());
        }
        client.setManualAcks(true);
        client.setCallback(new Callback());
        checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rigtel-source");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects (and keeps connecting until the broker answers), subscribes and consumes until
     * closed. Returns at once: a broker that is away makes /health DEGRADED, not the start fail.
     */
    public static MqttSource start(SourceOptions options, IngestService ingest, SourceMeters meters, Clock clock)
            throws IOException {
        MqttSource source = new MqttSource(options, ingest, meters, clock);
        log.info(
                "consumer mode: subscribing on {} as client id {} (persistent session, expiry {})",
                options.uri(),
                options.clientId(),
                options.sessionExpiry());
        source.startChecks();
        return source;
    }

    /** Connects, and keeps the connection and its subscriptions, from now on (Paho reconnects). */
    void startChecks() {
        checks.scheduleWithFixedDelay(this::check, 0, 2, TimeUnit.SECONDS);
    }

    /** One connection attempt for a session without automatic reconnect; no-op while one is under way. */
    void connect() {
        abandonIfUnanswered();
        if (client.isConnected() || !connecting.compareAndSet(false, true)) {
            return;
        }
        leaving = false;
        startConnect(false);
    }

    /**
     * Starts a connection attempt; {@link #connecting} is set. Only this attempt's answer clears it:
     * an attempt given up by {@link #abandonIfUnanswered} may still answer later.
     */
    private void startConnect(boolean warn) {
        int mine = attempt.incrementAndGet();
        connectStartedMillis = clock.millis();
        try {
            client.connect(connectOptions, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    if (attempt.get() == mine) {
                        connecting.set(false);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    if (attempt.get() == mine) {
                        connecting.set(false);
                    }
                    cannotConnect(warn, e);
                }
            });
        } catch (MqttException | RuntimeException e) {
            connecting.set(false);
            cannotConnect(warn, e);
        }
    }

    private void cannotConnect(boolean warn, Throwable e) {
        if (warn) {
            log.warn("cannot connect to the MQTT source {}: {}", options.uri(), e.toString());
        } else {
            log.debug("cannot connect {} to the MQTT source {}: {}", clientId, options.uri(), e.toString());
        }
    }

    /**
     * Gives up a connection attempt that has had no answer for {@link #CONNECT_ANSWER_MILLIS}, so the
     * next one can start. Paho (1.2.5) waits for the CONNACK for ever: its connection timeout covers
     * only the TCP connect, and an attempt that never hears back calls neither of its listener's
     * methods and refuses every later connect as "in progress". A broker that accepted the socket
     * and never answered (overloaded, stopped, or a half-open connection) would otherwise keep the
     * source away, /health DEGRADED, until the collector is restarted.
     */
    private void abandonIfUnanswered() {
        if (!connecting.get()
                || client.isConnected()
                || clock.millis() - connectStartedMillis < CONNECT_ANSWER_MILLIS) {
            return;
        }
        log.warn(
                "{}: no answer from the MQTT source {} to CONNECT within {} s; connecting again",
                clientId,
                options.uri(),
                CONNECT_ANSWER_MILLIS / 1000);
        attempt.incrementAndGet();
        try {
            // Closes the socket and puts Paho's client back to disconnected, so it connects again.
            client.disconnectForcibly(0, 1_000, false);
        } catch (MqttException | RuntimeException e) {
            log.debug("abandoning the connection attempt of {}: {}", clientId, e.toString());
        }
        connecting.set(false);
    }

    /**
     * How long a connection attempt may wait for the broker's CONNACK: twice Paho's connection
     * timeout (10 s, the TCP connect), so a slow broker still answers in time.
     */
    static final long CONNECT_ANSWER_MILLIS = 20_000;

    /**
     * True while a connection attempt is under way or the client is connected. An attempt without
     * an answer for {@link #CONNECT_ANSWER_MILLIS} is given up first, so the owner connects again.
     */
    boolean connectingOrConnected() {
        abandonIfUnanswered();
        return connecting.get() || client.isConnected();
    }

    /** From now on new messages stay unacknowledged, for the session's next owner. */
    void leave() {
        leaving = true;
    }

    /** Takes new messages into the intake again: the session was taken back before it was handed over. */
    void stay() {
        leaving = false;
    }

    /** Messages in the intake not acknowledged yet. */
    int pending() {
        return pending.get();
    }

    /** Ends the connection normally and keeps the session on the broker (its expiry is unchanged). */
    void disconnect() {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(3_000);
            }
        } catch (MqttException | RuntimeException e) {
            log.debug("disconnecting {}: {}", clientId, e.toString());
        }
    }

    /** Publishes a retained message at QoS 1 on this session's connection. */
    void publishRetained(String topic, byte[] payload) {
        try {
            client.publish(topic, new MqttMessage(payload, 1, true, new MqttProperties()));
        } catch (MqttException | RuntimeException e) {
            log.warn("cannot publish on {} to the MQTT source {}: {}", topic, options.uri(), e.toString());
        }
    }

    /** Subscribes more topic filters on the live connection (they stay in the persistent session). */
    void subscribeMore(List<MqttSubscription> more) {
        if (more.isEmpty() || !client.isConnected()) {
            return;
        }
        try {
            client.subscribe(more.toArray(new MqttSubscription[0]));
        } catch (MqttException | RuntimeException e) {
            // The next connection subscribes everything again.
            log.warn("cannot subscribe {} on the MQTT source {}: {}", clientId, options.uri(), e.toString());
        }
    }

    /** True while connected and subscribed: messages flow. */
    public boolean connected() {
        return subscribed.get() && client.isConnected();
    }

    /**
     * The first connection, until one works (Paho's automatic reconnect covers only connections
     * once made); then the check that the subscription is in place after every reconnect.
     */
    private void check() {
        try {
            if (!connectedOnce.get()) {
                abandonIfUnanswered();
                if (!client.isConnected() && connecting.compareAndSet(false, true)) {
                    startConnect(true);
                }
            } else if (client.isConnected() && !subscribed.get()) {
                subscribe();
            } else if (automaticReconnect
                    && !client.isConnected()
                    && lostAtMillis > 0
                    && clock.millis() - lostAtMillis > GIVEN_UP_MILLIS) {
                // Paho stops reconnecting after some server DISCONNECTs (seen with 0x82 from
                // Mosquitto right after a broker restart): the consumer must not stop silently.
                lostAtMillis = clock.millis();
                log.warn("{}: still away from the MQTT source {}; connecting again", clientId, options.uri());
                try {
                    client.reconnect();
                } catch (MqttException e) {
                    if (e.getReasonCode() != MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS) {
                        throw e;
                    }
                    // Paho's own attempt has had no CONNACK for this long, and it would wait for ever
                    // (see abandonIfUnanswered): end it and connect again.
                    client.disconnectForcibly(0, 1_000, false);
                    client.reconnect();
                }
            }
        } catch (MqttException | RuntimeException e) {
            connecting.set(false);
            log.warn("MQTT source {}: {}", options.uri(), e.toString());
        }
    }

    /** Away this long (beyond Paho's longest reconnect delay, 10 s), the check connects by itself. */
    static final long GIVEN_UP_MILLIS = 15_000;

    private void subscribe() {
        MqttSubscription[] subscriptions = filters.get().toArray(new MqttSubscription[0]);
        if (subscriptions.length == 0) {
            subscribed.set(true);
            return;
        }
        try {
            client.subscribe(
                    subscriptions,
                    null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            int[] codes = token.getReasonCodes();
                            for (int code : codes == null ? new int[0] : codes) {
                                if (code >= 0x80) {
                                    log.error(
                                            "the MQTT source {} refused a subscription (reason code 0x{}): check its ACL",
                                            options.uri(),
                                            Integer.toHexString(code));
                                    return;
                                }
                            }
                            subscribed.set(true);
                            log.info(
                                    "{} subscribed on {} to {} topic filters",
                                    clientId,
                                    options.uri(),
                                    subscriptions.length);
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            log.warn("cannot subscribe on the MQTT source {}: {}", options.uri(), e.toString());
                        }
                    },
                    new MqttProperties());
        } catch (MqttException e) {
            log.warn("cannot subscribe on the MQTT source {}: {}", options.uri(), e.toString());
        }
    }

    private void arrived(String topic, MqttMessage message) {
        int id = message.getId();
        int qos = message.getQos();
        int conn = connection.get();
        if (listener.other(topic, message)) {
            send(new PendingAck(conn, id, qos));
            return;
        }
        if (leaving) {
            // Handing over: the next owner gets it from the session.
            return;
        }
        if (message.isDuplicate()) {
            meters.redelivered();
        }
        Publisher publisher = publisher(topic);
        if (publisher == null) {
            reject(conn, id, qos, topic, "not a rig topic with a valid rig id");
            return;
        }
        pending.incrementAndGet();
        IngestResult result = ingest.accept(
                publisher,
                topic,
                message.getPayload(),
                () -> {
                    meters.message("stored");
                    ack(conn, id, qos);
                },
                () -> {
                    // Not durable (a disk fault): unacknowledged, the broker sends it again after the
                    // next reconnect.
                    meters.message("lost");
                    pending.decrementAndGet();
                });
        if (result instanceof IngestResult.Rejected rejected) {
            pending.decrementAndGet();
            reject(conn, id, qos, topic, rejected.reason().tag() + ": " + rejected.message());
        }
    }

    /** A refused message is acknowledged: the broker would send it again and again, refused each time. */
    private void reject(int conn, int id, int qos, String topic, String why) {
        meters.message("rejected");
        rejections.warn("source-rejected", "refused a message on {} from the MQTT source: {}", topic, why);
        send(new PendingAck(conn, id, qos));
    }

    /** The publisher a topic names: the broker's ACL made sure only that rig could publish there. */
    static Publisher publisher(String topic) {
        if (IngestService.SLATE_TOPIC.equals(topic)) {
            return SLATE;
        }
        Optional<RigTopic> parsed = RigTopic.parse(topic);
        if (parsed.isEmpty() || RigId.problem(parsed.get().rigLevel()) != null) {
            return null;
        }
        return new Publisher(new RigId(parsed.get().rigLevel()), true, false);
    }

    /** Runs on the spool's thread once the message is durable; waits while the buffer is over capacity. */
    private void ack(int conn, int id, int qos) {
        pending.decrementAndGet();
        if (ingest.overCapacity() || !deferred.isEmpty()) {
            deferred.add(new PendingAck(conn, id, qos));
            if (waitingToAck.compareAndSet(false, true)) {
                ingest.whenReadyToRead(this::drain);
            }
            return;
        }
        send(new PendingAck(conn, id, qos));
    }

    private void drain() {
        waitingToAck.set(false);
        PendingAck next;
        while ((next = deferred.poll()) != null) {
            send(next);
        }
    }

    private void send(PendingAck ack) {
        if (ack.qos() == 0 || ack.connection() != connection.get()) {
            return;
        }
        try {
            client.messageArrivedComplete(ack.id(), ack.qos());
        } catch (MqttException | RuntimeException e) {
            log.debug("acknowledgement {} not sent ({}); the broker sends the message again", ack.id(), e.toString());
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            connection.incrementAndGet();
            connectedOnce.set(true);
            lostAtMillis = 0;
            subscribed.set(false);
            if (reconnect) {
                meters.reconnected();
                log.info("{} reconnected to the MQTT source {}", clientId, serverUri);
            } else {
                log.info("{} connected to the MQTT source {}", clientId, serverUri);
            }
            listener.connected(reconnect);
            // The persistent session normally keeps the subscriptions; subscribing again costs one
            // packet and covers a broker that lost its sessions.
            subscribe();
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            subscribed.set(false);
            lostAtMillis = clock.millis();
            int reason = response.getException() == null ? response.getReturnCode() : -1;
            log.warn(
                    "{} lost the MQTT source {}: {}{}",
                    clientId,
                    options.uri(),
                    response.getException() == null
                            ? "DISCONNECT reason 0x" + Integer.toHexString(reason) + " " + response.getReasonString()
                            : response.getException(),
                    listener == NO_LISTENER ? "; reconnecting, /health is DEGRADED meanwhile" : "");
            listener.lost(reason);
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            log.warn("MQTT source {}: {}", options.uri(), e.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                arrived(topic, message);
            } catch (RuntimeException e) {
                // Left unacknowledged: the broker sends it again on the next connection.
                log.error("message on {} from the MQTT source failed", topic, e);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }

    private static SSLContext tlsContext(SourceOptions options) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (options.caFile() == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (InputStream in = Files.newInputStream(options.caFile())) {
                    int n = 0;
                    for (Certificate cert :
                            CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("ca-" + n++, cert);
                    }
                }
                trust.init(store);
            }
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use --source-ca-file " + options.caFile() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            log.debug("disconnecting from the MQTT source: {}", e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            log.debug("closing the MQTT source client: {}", e.toString());
        }
    }
}
