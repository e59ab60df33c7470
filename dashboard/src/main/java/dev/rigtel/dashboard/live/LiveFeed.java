package dev.rigtel.dashboard.live;

import dev.rigtel.dashboard.metrics.DashboardMeters;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's MQTT 5 subscription to the collector's live topics ({@code rigtel/v1/live/#},
 * QoS 1), handing every message to the {@link LiveHub} on Paho's callback thread, with its URL as
 * the message's source. A dashboard that follows several collectors opens one per collector, each
 * with its own connection, retries and client id.
 *
 * <p>Paho's asynchronous client, with a clean start on every connection: the retained states and
 * takes come again after each reconnect, which is all a fresh snapshot needs. Paho reconnects by
 * itself (1 s, doubling to 30 s) once a first connection succeeded; until then this class retries
 * with the same back-off, so the dashboard may start before the collector. The dashboard never
 * publishes, so the in-flight limit that matters is the inbound one: a Receive Maximum of
 * {@value #RECEIVE_MAXIMUM} unacknowledged QoS 1 messages (MQTT 5 section 3.1.2.11.3), which
 * the collector honours; each is acknowledged as soon as the hub has queued it.
 */
public final class LiveFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    static final int RECEIVE_MAXIMUM = 64;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final String serverUri;
    private final String username;
    private final String password;
    private final LiveHub hub;
    private final DashboardMeters meters;
    private final MqttAsyncClient client;
    private final ScheduledExecutorService retries;
    private volatile boolean closed;
    private volatile boolean everConnected;
    private Duration nextRetry = FIRST_RETRY;

    private LiveFeed(String serverUri, String username, String password, LiveHub hub, DashboardMeters meters)
            throws MqttException {
        this.serverUri = serverUri;
        this.username = username;
        this.password = password;
        this.hub = hub;
        this.meters = meters;
        byte[] nonce = new byte[4];
        new SecureRandom().nextBytes(nonce);
        this.client = new MqttAsyncClient(
                serverUri, "rigtel-dashboard-" + HexFormat.of().formatHex(nonce), new MemoryPersistence());
        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "live-feed-connect");
            thread.setDaemon(true);
            return thread;
        });
        client.setCallback(new Callback());
    }

    /**
     * Starts connecting in the background and returns at once; the hub hears when the feed is up.
     *
     * @param serverUri {@code tcp://host:1883} or {@code ssl://host:8883}
     * @param username a collector user that may read {@code rigtel/v1/live/#} (slate, viewer or admin); empty for none
     */
    public static LiveFeed open(String serverUri, String username, String password, LiveHub hub, DashboardMeters meters)
            throws MqttException {
        LiveFeed feed = new LiveFeed(serverUri, username, password, hub, meters);
        hub.addFeed(serverUri);
        feed.connect();
        return feed;
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        if (!username.isEmpty()) {
            options.setUserName(username);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay((int) FIRST_RETRY.toSeconds(), (int) MAX_RETRY.toSeconds());
        options.setReceiveMaximum(RECEIVE_MAXIMUM);
        return options;
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            client.connect(options(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    nextRetry = FIRST_RETRY;
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    meters.feedConnect("failed");
                    retryLater(failure);
                }
            });
        } catch (MqttException e) {
            meters.feedConnect("failed");
            retryLater(e);
        }
    }

    private void retryLater(Throwable failure) {
        if (closed || everConnected) {
            return;
        }
        Duration wait = nextRetry;
        nextRetry = nextRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextRetry.multipliedBy(2);
        log.warn(
                "cannot connect to the collector's MQTT at {} ({}); retrying in {} s",
                serverUri,
                failure,
                wait.toSeconds());
        retries.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void subscribe() {
        try {
            client.subscribe(LiveTopic.FILTER, 1, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        log.error(
                                "the collector refused the subscription to {} (reason 0x{}): the dashboard's"
                                        + " collector user needs role slate, viewer or admin",
                                LiveTopic.FILTER,
                                Integer.toHexString(codes[0]));
                        return;
                    }
                    log.info("following {} on {}", LiveTopic.FILTER, serverUri);
                    hub.feedConnected(serverUri, true);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    log.warn("subscribing to {} failed: {}", LiveTopic.FILTER, failure.toString());
                }
            });
        } catch (MqttException e) {
            log.warn("subscribing to {} failed: {}", LiveTopic.FILTER, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            log.debug("disconnect from the collector's MQTT: {}", e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            log.debug("closing the MQTT client: {}", e.toString());
        }
        hub.feedConnected(serverUri, false);
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String uri) {
            everConnected = true;
            meters.feedConnect("ok");
            log.info("{} the collector's MQTT at {}", reconnect ? "reconnected to" : "connected to", uri);
            // A clean start has no subscriptions: subscribe on every (re)connection.
            subscribe();
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            hub.feedConnected(serverUri, false);
            if (!closed) {
                log.warn(
                        "lost the collector's MQTT connection ({}); reconnecting",
                        response.getException() != null
                                ? response.getException().toString()
                                : response.getReasonString());
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            log.warn("MQTT error from the collector: {}", exception.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            hub.accept(serverUri, topic, message.getPayload());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // The dashboard publishes nothing.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication (the collector offers none).
        }
    }
}
