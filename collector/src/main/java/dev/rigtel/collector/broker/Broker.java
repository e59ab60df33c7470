package dev.rigtel.collector.broker;

import dev.rigtel.collector.metrics.BrokerMeters;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The publish/subscribe core: sessions by client, the subscription index, retained messages and
 * delayed wills. Transport-independent and thread-safe; every structural change holds the broker's
 * lock, which is only ever held for in-memory work, so event loops never wait on I/O here.
 * Topic rights are checked by the caller before it subscribes or publishes.
 */
public final class Broker {

    /** What {@link #attach} decided. */
    public record Attached(BrokerSession session, boolean sessionPresent, long grantedExpirySeconds) {}

    /**
     * A connecting client's wishes.
     *
     * @param username the authenticated username, or null for anonymous
     * @param cleanStart CleanSession (3.1.1) or Clean Start (MQTT 5)
     * @param expirySeconds the Session Expiry Interval: 0 ends the session with the connection,
     *     {@link BrokerSession#NEVER_EXPIRES} never (both are cut to the broker's longest)
     * @param receiveMaximum the client's Receive Maximum (65535 when it sent none)
     * @param will its Last Will, or null
     */
    public record ConnectRequest(
            String username, String clientId, boolean cleanStart, long expirySeconds, int receiveMaximum, Will will) {}

    /**
     * Shared subscriptions ({@code $share/...}) one session may hold; more are refused (SUBACK 0x97,
     * 3.1.1: 0x80). With the caps on connections and on persistent sessions per user, this bounds the
     * shared groups one client can make.
     */
    public static final int MAX_SHARED_SUBSCRIPTIONS_PER_SESSION = 16;

    private record DelayedWill(BrokerMessage message, long dueMillis) {}

    private final BrokerOptions options;
    private final BrokerMeters meters;
    private final Clock clock;

    private final Map<String, BrokerSession> sessions = new HashMap<>();
    private final SubscriptionTree tree = new SubscriptionTree();
    private final LinkedHashMap<String, BrokerMessage> retained = new LinkedHashMap<>();
    private final Map<String, DelayedWill> delayedWills = new HashMap<>();
    /** Bytes of every session's queued and unacknowledged messages (bounded by maxQueuedBytesTotal). */
    private final java.util.concurrent.atomic.AtomicLong pendingBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Bytes of the retained messages (bounded by maxRetainedBytes). */
    private long retainedBytes;

    private boolean dirty;

    /** Topics known to match a subscription or not, as of one {@link SubscriptionTree#version}. */
    private record Interest(long version, Map<String, Boolean> byTopic) {}

    /** At most this many topics are remembered per version (each rig has a few). */
    static final int MAX_INTEREST_TOPICS = 4096;

    private volatile Interest interest = new Interest(-1, Map.of());

    public Broker(BrokerOptions options, BrokerMeters meters, Clock clock) {
        this.options = options;
        this.meters = meters;
        this.clock = clock;
        meters.bindGauges(this::sessionCount, this::subscriptionCount, this::retainedCount, this::queuedCount);
        meters.bindByteGauges(this::pendingBytes, this::retainedBytes);
    }

    static String key(String username, String clientId) {
        return (username == null ? "" : username) + '\u0000' + clientId;
    }

