package dev.rigtel.collector.broker;

import dev.rigtel.collector.metrics.BrokerMeters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One MQTT session (section 4.1): its subscriptions, the messages it has not yet received, the
 * outgoing QoS 1/2 messages awaiting acknowledgement and the incoming QoS 2 packet identifiers
 * awaiting PUBREL. It outlives its network connection when the client asked for a persistent
 * session. Thread-safe: every method holds the session's lock; {@link Broker} takes its own lock
 * first when it needs both.
 */
public final class BrokerSession {

    /** MQTT 5's "never expires" Session Expiry Interval. */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    enum State {
        /** PUBLISH sent, awaiting PUBACK (QoS 1) or PUBREC (QoS 2). */
        SENT,
        /** PUBREC received and PUBREL sent, awaiting PUBCOMP. */
        RELEASED
    }

    static final class Inflight {
        final BrokerMessage message;
        State state = State.SENT;

        Inflight(BrokerMessage message) {
            this.message = message;
        }
    }

    private final String key;
    private final String clientId;
    private final String username;
    private final BrokerOptions options;
    private final BrokerMeters meters;

    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final ArrayDeque<BrokerMessage> queue = new ArrayDeque<>();
    private final LinkedHashMap<Integer, Inflight> inflight = new LinkedHashMap<>();
    private final Set<Integer> incomingQos2 = new HashSet<>();

    /** Bytes of messages queued or awaiting acknowledgement here, and in all sessions together. */
    private long pendingBytes;

    private final java.util.concurrent.atomic.AtomicLong allPendingBytes;

    private Outlet outlet;
    private int sendWindow;
    private int nextPacketId = 1;
    long expirySeconds;
    long disconnectedAtMillis;
    Will will;

    BrokerSession(String key, String clientId, String username, BrokerOptions options, BrokerMeters meters) {
        this(key, clientId, username, options, meters, new java.util.concurrent.atomic.AtomicLong());
    }

    /** @param allPendingBytes the broker's count of pending bytes in all sessions, shared */
    BrokerSession(
            String key,
            String clientId,
            String username,
            BrokerOptions options,
            BrokerMeters meters,
            java.util.concurrent.atomic.AtomicLong allPendingBytes) {
        this.allPendingBytes = allPendingBytes;
        this.key = key;
        this.clientId = clientId;
        this.username = username;
        this.options = options;
        this.meters = meters;
    }

    /** The broker's key: username and client id, so one user can never take over another's session. */
    public String key() {
        return key;
    }

    public String clientId() {
        return clientId;
    }

    /** The authenticated username, or null for an anonymous client. */
    public String username() {
        return username;
    }

    public synchronized boolean online() {
        return outlet != null;
    }

    synchronized Outlet outlet() {
        return outlet;
    }

    /**
     * A connection takes this session: first the unacknowledged messages again, in their order, with
     * DUP (section 4.4), then what was queued.
     *
     * @param receiveMaximum the most unacknowledged QoS 1/2 messages the client accepts
     */
    synchronized void attach(Outlet newOutlet, int receiveMaximum, long nowMillis) {
        this.outlet = newOutlet;
        this.sendWindow = Math.max(1, Math.min(receiveMaximum, options.maxInflight()));
        for (Map.Entry<Integer, Inflight> e : inflight.entrySet()) {
            if (e.getValue().state == State.SENT) {
                newOutlet.publish(e.getKey(), e.getValue().message, true);
            } else {
                newOutlet.pubrel(e.getKey());
            }
        }
        drain(nowMillis);
    }

    /**
     * True if a message at this QoS would go out at once: online, and a free place in the in-flight
     * window (QoS 1/2) or a writable socket (QoS 0). Shared subscriptions prefer such members.
     */
    synchronized boolean hasRoom(int qos) {
        if (outlet == null) {
            return false;
        }
        return qos == 0 ? outlet.writable() : queue.isEmpty() && inflight.size() < sendWindow;
    }

