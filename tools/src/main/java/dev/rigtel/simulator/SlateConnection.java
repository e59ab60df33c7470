package dev.rigtel.simulator;

import dev.rigtel.collector.ingest.json.SlateJson;
import dev.rigtel.collector.ingest.json.WireMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated slate app on the network: its own Paho client ({@value #CLIENT_ID}, logged in as
 * the slate user) and the thread that publishes a {@link ShootingDay}'s events on
 * {@value #TOPIC} at QoS 1, each when its time comes. An event whose PUBACK is lost with the
 * connection is sent again, with the same id, after the automatic reconnect.
 */
final class SlateConnection implements MqttCallbackExtended {

    static final String TOPIC = "rigtel/v1/slate";
    static final String CLIENT_ID = "slate-sim";
    private static final Logger log = LoggerFactory.getLogger(SlateConnection.class);
    private static final long POLL_MILLIS = 50;

    private final SimulatorOptions options;
    private final ShootingDay day;
    private final WireMapper wire;
    private final Runnable onProgress;
    private final MqttAsyncClient client;
    private final Object connection = new Object();
    private final IMqttActionListener listener = new PublishListener();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Sent> retries = new ConcurrentLinkedDeque<>();
    private final AtomicInteger unfinished = new AtomicInteger();

    private volatile long limitNanos = Long.MAX_VALUE;
    private volatile boolean scriptComplete;
    private volatile boolean abandoned;
    private Thread sender;

    SlateConnection(SimulatorOptions options, ShootingDay day, WireMapper wire, Runnable onProgress)
            throws MqttException {
        this.options = options;
        this.day = day;
        this.wire = wire;
        this.onProgress = onProgress;
        this.client = new MqttAsyncClient(options.brokerUri(), CLIENT_ID, new MemoryPersistence());
        client.setCallback(this);
    }

    IMqttToken connect() throws MqttException {
        // Every rig is assigned at the same moment: room for all of those in flight at once.
        return client.connect(PahoClients.connectOptions(
                options, options.slateUsername(), options.slatePassword(), options.rigs() + 64));
    }

    /** Starts publishing; elapsed time 0 is {@code startNanos} of {@link System#nanoTime()}. */
    void start(long startNanos, Instant runStart) {
        sender = new Thread(() -> sendLoop(startNanos, runStart), "simulate-slate");
        sender.setDaemon(true);
        sender.start();
    }

    /** Sends no event scheduled at or after {@code elapsedNanos}. */
    void limit(long elapsedNanos) {
        limitNanos = Math.min(limitNanos, elapsedNanos);
        synchronized (connection) {
            connection.notifyAll();
        }
    }

    /** Every event of the script up to the limit has been published at least once. */
    boolean scriptComplete() {
        return scriptComplete;
    }

    /** Events published and not yet acknowledged. */
    int unfinished() {
        return unfinished.get();
    }

    private void sendLoop(long startNanos, Instant runStart) {
        List<ScriptedSlateEvent> events = day.events();
        int next = 0;
        try {
            while (!abandoned) {
                Sent retry = retries.pollFirst();
                if (retry != null) {
                    publish(retry);
                    continue;
                }
                if (next == events.size() || events.get(next).offsetNanos() >= limitNanos) {
                    scriptComplete = true;
                    onProgress.run();
                    waitAWhile(POLL_MILLIS);
                    continue;
                }
                ScriptedSlateEvent event = events.get(next);
                long waitNanos = startNanos + event.offsetNanos() - System.nanoTime();
                if (waitNanos > 0) {
                    waitAWhile(Math.max(1, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(waitNanos))));
                    continue;
                }
                SlateJson json = event.toJson(runStart, options.timecodeRate(), options.timecodeDropFrame());
                Sent message = new Sent(event, json, PayloadEncoding.JSON.encode(wire, json));
                sent.add(message);
                unfinished.incrementAndGet();
                next++;
                if (event.type() == SlateEventType.ASSIGN) {
                    log.debug("slate: assign {} to '{}' at {}", json.rig(), json.person(), json.label());
                } else {
                    log.info("slate: {} of take {} at {}", json.type(), event.dayTake(), json.label());
                }
                publish(message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitAWhile(long millis) throws InterruptedException {
        synchronized (connection) {
            connection.wait(millis);
        }
    }

    private void publish(Sent message) throws InterruptedException {
        synchronized (connection) {
            while (!client.isConnected()) {
                if (abandoned) {
                    retries.addFirst(message);
                    return;
                }
                connection.wait(POLL_MILLIS);
            }
        }
        try {
            MqttMessage mqtt = new MqttMessage(message.payload);
            mqtt.setQos(1);
            client.publish(TOPIC, mqtt, message, listener);
        } catch (MqttException e) {
            // Typically "not connected" in the moment between losing the connection and noticing.
            retries.addFirst(message);
            log.debug("slate: publish of {} failed, will retry: {}", message.json.id(), e.toString());
            waitAWhile(POLL_MILLIS);
        }
    }

    /** Stops sending; what is not acknowledged by now stays so. */
    void abandon() throws InterruptedException {
        abandoned = true;
        synchronized (connection) {
            connection.notifyAll();
        }
        if (sender != null) {
            sender.join(5_000);
        }
    }

    void disconnect() {
        PahoClients.disconnectQuietly(client, "slate", log);
    }

    /** Every event sent, in the order first sent. */
    List<SimulationSummary.SlateEventSummary> summary() {
        List<SimulationSummary.SlateEventSummary> events = new ArrayList<>();
        for (Sent message : sent) {
            events.add(SimulationSummary.SlateEventSummary.of(message.json, message.acked.get()));
        }
        return events;
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        if (reconnect) {
            log.info("slate: reconnected to {}, re-sending {} events", serverUri, retries.size());
        }
        synchronized (connection) {
            connection.notifyAll();
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        log.warn("slate: connection lost, reconnecting: {}", String.valueOf(cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        // The slate app subscribes to nothing.
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // Counted in the action listener of each publish.
    }

    /** An event on its way: encoded once, re-sent as is. */
    private record Sent(ScriptedSlateEvent event, SlateJson json, byte[] payload, AtomicBoolean acked) {
        Sent(ScriptedSlateEvent event, SlateJson json, byte[] payload) {
            this(event, json, payload, new AtomicBoolean());
        }
    }

    /** Runs on Paho's callback thread. */
    private final class PublishListener implements IMqttActionListener {

        @Override
        public void onSuccess(IMqttToken token) {
            Sent message = (Sent) token.getUserContext();
            if (message.acked.compareAndSet(false, true)) {
                unfinished.decrementAndGet();
                onProgress.run();
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            Sent message = (Sent) token.getUserContext();
            if (!message.acked.get()) {
                // With a clean session the broker forgets unacknowledged messages: send it again.
                retries.addLast(message);
            }
            log.debug("slate: {} not acknowledged, queued again: {}", message.json.id(), String.valueOf(exception));
            synchronized (connection) {
                connection.notifyAll();
            }
        }
    }
}