    /**
     * A connection's CONNECT was accepted: it takes the client's session, or a new one. A
     * connection already holding the session is closed first (section 3.1.4-2, session takeover).
     *
     * @return null if a new persistent session was refused: every one of the user's {@link
     *     BrokerOptions#maxSessionsPerUser()} is online (the caller refuses the CONNECT)
     */
    public synchronized Attached attach(ConnectRequest request, Outlet outlet) {
        long now = clock.millis();
        String key = key(request.username(), request.clientId());
        BrokerSession existing = sessions.get(key);
        boolean resumes = existing != null && !request.cleanStart() && !existing.expiredAt(now);
        if (!resumes && request.expirySeconds() > 0 && !makeRoomForSession(request.username(), existing)) {
            return null; // every persistent session of this user is online: refused before any change
        }
        if (existing != null && existing.online()) {
            meters.takeover();
            Outlet old = existing.outlet();
            existing.detach(now);
            Will oldWill = existing.will;
            existing.will = null;
            // MQTT 5 section 3.1.3.2.2: a will with a delay is cancelled by a new connection to the
            // session; without a delay (and always in 3.1.1) it is published as the old one closes,
            // and so it is when the session ends now: with its connection (expiry 0, as in detach)
            // or by Clean Start.
            if (oldWill != null
                    && (oldWill.delaySeconds() == 0 || existing.expirySeconds == 0 || request.cleanStart())) {
                publish(oldWill.message(), null);
                meters.willPublished();
            }
            old.takenOver();
        }
        DelayedWill pending = delayedWills.remove(key);
        if (pending != null && (request.cleanStart() || now >= pending.dueMillis())) {
            // Clean Start ends the old session, and a session's end publishes its delayed will. Only a
            // reconnect within the delay cancels it: a will already due was just waiting for tick().
            publish(pending.message(), null);
            meters.willPublished();
        }
        boolean present = existing != null && !request.cleanStart() && !existing.expiredAt(now);
        BrokerSession session;
        if (present) {
            session = existing;
        } else {
            if (existing != null) {
                discard(existing);
            }
            session = new BrokerSession(key, request.clientId(), request.username(), options, meters, pendingBytes);
            sessions.put(key, session);
        }
        // Every session ends at the latest this long after its client went away: also MQTT 5's
        // "never" and MQTT 3.1.1's persistent sessions, which section 4.1 lets a server discard.
        long granted = Math.min(request.expirySeconds(), options.maxSessionExpirySeconds());
        session.expirySeconds = granted;
        session.will = request.will();
        session.attach(outlet, request.receiveMaximum(), now);
        dirty = true;
        return new Attached(session, present, granted);
    }

    /**
     * The connection of {@code session} ended.
     *
     * @param outlet the connection that ended; nothing happens if it no longer holds the session
     * @param publishWill true unless the client sent a normal DISCONNECT (section 3.14.4)
     * @param newExpirySeconds MQTT 5 DISCONNECT's Session Expiry Interval, or -1 to keep the CONNECT's
     */
    public synchronized void detach(BrokerSession session, Outlet outlet, boolean publishWill, long newExpirySeconds) {
        if (session.outlet() != outlet) {
            return;
        }
        long now = clock.millis();
        session.detach(now);
        if (newExpirySeconds >= 0) {
            session.expirySeconds = Math.min(newExpirySeconds, options.maxSessionExpirySeconds());
        }
        Will will = session.will;
        session.will = null;
        if (publishWill && will != null) {
            long delayMillis = Math.min(will.delaySeconds(), session.expirySeconds) * 1000L;
            if (delayMillis <= 0) {
                publish(will.message(), null);
                meters.willPublished();
            } else {
                delayedWills.put(session.key(), new DelayedWill(will.message(), now + delayMillis));
            }
        }
        if (session.expirySeconds == 0) {
            discard(session);
        }
        dirty = true;
    }

    /**
     * Adds subscriptions and sends the matching retained messages as the retain handling says
     * (section 3.3.1.3; MQTT 5 section 3.3.1.3). Filters must already be valid and allowed.
     */
    public synchronized void subscribe(BrokerSession session, List<Subscription> subscriptions) {
        long now = clock.millis();
        for (Subscription s : subscriptions) {
            boolean added = tree.put(session.key(), s);
            synchronized (session) {
                session.subscriptions.put(s.filter(), s);
            }
            boolean sendRetained = s.retainHandling() == 0 || (s.retainHandling() == 1 && added);
            // MQTT 5 section 4.8.2: retained messages are not sent on a shared subscription.
            if (sendRetained && !Topics.isShared(s.filter())) {
                for (BrokerMessage r : retained.values()) {
                    if (Topics.matches(s.filter(), r.topic()) && !r.expired(now)) {
                        // Retained messages sent because of a new subscription keep RETAIN set.
                        // They carry the new subscription's identifier (MQTT 5 section 3.3.2.3.8).
                        session.offer(
                                r.withQos(Math.min(r.qos(), s.qos()))
                                        .withRetain(true)
                                        .withSubscriptionIds(
                                                s.subscriptionId() > 0 ? List.of(s.subscriptionId()) : List.of()),
                                now);
                    }
                }
            }
        }
        dirty = true;
    }

    /** Removes one subscription; true if it existed. */
    public synchronized boolean unsubscribe(BrokerSession session, String filter) {
        boolean removed = tree.remove(session.key(), filter);
        synchronized (session) {
            session.subscriptions.remove(filter);
        }
        dirty |= removed;
        return removed;
    }

