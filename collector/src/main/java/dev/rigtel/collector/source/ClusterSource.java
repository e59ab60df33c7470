package dev.rigtel.collector.source;

import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.RigTopic;
import dev.rigtel.collector.metrics.ClusterMeters;
import dev.rigtel.collector.metrics.SourceMeters;
import dev.rigtel.common.log.RateLimitedLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: several collectors on one external broker, one owner per rig (collector README,
 * "Cluster mode"). The rigs are split into P partitions ({@link Partitions#of}); each partition is
 * one persistent session with a fixed client id ({@link ClusterOptions#partitionClientId}), so the
 * broker queues its messages while nobody owns it and the next owner resumes it. Members announce
 * themselves with a retained message and a retained empty will ({@link MemberMessage}); the owner of
 * a partition is the rendezvous winner over the live members ({@link Partitions#owner}).
 *
 * <p>All decisions run on one thread ({@code rigtel-cluster}); Paho's callbacks only hand events to
 * it.
 */
public final class ClusterSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterSource.class);

    /** MQTT 5 DISCONNECT reason: another connection took the session (section 3.14.2.1). */
    static final int SESSION_TAKEN_OVER = 0x8E;

    private static final long TICK_MILLIS = 200;
    private static final long MIN_BACKOFF_MILLIS = 2_000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** After (re)subscribing, how long the retained member messages get to arrive before the view counts. */
    private static final long VIEW_FRESH_MILLIS = 1_000;

    /** Reloads, from the store, the per-rig state a new owner needs (clock segments, newest samples). */
    public interface RigState {
        /** Blocking; throws if the store cannot answer now. */
        void reload(Set<String> rigs);
    }

    /** What /health shows of the cluster. */
    public record View(
            String member, List<String> members, List<Integer> owned, boolean controlConnected, boolean mismatch) {}

    private final SourceOptions options;
    private final ClusterOptions cluster;
    private final IngestService ingest;
    private final SourceMeters sourceMeters;
    private final ClusterMeters meters;
    private final RigState rigState;
    private final Clock clock;
    private final Roster roster;
    private final RateLimitedLog refusals;
    private final ScheduledExecutorService thread;
    private final MqttSource control;
    private final MqttSource slate;
    private final Partition[] partitions;
    private final String started;

    /** Live peers by member id (not this one), from their retained messages. */
    private final Map<String, MemberMessage> peers = new ConcurrentHashMap<>();

    private final Set<String> mismatched = ConcurrentHashMap.newKeySet();
    private volatile boolean controlUp;
    private volatile long viewFreshAt = Long.MAX_VALUE;
    private volatile List<String> liveView = List.of();
    private volatile boolean closed;

    private final class Partition {
        final int k;
        MqttSource session;
        boolean owned;
        boolean needsReload;
        boolean consuming;
        boolean leaving;
        long leaveStartedAt;
        long notBefore;
        long backoffMillis;
        String previousOwner;

        Partition(int k) {
            this.k = k;
        }

        MqttSource session() throws IOException {
            if (session == null) {
                session = new MqttSource(
                        options,
                        new MqttSource.Session(
                                cluster.partitionClientId(k),
                                () -> filtersOf(roster.of(k, cluster.partitions())),
                                false,
                                30,
                                null,
                                new MqttSource.Listener() {
                                    @Override
                                    public void lost(int reasonCode) {
                                        onThread(() -> partitionLost(Partition.this, reasonCode));
                                    }
                                },
                                false),
                        ingest,
                        sourceMeters,
                        clock);
            }
            return session;
        }
    }

    private ClusterSource(
            SourceOptions options,
            IngestService ingest,
            SourceMeters sourceMeters,
            java.util.function.Function<ClusterMeters.Gauges, ClusterMeters> meters,
            RigState rigState,
            Clock clock)
            throws IOException {
        this.options = options;
        this.cluster = options.cluster();
        this.ingest = ingest;
        this.sourceMeters = sourceMeters;
        this.rigState = rigState;
        this.clock = clock;
        this.roster = new Roster(cluster.rigs());
        this.refusals = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
        this.started = clock.instant().toString();
        this.partitions = new Partition[cluster.partitions()];
        for (int k = 0; k < partitions.length; k++) {
            partitions[k] = new Partition(k);
        }
        this.meters = meters.apply(new ClusterMeters.Gauges(this::ownedCount, () -> liveView.size(), roster::size));
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "rigtel-cluster");
            t.setDaemon(true);
            return t;
        });
        String memberTopic = MemberMessage.topic(cluster.group(), cluster.member());
        // Membership and discovery in a clean session: the view is rebuilt from the retained
        // messages at every connection. (Persistent, Mosquitto 2.0.11 resent the wills it had
        // published at its shutdown after its restart and then closed the session for a protocol
        // error, again and again.)
        List<MqttSubscription> controlFilters = List.of(
                new MqttSubscription(MemberMessage.filter(cluster.group()), 1),
                // Discovery only: QoS 0, never queued for an offline member, never stored from here.
                new MqttSubscription("rigtel/v1/+/status", 0),
                new MqttSubscription("rigtel/v1/+/online", 0));
        this.control = new MqttSource(
                options,
                new MqttSource.Session(
                        cluster.controlClientId(),
                        () -> controlFilters,
                        true,
                        5,
                        memberTopic,
                        new ControlListener(),
                        true),
                ingest,
                sourceMeters,
                clock);
        // Slate events in a persistent session of this member's own: it gets those it missed while down.
        List<MqttSubscription> slateFilters = List.of(new MqttSubscription(IngestService.SLATE_TOPIC, 1));
        this.slate = new MqttSource(
                options,
                new MqttSource.Session(
                        cluster.slateClientId(),
                        () -> slateFilters,
                        true,
                        30,
                        null,
                        new MqttSource.Listener() {},
                        false),
                ingest,
                sourceMeters,
                clock);
    }

    /**
     * Joins the group: connects the control session (and keeps it connected), then takes the
     * partitions the live view gives this member. Returns at once.
     */
    public static ClusterSource start(
            SourceOptions options,
            IngestService ingest,
            SourceMeters sourceMeters,
            java.util.function.Function<ClusterMeters.Gauges, ClusterMeters> meters,
            RigState rigState,
            Clock clock)
            throws IOException {
        ClusterSource source = new ClusterSource(options, ingest, sourceMeters, meters, rigState, clock);
        ClusterOptions c = options.cluster();
        log.info(
                "cluster mode: member {} of group {} on {}, {} partitions, {} rigs in the roster",
                c.member(),
                c.group(),
                options.uri(),
                c.partitions(),
                c.rigs().size());
        source.control.startChecks();
        source.slate.startChecks();
        source.thread.scheduleWithFixedDelay(source::guardedTick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return source;
    }

    /**
     * Healthy: the control session is connected, every member uses the same P, and every partition
     * this member owns that has rigs is connected and subscribed (until then its rigs' messages wait
     * at the broker, or, for a partition never subscribed, are not queued at all).
     */
    public boolean healthy() {
        if (!controlUp || !control.connected() || !slate.connected() || !mismatched.isEmpty()) {
            return false;
        }
        for (Partition p : partitions) {
            if (p.owned && (p.session == null || !p.session.connected()) && hasRigs(p.k)) {
                return false;
            }
        }
        return true;
    }

    private boolean hasRigs(int k) {
        return !roster.of(k, cluster.partitions()).isEmpty();
    }

    public View view() {
        List<Integer> owned = new ArrayList<>();
        for (Partition p : partitions) {
            if (p.owned) {
                owned.add(p.k);
            }
        }
        return new View(cluster.member(), liveView, owned, controlUp, !mismatched.isEmpty());
    }

    private int ownedCount() {
        int n = 0;
        for (Partition p : partitions) {
            n += p.owned ? 1 : 0;
        }
        return n;
    }

    static List<MqttSubscription> filtersOf(List<String> rigs) {
        List<MqttSubscription> out = new ArrayList<>(rigs.size() * 3);
        for (String rig : rigs) {
            out.add(new MqttSubscription("rigtel/v1/" + rig + "/imu", 1));
            out.add(new MqttSubscription("rigtel/v1/" + rig + "/timecode", 1));
            out.add(new MqttSubscription("rigtel/v1/" + rig + "/status", 1));
        }
        return out;
    }

    private void onThread(Runnable task) {
        if (!closed) {
            try {
                thread.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.error("cluster mode: an event failed", e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("cluster mode closed: event dropped");
            }
        }
    }

    private final class ControlListener implements MqttSource.Listener {
        @Override
        public void connected(boolean reconnect) {
            onThread(() -> {
                controlUp = true;
                viewFreshAt = clock.millis() + VIEW_FRESH_MILLIS;
                // A peer that died meanwhile left no retained message to hear of: the view is rebuilt
                // from the retained messages the subscription brings within VIEW_FRESH_MILLIS.
                peers.clear();
                mismatched.clear();
                control.publishRetained(
                        MemberMessage.topic(cluster.group(), cluster.member()),
                        new MemberMessage(
                                        cluster.member(),
                                        cluster.partitions(),
                                        java.time.Instant.parse(started),
                                        version())
                                .toJson());
            });
        }

        @Override
        public void lost(int reasonCode) {
            onThread(() -> controlUp = false);
        }

        @Override
        public boolean other(String topic, MqttMessage message) {
            String membersPrefix = "rigtel/cluster/" + cluster.group() + "/members/";
            if (topic.startsWith(membersPrefix)) {
                String member = topic.substring(membersPrefix.length());
                byte[] payload = message.getPayload();
                onThread(() -> memberMessage(member, payload));
                return true;
            }
            if (topic.startsWith("rigtel/v1/") && (topic.endsWith("/status") || topic.endsWith("/online"))) {
                Optional<RigTopic> parsed = RigTopic.parse(topic.endsWith("/online") ? statusOf(topic) : topic);
                if (parsed.isPresent() && RigId.problem(parsed.get().rigLevel()) == null) {
                    String rig = parsed.get().rigLevel();
                    if (!roster.contains(rig)) {
                        onThread(() -> discovered(rig));
                    }
                }
                return true;
            }
            return false;
        }
    }

    /** The status topic of an online topic's rig: {@link RigTopic} knows only the telemetry topics. */
    private static String statusOf(String onlineTopic) {
        return onlineTopic.substring(0, onlineTopic.length() - "/online".length()) + "/status";
    }

    private static String version() {
        String v = ClusterSource.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private void memberMessage(String member, byte[] payload) {
        if (member.equals(cluster.member())) {
            // This member is live while its control session is connected. An empty message here is
            // the will of an earlier connection of this member (closed by a session takeover after a
            // quick restart): peers would think this member dead, so it says it is alive again.
            if (payload.length == 0 && controlUp) {
                control.publishRetained(
                        MemberMessage.topic(cluster.group(), cluster.member()),
                        new MemberMessage(
                                        cluster.member(),
                                        cluster.partitions(),
                                        java.time.Instant.parse(started),
                                        version())
                                .toJson());
            }
            return;
        }
        if (payload.length == 0) {
            if (peers.remove(member) != null) {
                log.info("cluster {}: member {} left (its will or its goodbye)", cluster.group(), member);
            }
            mismatched.remove(member);
            return;
        }
        MemberMessage parsed;
        try {
            parsed = MemberMessage.parse(member, payload);
        } catch (IllegalArgumentException e) {
            meters.refused("bad-member-message");
            refusals.warn(
                    "bad-member-message",
                    "cluster {}: refused the membership message of {}: {}",
                    cluster.group(),
                    member,
                    e.getMessage());
            return;
        }
        if (parsed.partitions() != cluster.partitions()) {
            if (mismatched.add(member)) {
                meters.refused("partition-mismatch");
                log.error(
                        "cluster {}: member {} uses {} partitions, this member {}: every member must use the same "
                                + "--source-partitions; taking no partitions, /health DEGRADED",
                        cluster.group(),
                        member,
                        parsed.partitions(),
                        cluster.partitions());
            }
            peers.remove(member);
            return;
        }
        mismatched.remove(member);
        if (peers.put(member, parsed) == null) {
            log.info("cluster {}: member {} joined", cluster.group(), member);
        }
    }

    private void discovered(String rig) {
        if (!roster.add(rig)) {
            return;
        }
        meters.lateRig();
        int k = Partitions.of(rig, cluster.partitions());
        log.warn(
                "cluster {}: rig {} is not in --source-rigs; subscribing it in partition {} now (its messages before"
                        + " this were not queued for the partition)",
                cluster.group(),
                rig,
                k);
        Partition p = partitions[k];
        if (p.session != null && p.consuming) {
            p.session.subscribeMore(filtersOf(List.of(rig)));
        }
    }

    private void partitionLost(Partition p, int reasonCode) {
        p.consuming = false;
        if (reasonCode == SESSION_TAKEN_OVER && p.owned && !p.leaving) {
            meters.sessionTakenOver();
            p.backoffMillis = Math.min(MAX_BACKOFF_MILLIS, Math.max(MIN_BACKOFF_MILLIS, p.backoffMillis * 2));
            p.notBefore = clock.millis() + p.backoffMillis;
            p.needsReload = true;
            log.warn(
                    "cluster {}: another client took partition {}'s session (0x8E, stale membership views?); trying"
                            + " again in {} ms if this member still owns it then",
                    cluster.group(),
                    p.k,
                    p.backoffMillis);
        }
    }

    private void guardedTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.error("cluster mode: tick failed", e);
        }
    }

    private void tick() {
        long now = clock.millis();
        List<String> live = new ArrayList<>();
        if (controlUp) {
            live.add(cluster.member());
            live.addAll(peers.keySet());
            live.sort(null);
        }
        liveView = List.copyOf(live);
        // Not while away from the broker (a peer that takes over kicks the old connection off with
        // 0x8E), nor before the retained member messages arrived, nor with a P mismatch.
        boolean decide = controlUp && now >= viewFreshAt && mismatched.isEmpty();
        Set<String> reload = new TreeSet<>();
        List<Partition> connectNow = new ArrayList<>();
        for (Partition p : partitions) {
            String owner = decide ? Partitions.owner(p.k, live) : null;
            boolean mine = cluster.member().equals(owner);
            if (decide) {
                if (mine && !p.owned) {
                    p.owned = true;
                    p.needsReload = true;
                    p.backoffMillis = 0;
                    // A peer that died has nothing to hand over: at once. A live one gives it up first.
                    boolean fromLivePeer = p.previousOwner == null || live.contains(p.previousOwner);
                    p.notBefore = Math.max(
                            p.notBefore, now + (fromLivePeer ? cluster.settle().toMillis() : 0));
                    if (p.leaving) {
                        p.leaving = false; // taken back before the handover finished
                        p.session.stay();
                    }
                } else if (!mine && p.owned) {
                    p.owned = false;
                    if (p.session != null && p.session.connectingOrConnected()) {
                        p.session.leave();
                        p.leaving = true;
                        p.leaveStartedAt = now;
                    }
                }
                p.previousOwner = owner;
            }
            if (p.leaving) {
                if (p.session.pending() == 0
                        || now - p.leaveStartedAt >= cluster.handoverWait().toMillis()) {
                    p.leaving = false;
                    p.consuming = false;
                    p.session.disconnect();
                    meters.handover();
                    log.info("cluster {}: handed partition {} over to {}", cluster.group(), p.k, p.previousOwner);
                }
                continue;
            }
            if (p.owned
                    && controlUp
                    && now >= p.notBefore
                    && !roster.of(p.k, cluster.partitions()).isEmpty()) {
                try {
                    if (!p.session().connectingOrConnected()) {
                        if (p.needsReload) {
                            reload.addAll(roster.of(p.k, cluster.partitions()));
                        }
                        connectNow.add(p);
                    }
                } catch (IOException e) {
                    log.error("cluster {}: partition {}: {}", cluster.group(), p.k, e.getMessage());
                }
            }
        }
        if (connectNow.isEmpty()) {
            return;
        }
        if (!reload.isEmpty()) {
            try {
                // Before consuming: the clock segments the previous owner stored, so the same device
                // times land on the same timestamps (a redelivered message overwrites its points).
                rigState.reload(reload);
            } catch (RuntimeException e) {
                refusals.warn(
                        "cluster-reload",
                        "cluster {}: cannot reload the clocks of rigs {} from the store yet ({}); their partitions"
                                + " wait, the broker queues for them",
                        cluster.group(),
                        reload,
                        e.toString());
                for (Partition p : connectNow) {
                    p.notBefore = now + MIN_BACKOFF_MILLIS;
                }
                return;
            }
        }
        for (Partition p : connectNow) {
            boolean takeover = p.needsReload;
            p.needsReload = false;
            p.consuming = true;
            p.session.connect();
            if (takeover) {
                meters.takeover();
                log.info(
                        "cluster {}: took partition {} (rigs {})",
                        cluster.group(),
                        p.k,
                        roster.of(p.k, cluster.partitions()));
            }
        }
    }

    /** Leaves the group: clears the member message, hands the partitions over, disconnects. */
    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (control.connected()) {
            control.publishRetained(MemberMessage.topic(cluster.group(), cluster.member()), new byte[0]);
        }
        long deadline = clock.millis() + cluster.handoverWait().toMillis();
        for (Partition p : partitions) {
            if (p.session != null) {
                p.session.leave();
            }
        }
        for (Partition p : partitions) {
            if (p.session != null) {
                while (p.session.pending() > 0 && clock.millis() < deadline) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                p.session.close();
            }
        }
        slate.close();
        control.close();
    }

    /** For /health: the view as JSON fields. */
    public String json() {
        View v = view();
        StringBuilder out =
                new StringBuilder("{\"member\":\"").append(v.member()).append("\",\"members\":[");
        for (int i = 0; i < v.members().size(); i++) {
            out.append(i == 0 ? "" : ",").append('"').append(v.members().get(i)).append('"');
        }
        out.append("],\"partitions\":")
                .append(cluster.partitions())
                .append(",\"owned\":")
                .append(v.owned())
                .append(",\"control\":\"")
                .append(v.controlConnected() ? "connected" : "away")
                .append("\",\"partition_mismatch\":")
                .append(v.mismatch())
                .append('}');
        return out.toString();
    }
}
