package dev.rigtel.simulator;

import dev.rigtel.collector.ingest.MessageKind;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
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
 * One simulated rig on the network: its Paho client, its backlog of generated messages and the
 * thread that publishes them.
 *
 * <p>Generation ({@link #generateDue}) runs on the simulator's scheduler and never blocks: it adds
 * the messages that are due to a bounded backlog, and when the backlog is full it stops and catches
 * up at a later tick (messages are a function of their index, so nothing is lost, only late).
 * Sending runs on this rig's own thread: it takes a permit of the in-flight window before every
 * publish and the action listener returns it, which keeps Paho's own in-flight limit from ever
 * being hit (error 32202). A message whose publish fails (connection lost) is put back and sent
 * again after the automatic reconnect; counters count each message once.
 */
final class RigConnection implements MqttCallbackExtended {

    private static final Logger log = LoggerFactory.getLogger(RigConnection.class);
    private static final long POLL_MILLIS = 50;

    private final SimulatedRig rig;
    private final SimulatorOptions options;
    private final MqttAsyncClient client;
    private final Semaphore permits;
    private final LinkedBlockingQueue<Pending> backlog;
    /** Messages whose publish failed, sent again before the backlog. */
    private final ConcurrentLinkedDeque<Pending> retries = new ConcurrentLinkedDeque<>();

    private final IMqttActionListener listener = new PublishListener();
    private final Object connection = new Object();
    private final Runnable onProgress;
    private final String commandTopic;
    private final CommandResponder responder;
    private final AtomicLong commandsAnswered = new AtomicLong();

    // Generation cursor, guarded by this.
    private long nextImu;
    private long nextTimecode;
    private long nextStatus;
    private Instant runStart;
    private volatile long generationLimitNanos = Long.MAX_VALUE;
    private volatile boolean generationComplete;

    private volatile boolean abandoned;
    private Thread sender;

    private final AtomicLongArray sent = new AtomicLongArray(MessageKind.values().length);
    private final AtomicLongArray acked = new AtomicLongArray(MessageKind.values().length);
    private final AtomicLong samplesSent = new AtomicLong();
    private final AtomicLong samplesAcked = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong maxBacklog = new AtomicLong();
    private final AtomicLong backlogStalls = new AtomicLong();
    /** Generated and not yet done (acknowledged at QoS 1, written at QoS 0). */
    private final AtomicInteger unfinished = new AtomicInteger();

    // Written by the sender thread only, read after it has been joined.
    private final double[] sums = new double[6];
    private Long firstSampleDeviceNanos;
    private Long lastSampleDeviceNanos;

    RigConnection(SimulatedRig rig, SimulatorOptions options, Runnable onProgress) throws MqttException {
        this.rig = rig;
        this.options = options;
        this.onProgress = onProgress;
        this.permits = new Semaphore(options.maxInflight());
        this.backlog = new LinkedBlockingQueue<>(options.maxBacklogMessages());
        this.client = new MqttAsyncClient(options.brokerUri(), rig.rigId().value(), new MemoryPersistence());
        this.commandTopic = "rigtel/v1/" + rig.rigId().value() + "/command";
        this.responder = new CommandResponder(rig.wire().mapper(), rig, options.sampleRateHz());
        client.setCallback(this);
    }

    SimulatedRig rig() {
        return rig;
    }

    /** Starts connecting; the token completes when CONNACK arrives or the attempt fails. */
    IMqttToken connect() throws MqttException {
        return client.connect(PahoClients.connectOptions(
                options, rig.rigId().value(), options.password(rig.rigNumber()), options.maxInflight() + 16));
    }

    /** Starts the sender thread; elapsed time 0 is {@code runStart} on the wall clock. */
    void start(Instant runStart) {
        synchronized (this) {
            this.runStart = runStart;
        }
        sender = new Thread(this::sendLoop, "simulate-" + rig.rigId().value());
        sender.setDaemon(true);
        sender.start();
    }

    /** Generates nothing due after {@code elapsedNanos} (IMU batches ending exactly then still are). */
    void limitGeneration(long elapsedNanos) {
        generationLimitNanos = Math.min(generationLimitNanos, elapsedNanos);
    }

    /**
     * Adds every message due at {@code nowNanos} (elapsed) and not past the limit to the backlog, in
     * order of due time, until the backlog is full.
     */
    synchronized void generateDue(long nowNanos) {
        long limit = generationLimitNanos;
        while (true) {
            long imuDue = rig.imuBatchDueNanos(nextImu);
            long timecodeDue = rig.timecodeDueNanos(nextTimecode);
            long statusDue = rig.statusDueNanos(nextStatus);
            boolean imuOk = imuDue <= nowNanos && imuDue <= limit;
            boolean timecodeOk = timecodeDue <= nowNanos && timecodeDue < limit;
            boolean statusOk = statusDue <= nowNanos && statusDue < limit;
            if (!imuOk && !timecodeOk && !statusOk) {
                if (imuDue > limit && timecodeDue >= limit && statusDue >= limit) {
                    generationComplete = true;
                }
                return;
            }
            if (backlog.remainingCapacity() == 0) {
                backlogStalls.incrementAndGet();
                return;
            }
            RigMessage message;
            if (statusOk && (!imuOk || statusDue <= imuDue) && (!timecodeOk || statusDue <= timecodeDue)) {
                message = rig.status(nextStatus++);
            } else if (timecodeOk && (!imuOk || timecodeDue <= imuDue)) {
                message = rig.timecodeReport(nextTimecode++, runStart);
            } else {
                message = rig.imuBatch(nextImu++);
            }
            unfinished.incrementAndGet();
            backlog.add(new Pending(message));
            long depth = backlog.size();
            maxBacklog.accumulateAndGet(depth, Math::max);
        }
    }

    boolean generationComplete() {
        return generationComplete;
    }

    /** Generated messages not yet acknowledged (QoS 1) or written (QoS 0). */
    int unfinished() {
        return unfinished.get();
    }

    int backlogSize() {
        return backlog.size() + retries.size();
    }

    long samplesSent() {
        return samplesSent.get();
    }

    long samplesAcked() {
        return samplesAcked.get();
    }

    private void sendLoop() {
        try {
            while (!abandoned) {
                Pending pending = retries.pollFirst();
                if (pending == null) {
                    pending = backlog.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
                if (pending == null) {
                    continue;
                }
                if (!acquirePermit()) {
                    retries.addFirst(pending);
                    return;
                }
                if (!awaitConnected()) {
                    permits.release();
                    retries.addFirst(pending);
                    return;
                }
                publish(pending);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean acquirePermit() throws InterruptedException {
        while (!permits.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (abandoned) {
                return false;
            }
        }
        return true;
    }

    private boolean awaitConnected() throws InterruptedException {
        synchronized (connection) {
            while (!client.isConnected()) {
                if (abandoned) {
                    return false;
                }
                connection.wait(POLL_MILLIS);
            }
        }
        return true;
    }

    private void publish(Pending pending) throws InterruptedException {
        RigMessage message = pending.message;
        try {
            MqttMessage mqtt = new MqttMessage(message.payload());
            mqtt.setQos(options.qos());
            client.publish(message.topic(), mqtt, pending, listener);
        } catch (MqttException e) {
            // Typically "not connected" in the moment between losing the connection and noticing.
            permits.release();
            publishFailures.incrementAndGet();
            retries.addFirst(pending);
            log.debug(
                    "{}: publish of {} {} failed, will retry: {}",
                    rig.rigId(),
                    message.kind(),
                    message.seq(),
                    e.toString());
            synchronized (connection) {
                connection.wait(POLL_MILLIS);
            }
            return;
        }
        if (!pending.published) {
            pending.published = true;
            sent.incrementAndGet(message.kind().ordinal());
            if (message.kind() == MessageKind.IMU) {
                countSent(message);
            }
        }
    }

    private void countSent(RigMessage message) {
        samplesSent.addAndGet(message.sampleCount());
        for (double[] sample : message.samples()) {
            for (int k = 0; k < 6; k++) {
                sums[k] += sample[k];
            }
        }
        if (firstSampleDeviceNanos == null) {
            firstSampleDeviceNanos = message.firstSampleDeviceNanos();
        }
        lastSampleDeviceNanos = message.lastSampleDeviceNanos();
    }

    /** Stops sending (what is left counts as unsent), waits for the sender thread. */
    void abandon() throws InterruptedException {
        abandoned = true;
        if (sender != null) {
            sender.join(5_000);
        }
    }

    /** Disconnects cleanly if connected, then releases the client. */
    void disconnect() {
        PahoClients.disconnectQuietly(client, rig.rigId().value(), log);
    }

    SimulationSummary.RigSummary summary() {
        long unsent =
                backlog.size() + retries.stream().filter(p -> !p.published).count();
        return new SimulationSummary.RigSummary(
                rig.rigId().value(),
                rig.boot(),
                sent.get(MessageKind.IMU.ordinal()),
                samplesSent.get(),
                acked.get(MessageKind.IMU.ordinal()),
                samplesAcked.get(),
                sent.get(MessageKind.TIMECODE.ordinal()),
                acked.get(MessageKind.TIMECODE.ordinal()),
                sent.get(MessageKind.STATUS.ordinal()),
                acked.get(MessageKind.STATUS.ordinal()),
                publishFailures.get(),
                reconnects.get(),
                unsent,
                maxBacklog.get(),
                backlogStalls.get(),
                sums[0],
                sums[1],
                sums[2],
                sums[3],
                sums[4],
                sums[5],
                firstSampleDeviceNanos,
                lastSampleDeviceNanos,
                rig.clockDriftPpm(),
                rig.deviceStartNanos());
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        // A clean session forgets subscriptions, so the command topic is subscribed on every connect.
        try {
            client.subscribe(commandTopic, 1);
        } catch (MqttException e) {
            log.warn("{}: cannot subscribe to {}: {}", rig.rigId(), commandTopic, e.toString());
        }
        if (reconnect) {
            reconnects.incrementAndGet();
            log.info("{}: reconnected to {}, re-sending {} messages", rig.rigId(), serverUri, retries.size());
        }
        synchronized (connection) {
            connection.notifyAll();
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        log.warn("{}: connection lost, reconnecting: {}", rig.rigId(), String.valueOf(cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        if (!topic.equals(commandTopic)) {
            return;
        }
        byte[] result = responder.answer(message.getPayload());
        if (result == null) {
            log.warn("{}: a command without an id on {}, not answered", rig.rigId(), topic);
            return;
        }
        commandsAnswered.incrementAndGet();
        try {
            // Paho's window has 16 slots beyond the telemetry permits: results never wait for them.
            client.publish(commandTopic + "/result", result, 1, false);
        } catch (MqttException e) {
            log.warn("{}: cannot answer a command: {}", rig.rigId(), e.toString());
        }
    }

    /** Commands this rig answered. */
    long commandsAnswered() {
        return commandsAnswered.get();
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // Counted in the action listener of each publish.
    }

    /** A generated message on its way; {@code published} is touched by the sender thread only. */
    private static final class Pending {
        final RigMessage message;
        final AtomicBoolean done = new AtomicBoolean();
        boolean published;

        Pending(RigMessage message) {
            this.message = message;
        }
    }

    /** Runs on Paho's callback thread: PUBACK received (QoS 1), written (QoS 0), or failed. */
    private final class PublishListener implements IMqttActionListener {

        @Override
        public void onSuccess(IMqttToken token) {
            permits.release();
            Pending pending = (Pending) token.getUserContext();
            if (!pending.done.compareAndSet(false, true)) {
                return;
            }
            if (options.qos() == 1) {
                acked.incrementAndGet(pending.message.kind().ordinal());
                samplesAcked.addAndGet(pending.message.sampleCount());
            }
            unfinished.decrementAndGet();
            onProgress.run();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            permits.release();
            publishFailures.incrementAndGet();
            Pending pending = (Pending) token.getUserContext();
            if (!pending.done.get()) {
                // With a clean session the broker forgets unacknowledged messages: send it again.
                retries.addLast(pending);
            }
            log.debug(
                    "{}: {} {} not acknowledged, queued again: {}",
                    rig.rigId(),
                    pending.message.kind(),
                    pending.message.seq(),
                    String.valueOf(exception));
            onProgress.run();
        }
    }
}