    /**
     * Whether a message on {@code topic} would match any subscription now, a session's own or a
     * shared group's (online or not). For publishers that can skip making a non-retained message
     * nobody would get (the live trace of every IMU batch). Without the broker's lock while no
     * subscription is added or removed: each topic's answer is kept until one is.
     */
    public boolean hasSubscribers(String topic) {
        // The version is read before the tree is matched: an answer computed from an older tree is
        // filed under the older version, which the next call after a change no longer looks at.
        long version = tree.version();
        Interest known = interest;
        if (known.version() != version) {
            known = new Interest(version, new java.util.concurrent.ConcurrentHashMap<>());
            interest = known;
        }
        Boolean answer = known.byTopic().get(topic);
        if (answer == null) {
            answer = matchesAny(topic);
            if (known.byTopic().size() < MAX_INTEREST_TOPICS) {
                known.byTopic().put(topic, answer);
            }
        }
        return answer;
    }

    private synchronized boolean matchesAny(String topic) {
        Matches matches = new Matches();
        tree.match(topic, matches);
        return !matches.bySession.isEmpty() || !matches.groups.isEmpty();
    }

    /**
     * Routes a message to every matching subscription, and keeps or clears it as the retained
     * message of its topic when RETAIN is set (section 3.3.1.3).
     *
     * @param publisherKey the publishing session's key, for MQTT 5 No Local; null for the collector itself
     * @return how many sessions it was offered to
     */
    public synchronized int publish(BrokerMessage message, String publisherKey) {
        long now = clock.millis();
        if (message.expired(now)) {
            meters.dropped("expired");
            return 0;
        }
        if (message.retain()) {
            retain(message);
        }
        Matches matches = new Matches();
        tree.match(message.topic(), matches);
        Map<String, List<Integer>> idsByKey = matches.ids;
        Map<String, Subscription> matched = matches.bySession;
        int offered = 0;
        for (Map.Entry<String, Subscription> e : matched.entrySet()) {
            Subscription s = e.getValue();
            if (s.noLocal() && e.getKey().equals(publisherKey)) {
                continue;
            }
            BrokerSession target = sessions.get(e.getKey());
            if (target == null) {
                continue;
            }
            List<Integer> sessionIds = idsByKey == null ? null : idsByKey.get(e.getKey());
            deliver(message, s, sessionIds == null ? List.of() : sessionIds, target, now);
            offered++;
        }
        // MQTT 5 section 4.8.2: each shared group that matches sends the message to one member, on top
        // of (not instead of) the members' own subscriptions.
        for (SubscriptionTree.SharedGroup group : matches.groups) {
            String key = pickMember(group, message.qos());
            if (key != null) {
                Subscription s = group.members.get(key);
                deliver(
                        message,
                        s,
                        s.subscriptionId() > 0 ? List.of(s.subscriptionId()) : List.of(),
                        sessions.get(key),
                        now);
                offered++;
            }
        }
        return offered;
    }

    private void deliver(BrokerMessage message, Subscription s, List<Integer> ids, BrokerSession target, long now) {
        // Section 3.3.1.3: a message sent to an existing subscription has RETAIN cleared, unless
        // the MQTT 5 subscription asked for Retain As Published.
        BrokerMessage copy = message.withQos(Math.min(message.qos(), s.qos()))
                .withRetain(s.retainAsPublished() && message.retain())
                .withSubscriptionIds(ids);
        target.offer(copy, now);
        // A QoS 1/2 copy is now queued or in flight: part of a persistent session's saved state.
        if (copy.qos() > 0 && target.expirySeconds != 0) {
            dirty = true;
        }
    }

