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
    private final Deque<JsonNode> alerts = new ArrayDeque<>();
    private final Deque<JsonNode> events = new ArrayDeque<>();
    private final Deque<JsonNode> takes = new ArrayDeque<>();
    /** The latest look at the shoot's disks, null before the first. */
    private JsonNode storage;

    private final Deque<JsonNode> commands = new ArrayDeque<>();
    private final List<LiveSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private boolean feedConnected;
    private long feedSinceMillis;

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
        meters.liveMessage(kind.label(), "accepted");
        LiveMessage message = LiveMessage.of(kind, rig, text);
        synchronized (lock) {
            remember(kind, rig, node);
            for (LiveSubscriber subscriber : subscribers) {
                subscriber.deliver(message);
            }
        }
    }

    /** The MQTT feed connected or lost its connection: browsers are told with a {@code feed} event. */
    public void feedConnected(boolean connected) {
        synchronized (lock) {
            if (connected == feedConnected) {
                return;
            }
            feedConnected = connected;
            feedSinceMillis = clock.millis();
            LiveMessage message = LiveMessage.of(LiveKind.FEED, null, feedJson().toString());
            for (LiveSubscriber subscriber : subscribers) {
                subscriber.deliver(message);
            }
        }
    }

    public boolean feedConnected() {
        synchronized (lock) {
            return feedConnected;
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
