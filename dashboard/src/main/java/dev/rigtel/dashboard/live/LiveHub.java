package dev.rigtel.dashboard.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigtel.common.log.RateLimitedLog;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed's state and fan-out, in plain Java: every live message from the collector comes
 * in through {@link #accept}, is checked to be one JSON object, remembered where a newcomer needs
 * it (each rig's latest {@code state}, the last alerts, events, takes and commands, the latest look at the disks) and handed to
 * every {@link LiveSubscriber}.
 *
 * <p><b>Several collectors.</b> The dashboard may follow several collectors at once (one {@link
 * LiveFeed} each, all feeding this hub), each publishing the rigs it owns. Every message carries
 * its source (the feed's URL). A rig's {@code state} follows one source at a time, the one whose
 * state of it was accepted last (its <em>owner</em> here):
 *
 * <ul>
 *   <li>the owner's own states are always taken (one MQTT connection keeps them in order);
 *   <li>another source's state is taken when it is not older (its {@code time_nanos}) than the
 *       state held, and it then becomes the owner: a rig that moved to another collector shows up
 *       from there, and a stale retained state a collector still holds does not win;
 *   <li>but an {@code "online": false} from another source never hides a rig its owner reports
 *       online: a collector that lost the rig (or that it never reached) keeps its retained
 *       offline state, and that is not news about the rig;
 *   <li>while the owner's feed is down (lost, and nothing heard from it since) nothing vouches for
 *       its states: any source's state is taken.
 * </ul>
 *
 * A state not taken is counted ({@code rigtel.dashboard.live.messages}, result {@code superseded})
 * and not handed to browsers. Other kinds are per rig from its owner anyway, or the same from
 * every collector (takes, kept once by take and event; the storage, the newest wins).
 *
 * <p>{@link #subscribe} takes the snapshot and registers the subscriber under the same lock as
 * {@link #accept}, so a browser sees every message after its snapshot exactly once, in order.
 * Subscribers only queue (see {@link ClientQueue}), so holding the lock while handing out costs
 * microseconds, whatever a browser's connection does.
 */
public final class LiveHub {

    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);
    /** Takes and commands kept for the snapshot, besides the recent alerts and events. */
    static final int RECENT_TAKES = 20;

    static final int RECENT_COMMANDS = 20;

    private final ObjectMapper json;
    private final DashboardMeters meters;
    private final Clock clock;
    /** Ignored messages, logged once a minute per key (a handful of keys: reasons and kinds). */
    private final RateLimitedLog mismatches;

    private final int recentLimit;
    private final Object lock = new Object();
    private final Map<String, JsonNode> states = new TreeMap<>();
    /** The source each rig's state was last taken from. */
    private final Map<String, String> owners = new TreeMap<>();

    private final Deque<JsonNode> alerts = new ArrayDeque<>();
    private final Deque<JsonNode> events = new ArrayDeque<>();
    private final Deque<JsonNode> takes = new ArrayDeque<>();
    /** The latest look at the shoot's disks, null before the first. */
    private JsonNode storage;

    private final Deque<JsonNode> commands = new ArrayDeque<>();
    private final List<LiveSubscriber> subscribers = new CopyOnWriteArrayList<>();
    /**
     * Sources heard from since their feed last went down. A feed's retained messages can arrive
     * before its subscription is acknowledged (when the hub learns it is connected): a source that
     * sends is up, as far as the merge rule goes.
     */
    private final java.util.Set<String> heard = new java.util.HashSet<>();

    /** Every feed, by source (its URL), in the order they were added. */
    private final Map<String, FeedStatus> feeds = new java.util.LinkedHashMap<>();

    private boolean feedConnected;
    private long feedSinceMillis;

    /** The source of messages from {@link #accept(String, byte[])}: the dashboard with one feed. */
    public static final String SINGLE_SOURCE = "";

    /**
     * One feed's connection as the hub knows it.
     *
     * @param source the feed's URL
     * @param sinceMillis when {@code connected} last changed (or the feed was added)
     */
    public record FeedStatus(String source, boolean connected, long sinceMillis) {}

    /**
     * @param recentLimit alerts, and events, kept for the snapshot
     * @param clock for the feed status' {@code since_ms}
     */
    public LiveHub(ObjectMapper json, DashboardMeters meters, Clock clock, int recentLimit) {
        if (recentLimit < 0) {
            throw new IllegalArgumentException("recentLimit must not be negative");
        }
        this.json = json;
        this.meters = meters;
        this.clock = clock;
        this.mismatches = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
        this.recentLimit = recentLimit;
        this.feedSinceMillis = clock.millis();
    }

    /**
     * A contract mismatch with the collector shows in the log, at most once a minute per reason (each
     * message is counted in {@code rigtel.dashboard.live.messages}).
     */
    private void warnOncePerMinute(String key, String format, Object argument) {
        mismatches.warn(key, format + " (counted; logged at most once a minute)", argument);
    }

    /** A message from the MQTT feed. Ignores (and counts) topics it does not know and payloads that are not a JSON object. */
    public void accept(String topic, byte[] payload) {
        accept(SINGLE_SOURCE, topic, payload);
    }

    /**
     * A message from the feed of {@code source}: as {@link #accept(String, byte[])}, and a rig's
     * state from a source that is not its owner is taken by the rule in the class comment.
     */
    public void accept(String source, String topic, byte[] payload) {
        Optional<LiveTopic> parsed = LiveTopic.parse(topic);
        if (parsed.isEmpty()) {
            meters.liveMessage("unknown", "unknown-topic");
            warnOncePerMinute("unknown-topic", "ignored a live message on a topic it does not know: {}", topic);
            return;
        }
        LiveKind kind = parsed.get().kind();
        String rig = parsed.get().rig();
        JsonNode node;
        try {
            node = json.readTree(payload);
        } catch (java.io.IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            meters.liveMessage(kind.label(), "invalid");
            warnOncePerMinute(
                    "invalid-" + kind.label(), "ignored a live {} message that is not a JSON object", kind.label());
            return;
        }
        // Re-encoded compactly: one line of data per event, whatever whitespace the publisher used.
        String text;
        try {
            text = json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            meters.liveMessage(kind.label(), "invalid");
            return;
        }
        LiveMessage message = LiveMessage.of(kind, rig, text);
        synchronized (lock) {
            heard.add(source);
            if (kind == LiveKind.STATE && !takesState(source, rig, node)) {
                meters.liveMessage(kind.label(), "superseded");
                return;
            }
            meters.liveMessage(kind.label(), "accepted");
            remember(kind, rig, node);
            for (LiveSubscriber subscriber : subscribers) {
                subscriber.deliver(message);
            }
        }
    }

    /**
     * The merge rule of the class comment: whether the state of {@code rig} from {@code source}
     * replaces the one held; if so, {@code source} becomes its owner. Called under the lock.
     */
    private boolean takesState(String source, String rig, JsonNode state) {
        JsonNode held = states.get(rig);
        String owner = owners.get(rig);
        boolean take;
        if (held == null || owner == null || owner.equals(source)) {
            take = true;
        } else if (!connected(owner) && !heard.contains(owner)) {
            take = true;
        } else if (!state.path("online").asBoolean(false) && held.path("online").asBoolean(false)) {
            take = false;
        } else {
            take = !state.path("time_nanos").canConvertToLong()
                    || !held.path("time_nanos").canConvertToLong()
                    || state.path("time_nanos").asLong()
                            >= held.path("time_nanos").asLong();
        }
        if (take) {
            owners.put(rig, source);
        }
        return take;
    }

    private boolean connected(String source) {
        FeedStatus status = feeds.get(source);
        return status != null && status.connected();
    }

    /**
     * Names a feed before it first connects, so health and the snapshot list it as down until then.
     * Adding one already known does nothing.
     */
    public void addFeed(String source) {
        synchronized (lock) {
            feeds.computeIfAbsent(source, s -> new FeedStatus(s, false, clock.millis()));
        }
    }

    /** The MQTT feed connected or lost its connection: browsers are told with a {@code feed} event. */
    public void feedConnected(boolean connected) {
        feedConnected(SINGLE_SOURCE, connected);
    }

    /**
     * The feed of {@code source} connected or lost its connection. The hub's feed is connected
     * while every feed is; browsers get a {@code feed} event whenever one of them changes.
     */
    public void feedConnected(String source, boolean connected) {
        synchronized (lock) {
            FeedStatus before = feeds.get(source);
            if (before != null && before.connected() == connected) {
                return;
            }
            long now = clock.millis();
            feeds.put(source, new FeedStatus(source, connected, now));
            if (!connected) {
                heard.remove(source);
            }
            boolean all = feeds.values().stream().allMatch(FeedStatus::connected);
            if (before == null && !connected && !feedConnected) {
                return;
            }
            if (all != feedConnected) {
                feedConnected = all;
                feedSinceMillis = now;
            }
            LiveMessage message = LiveMessage.of(LiveKind.FEED, null, feedJson().toString());
            for (LiveSubscriber subscriber : subscribers) {
                subscriber.deliver(message);
            }
        }
    }

    /** Whether every feed is connected (false before the first connects). */
    public boolean feedConnected() {
        synchronized (lock) {
            return feedConnected;
        }
    }

    /** Every feed's connection, in the order they were added. */
    public List<FeedStatus> feeds() {
        synchronized (lock) {
            return List.copyOf(feeds.values());
        }
    }

    /** Sends {@code subscriber} the snapshot, then every message until {@link #unsubscribe}. */
    public void subscribe(LiveSubscriber subscriber) {
        synchronized (lock) {
            subscriber.snapshot(EventStreamFormat.event("snapshot", snapshotJson()));
            subscribers.add(subscriber);
        }
    }

    public void unsubscribe(LiveSubscriber subscriber) {
        subscribers.remove(subscriber);
    }

    public int subscribers() {
        return subscribers.size();
    }

    /** Every rig's latest state, by rig id. */
    public Map<String, JsonNode> states() {
        synchronized (lock) {
            return new TreeMap<>(states);
        }
    }

    /** The snapshot a new browser gets, as JSON text. */
    public String snapshotJson() {
        synchronized (lock) {
            ObjectNode out = json.createObjectNode();
            out.put("v", 1);
            out.set("feed", feedJson());
            out.set("states", array(new ArrayList<>(states.values())));
            out.set("alerts", array(alerts));
            out.set("events", array(events));
            out.set("takes", array(takes));
            out.set("commands", array(commands));
            out.set("storage", storage == null ? json.nullNode() : storage);
            return out.toString();
        }
    }

    private ObjectNode feedJson() {
        ObjectNode feed = json.createObjectNode();
        feed.put("connected", feedConnected);
        feed.put("since_ms", feedSinceMillis);
        if (feeds.size() > 1) {
            ArrayNode list = feed.putArray("feeds");
            for (FeedStatus status : feeds.values()) {
                list.addObject()
                        .put("url", status.source())
                        .put("connected", status.connected())
                        .put("since_ms", status.sinceMillis());
            }
        }
        return feed;
    }

    private ArrayNode array(Iterable<JsonNode> nodes) {
        ArrayNode array = json.createArrayNode();
        nodes.forEach(array::add);
        return array;
    }

    private void remember(LiveKind kind, String rig, JsonNode node) {
        switch (kind) {
            case STATE -> states.put(rig, node);
            case ALERT -> keep(alerts, node, recentLimit);
            case EVENT -> keep(events, node, recentLimit);
            case TAKES -> {
                // The retained takes message comes again after every reconnect: keep it once.
                takes.removeIf(t -> t.path("take_id").equals(node.path("take_id"))
                        && t.path("event").equals(node.path("event")));
                keep(takes, node, RECENT_TAKES);
            }
            case STORAGE -> storage = node;
            case COMMAND -> {
                // A command's later status replaces its earlier one. A rig can answer before the
                // collector has published "sent" (the two go out on different threads): "sent"
                // never replaces an answer.
                boolean answered = commands.stream()
                        .anyMatch(c -> c.path("id").equals(node.path("id"))
                                && !c.path("status").asText().equals("sent"));
                if (!(answered && node.path("status").asText().equals("sent"))) {
                    commands.removeIf(c -> c.path("id").equals(node.path("id")));
                    keep(commands, node, RECENT_COMMANDS);
                }
            }
            default -> {
                // motion and trace are drawn as they come; a newcomer starts with empty charts.
            }
        }
    }

    private static void keep(Deque<JsonNode> recent, JsonNode node, int limit) {
        if (limit == 0) {
            return;
        }
        recent.addLast(node);
        while (recent.size() > limit) {
            recent.removeFirst();
        }
    }
}