    /** Shared subscriptions ({@code $share/...}) this session holds. */
    public synchronized int sharedSubscriptions() {
        int n = 0;
        for (String filter : subscriptions.keySet()) {
            if (Topics.isShared(filter)) {
                n++;
            }
        }
        return n;
    }

    /** True if this session already has a subscription with exactly this filter. */
    public synchronized boolean subscribed(String filter) {
        return subscriptions.containsKey(filter);
    }

    synchronized void detach(long nowMillis) {
        outlet = null;
        disconnectedAtMillis = nowMillis;
    }

    /** Delivers or queues one message already cut to the subscription's QoS. */
    synchronized void offer(BrokerMessage message, long nowMillis) {
        if (message.qos() == 0) {
            // Section 3.1.2.4: QoS 0 messages need not be kept for offline clients; a client whose
            // socket is backed up loses them too, rather than the collector's heap growing.
            if (outlet == null) {
                meters.dropped("offline-qos0");
            } else if (!outlet.writable()) {
                meters.dropped("slow-subscriber");
            } else if (tooLarge(message)) {
                meters.dropped("too-large");
            } else {
                outlet.publish(0, message, false);
                meters.delivered(0);
            }
            return;
        }
        long size = bytes(message);
        // Bounded by count and by bytes, here and in all sessions: a client that subscribes to much
        // and never reads (or never comes back) cannot grow the heap or the state file.
        while (!queue.isEmpty()
                && (queue.size() >= options.maxQueuedMessages() || pendingBytes + size > options.maxQueuedBytes())) {
            release(queue.pollFirst());
            meters.dropped("queue-full");
        }
        if (pendingBytes + size > options.maxQueuedBytes()) {
            meters.dropped("queue-full"); // what awaits acknowledgement fills it alone
            return;
        }
        if (allPendingBytes.get() + size > options.maxQueuedBytesTotal()) {
            meters.dropped("broker-full");
            return;
        }
        hold(message);
        queue.addLast(message);
        drain(nowMillis);
    }

    /** What a pending message counts against the limits: its payload, topic and properties. */
    static long bytes(BrokerMessage message) {
        return estimatedPacketBytes(message);
    }

    private void hold(BrokerMessage message) {
        long size = bytes(message);
        pendingBytes += size;
        allPendingBytes.addAndGet(size);
    }

    private void release(BrokerMessage message) {
        long size = bytes(message);
        pendingBytes -= size;
        allPendingBytes.addAndGet(-size);
    }

    /** Lets go of every pending message's bytes: the session ends. */
    synchronized void releaseAll() {
        allPendingBytes.addAndGet(-pendingBytes);
        pendingBytes = 0;
    }

    /** Bytes of messages queued here or awaiting acknowledgement. */
    synchronized long pendingBytes() {
        return pendingBytes;
    }

    /** PUBACK for an outgoing QoS 1 message; false if no such message was awaiting it. */
    public synchronized boolean acknowledged(int packetId, long nowMillis) {
        Inflight f = inflight.get(packetId);
        if (f == null || f.message.qos() != 1) {
            return false;
        }
        inflight.remove(packetId);
        release(f.message);
        drain(nowMillis);
        return true;
    }

    /** PUBREC for an outgoing QoS 2 message: sends PUBREL; false if no such message was awaiting it. */
    public synchronized boolean received(int packetId) {
        Inflight f = inflight.get(packetId);
        if (f == null || f.message.qos() != 2) {
            return false;
        }
        f.state = State.RELEASED;
        if (outlet != null) {
            outlet.pubrel(packetId);
        }
        return true;
    }

    /** PUBCOMP for an outgoing QoS 2 message; false if no such message was awaiting it. */
    public synchronized boolean completed(int packetId, long nowMillis) {
        Inflight f = inflight.get(packetId);
        if (f == null || f.state != State.RELEASED) {
            return false;
        }
        inflight.remove(packetId);
        release(f.message);
        drain(nowMillis);
        return true;
    }

    /**
     * An incoming QoS 2 PUBLISH: true the first time this packet identifier arrives, false for a
     * redelivery before PUBREL, which must not be processed again (section 4.3.3, method B).
     */
    public synchronized boolean firstDelivery(int packetId) {
        return incomingQos2.add(packetId);
    }