    /**
     * The member of a shared group that gets the next message (the distribution policy, README "The
     * collector as an MQTT broker"): round-robin over the members that are online and have room (a
     * free place in their in-flight window for QoS 1/2, a writable socket for QoS 0); if none has,
     * round-robin over the online ones (the message queues there); if none is online, over the
     * persistent sessions of offline members, where it queues until they return (QoS 0 is then
     * dropped, as for any offline client). Null if the group has no member left.
     */
    private String pickMember(SubscriptionTree.SharedGroup group, int qos) {
        int n = group.order.size();
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < n; i++) {
                int at = (group.next + i) % n;
                BrokerSession s = sessions.get(group.order.get(at));
                if (s == null) {
                    continue;
                }
                boolean fits =
                        switch (pass) {
                            case 0 ->
                                s.hasRoom(Math.min(
                                        qos,
                                        group.members.get(group.order.get(at)).qos()));
                            case 1 -> s.online();
                            default -> true;
                        };
                if (fits) {
                    group.next = (at + 1) % n;
                    return group.order.get(at);
                }
            }
        }
        return null;
    }

    /** What one message matched: each session's subscriptions merged, and the shared groups. */
    private static final class Matches implements SubscriptionTree.Visitor {
        final Map<String, Subscription> bySession = new HashMap<>();
        /**
         * Subscription Identifiers of each session's matching subscriptions (MQTT 5 section
         * 3.3.2.3.8: every matching one's identifier is sent); null until a subscription has one.
         */
        Map<String, List<Integer>> ids;

        List<SubscriptionTree.SharedGroup> groups = List.of();

        @Override
        public void subscription(String key, Subscription s) {
            bySession.merge(key, s, Broker::strongest);
            if (s.subscriptionId() > 0) {
                if (ids == null) {
                    ids = new HashMap<>();
                }
                ids.computeIfAbsent(key, k -> new ArrayList<>(2)).add(s.subscriptionId());
            }
        }

        @Override
        public void group(SubscriptionTree.SharedGroup group) {
            if (groups.isEmpty()) {
                groups = new ArrayList<>(2);
            }
            groups.add(group);
        }
    }

    /** Overlapping subscriptions of one client: one copy at the highest QoS (section 3.3.5). */
    private static Subscription strongest(Subscription a, Subscription b) {
        return new Subscription(
                a.filter(),
                Math.max(a.qos(), b.qos()),
                a.noLocal() && b.noLocal(),
                a.retainAsPublished() || b.retainAsPublished(),
                0);
    }

    private void retain(BrokerMessage message) {
        if (message.payload().length == 0) {
            // Section 3.3.1.3: a zero-byte retained message clears the topic's retained message.
            BrokerMessage removed = retained.remove(message.topic());
            if (removed != null) {
                retainedBytes -= BrokerSession.bytes(removed);
                dirty = true;
            }
            return;
        }
        BrokerMessage before = retained.get(message.topic());
        long grows = BrokerSession.bytes(message) - (before == null ? 0 : BrokerSession.bytes(before));
        if ((before == null && retained.size() >= options.maxRetainedMessages())
                || retainedBytes + grows > options.maxRetainedBytes()) {
            meters.dropped("retained-full");
            return;
        }
        retained.put(message.topic(), message.withRetain(true));
        retainedBytes += grows;
        dirty = true;
    }

    /** Ends expired sessions, publishes due delayed wills and drops expired messages; call every second or so. */
    public synchronized void tick() {
        long now = clock.millis();
        for (Iterator<Map.Entry<String, DelayedWill>> it =
                        delayedWills.entrySet().iterator();
                it.hasNext(); ) {
            DelayedWill w = it.next().getValue();
            if (now >= w.dueMillis()) {
                it.remove();
                publish(w.message(), null);
                meters.willPublished();
            }
        }
        for (BrokerSession s : new ArrayList<>(sessions.values())) {
            if (s.expiredAt(now)) {
                DelayedWill w = delayedWills.remove(s.key());
                if (w != null) {
                    publish(w.message(), null);
                    meters.willPublished();
                }
                discard(s);
                dirty = true;
            } else {
                s.purgeExpired(now);
            }
        }
        retained.values().removeIf(m -> {
            if (m.expired(now)) {
                retainedBytes -= BrokerSession.bytes(m);
                return true;
            }
            return false;
        });
    }

    /**
     * Room for one more persistent session of {@code username}: beyond {@link
     * BrokerOptions#maxSessionsPerUser()} its session offline the longest ends. False if every one is
     * online (the new one is refused).
     */
    private boolean makeRoomForSession(String username, BrokerSession replaced) {
        List<BrokerSession> own = new ArrayList<>();
        for (BrokerSession s : sessions.values()) {
            if (s != replaced && java.util.Objects.equals(s.username(), username) && s.expirySeconds > 0) {
                own.add(s);
            }
        }
        if (own.size() < options.maxSessionsPerUser()) {
            return true;
        }
        BrokerSession oldest = null;
        for (BrokerSession s : own) {
            if (!s.online() && (oldest == null || s.disconnectedAtMillis < oldest.disconnectedAtMillis)) {
                oldest = s;
            }
        }
        if (oldest == null) {
            meters.dropped("sessions-per-user");
            return false;
        }
        DelayedWill w = delayedWills.remove(oldest.key());
        if (w != null) {
            publish(w.message(), null);
            meters.willPublished();
        }
        discard(oldest);
        meters.dropped("sessions-per-user");
        return true;
    }

    private void discard(BrokerSession session) {
        sessions.remove(session.key(), session);
        session.releaseAll();
        List<String> filters;
        synchronized (session) {
            filters = new ArrayList<>(session.subscriptions.keySet());
            session.subscriptions.clear();
        }
        for (String filter : filters) {
            tree.remove(session.key(), filter);
        }
    }

    /** The retained message of a topic, if any (for tests and the HTTP API). */
    public synchronized BrokerMessage retained(String topic) {
        return retained.get(topic);
    }

    /**
     * Whether a CONNECT with these wishes may have its session: false if it would be a new persistent
     * session while every one its user may have is online. Changes nothing.
     */
    public synchronized boolean roomForSession(
            String username, String clientId, boolean cleanStart, long expirySeconds) {
        BrokerSession existing = sessions.get(key(username, clientId));
        boolean resumes = existing != null && !cleanStart && !existing.expiredAt(clock.millis());
        if (resumes || expirySeconds == 0) {
            return true;
        }
        int own = 0;
        boolean anyOffline = false;
        for (BrokerSession s : sessions.values()) {
            if (s != existing && java.util.Objects.equals(s.username(), username) && s.expirySeconds > 0) {
                own++;
                anyOffline |= !s.online();
            }
        }
        return own < options.maxSessionsPerUser() || anyOffline;
    }

    /** Bytes of every session's queued and unacknowledged messages. */
    public long pendingBytes() {
        return pendingBytes.get();
    }

    /** Bytes of the retained messages. */
    public synchronized long retainedBytes() {
        return retainedBytes;
    }

    public synchronized int sessionCount() {
        return sessions.size();
    }

    public synchronized int subscriptionCount() {
        return tree.size();
    }

    public synchronized int retainedCount() {
        return retained.size();
    }

    public synchronized int queuedCount() {
        int n = 0;
        for (BrokerSession s : sessions.values()) {
            n += s.queued();
        }
        return n;
    }

    /** What must survive a restart: retained messages and persistent sessions with their queues. */
    public synchronized BrokerState state() {
        dirty = false;
        List<BrokerState.SessionState> kept = new ArrayList<>();
        long now = clock.millis();
        for (BrokerSession s : sessions.values()) {
            if (s.expirySeconds == 0) {
                continue;
            }
            List<Subscription> subs;
            synchronized (s) {
                subs = new ArrayList<>(s.subscriptions.values());
            }
            kept.add(new BrokerState.SessionState(
                    s.clientId(),
                    s.username(),
                    s.expirySeconds,
                    s.online() ? now : s.disconnectedAtMillis,
                    subs,
                    s.pendingMessages()));
        }
        return new BrokerState(new ArrayList<>(retained.values()), kept);
    }

    /**
     * True if something changed since the last {@link #state()}. Acknowledgements, which sessions
     * handle on their own, do not count: a state saved before one at worst redelivers that message.
     */
    public synchronized boolean dirty() {
        return dirty;
    }

    /** Loads saved state into an empty broker (at start, before the MQTT server listens). */
    public synchronized void restore(BrokerState state) {
        for (BrokerMessage m : state.retained()) {
            retained.put(m.topic(), m.withRetain(true));
            retainedBytes += BrokerSession.bytes(m);
        }
        for (BrokerState.SessionState saved : state.sessions()) {
            String key = key(saved.username(), saved.clientId());
            BrokerSession s = new BrokerSession(key, saved.clientId(), saved.username(), options, meters, pendingBytes);
            s.expirySeconds = saved.expirySeconds();
            s.disconnectedAtMillis = saved.disconnectedAtMillis();
            for (Subscription sub : saved.subscriptions()) {
                tree.put(key, sub);
                s.subscriptions.put(sub.filter(), sub);
            }
            s.restore(saved.pending());
            sessions.put(key, s);
        }
    }
}