    /** PUBREL for an incoming QoS 2 message; false if the identifier was unknown. */
    public synchronized boolean released(int packetId) {
        return incomingQos2.remove(packetId);
    }

    /** Incoming QoS 2 messages awaiting PUBREL (they count against our Receive Maximum). */
    public synchronized int awaitingRelease() {
        return incomingQos2.size();
    }

    private void drain(long nowMillis) {
        while (outlet != null && inflight.size() < sendWindow && !queue.isEmpty()) {
            BrokerMessage next = queue.pollFirst();
            if (next.expired(nowMillis)) {
                release(next);
                meters.dropped("expired");
                continue;
            }
            if (tooLarge(next)) {
                release(next);
                meters.dropped("too-large");
                continue;
            }
            int packetId = nextPacketId();
            inflight.put(packetId, new Inflight(next));
            outlet.publish(packetId, next, false);
            meters.delivered(next.qos());
        }
    }

    private int nextPacketId() {
        while (true) {
            int id = nextPacketId;
            nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
            if (!inflight.containsKey(id)) {
                return id;
            }
        }
    }

    /** MQTT 5 section 3.1.2.11.4: a message too large for the client is discarded, not sent. */
    private boolean tooLarge(BrokerMessage message) {
        long limit = outlet.maximumPacketBytes();
        if (limit == Long.MAX_VALUE) {
            return false;
        }
        return estimatedPacketBytes(message) > limit;
    }

    /** An upper bound of the PUBLISH packet's size: fixed header, topic, packet id and properties. */
    static long estimatedPacketBytes(BrokerMessage m) {
        MessageProperties p = m.properties();
        long size = 5 + 2 + m.topic().getBytes(StandardCharsets.UTF_8).length + 2 + m.payload().length;
        size += 5 + 2 + 5 + 3; // property length, payload format, message expiry, topic alias
        size += 5L * m.subscriptionIds().size(); // each a property byte and a Variable Byte Integer
        if (p.contentType() != null) {
            size += 3 + p.contentType().getBytes(StandardCharsets.UTF_8).length;
        }
        if (p.responseTopic() != null) {
            size += 3 + p.responseTopic().getBytes(StandardCharsets.UTF_8).length;
        }
        if (p.correlationData() != null) {
            size += 3 + p.correlationData().length;
        }
        for (MessageProperties.UserProperty u : p.userProperties()) {
            size += 5
                    + u.name().getBytes(StandardCharsets.UTF_8).length
                    + u.value().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }

    /** Drops queued messages whose MQTT 5 expiry passed (section 3.3.2.3.3); returns how many. */
    synchronized int purgeExpired(long nowMillis) {
        int purged = 0;
        for (Iterator<BrokerMessage> it = queue.iterator(); it.hasNext(); ) {
            BrokerMessage m = it.next();
            if (m.expired(nowMillis)) {
                it.remove();
                release(m);
                purged++;
            }
        }
        for (int i = 0; i < purged; i++) {
            meters.dropped("expired");
        }
        return purged;
    }

    synchronized int queued() {
        return queue.size() + inflight.size();
    }

    /** For the state file: queued messages, unacknowledged ones first. */
    synchronized java.util.List<BrokerMessage> pendingMessages() {
        java.util.List<BrokerMessage> all = new java.util.ArrayList<>(inflight.size() + queue.size());
        inflight.values().forEach(f -> all.add(f.message));
        all.addAll(queue);
        return all;
    }

    /** Restores queued messages from the state file; they are sent again as new deliveries. */
    synchronized void restore(java.util.List<BrokerMessage> pending) {
        for (BrokerMessage m : pending) {
            hold(m);
            queue.addLast(m);
        }
    }

    synchronized boolean expiredAt(long nowMillis) {
        return outlet == null
                && expirySeconds != NEVER_EXPIRES
                && nowMillis - disconnectedAtMillis >= expirySeconds * 1000L;
    }
}
