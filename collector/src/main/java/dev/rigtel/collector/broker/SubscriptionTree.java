package dev.rigtel.collector.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Subscriptions indexed by topic level, so routing a message costs the depth of its topic, not the
 * number of subscriptions. A shared subscription ({@code $share/{ShareName}/{filter}}) is indexed by
 * its filter, in its group at that node. Not thread-safe: {@link Broker} guards it.
 */
final class SubscriptionTree {

    /** What {@link #match} finds; a lambda sees only the sessions' own subscriptions. */
    @FunctionalInterface
    interface Visitor {
        /** A session's own (not shared) subscription that matches. */
        void subscription(String sessionKey, Subscription subscription);

        /** A shared subscription group with a matching filter: one of its members gets the message. */
        default void group(SharedGroup group) {}
    }

    /**
     * The members of one Share Name on one filter (MQTT 5 section 4.8.2), in the order they joined,
     * with the round-robin position of the next delivery.
     */
    static final class SharedGroup {
        final Map<String, Subscription> members = new LinkedHashMap<>();
        /** Member session keys, in join order, for round-robin by index. */
        final List<String> order = new ArrayList<>();
        /** Where the next search for a member starts. */
        int next;

        void put(String sessionKey, Subscription s) {
            if (members.put(sessionKey, s) == null) {
                order.add(sessionKey);
            }
        }

        boolean remove(String sessionKey) {
            if (members.remove(sessionKey) == null) {
                return false;
            }
            int i = order.indexOf(sessionKey);
            order.remove(i);
            if (next > i) {
                next--;
            }
            if (next >= order.size()) {
                next = 0;
            }
            return true;
        }
    }

    private static final class Node {
        final Map<String, Node> children = new HashMap<>();
        /** Subscriptions whose filter ends at this node, by session key. */
        final Map<String, Subscription> subscribers = new HashMap<>();
        /** Shared subscriptions whose filter ends at this node, by Share Name; null while there are none. */
        Map<String, SharedGroup> groups;

        boolean empty() {
            return children.isEmpty() && subscribers.isEmpty() && (groups == null || groups.isEmpty());
        }
    }

    private final Node root = new Node();
    private int size;
    /**
     * Changes with every subscription added or removed; written under {@link Broker}'s lock, read
     * without it ({@link Broker#hasSubscribers}).
     */
    private volatile long version;

    /** Adds or replaces the session's subscription with this filter; true if it was new. */
    boolean put(String sessionKey, Subscription subscription) {
        Node node = root;
        for (String level : subscription.matchedFilter().split("/", -1)) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        String share = subscription.shareName();
        boolean added;
        if (share == null) {
            added = node.subscribers.put(sessionKey, subscription) == null;
        } else {
            if (node.groups == null) {
                node.groups = new HashMap<>();
            }
            SharedGroup group = node.groups.computeIfAbsent(share, s -> new SharedGroup());
            added = !group.members.containsKey(sessionKey);
            group.put(sessionKey, subscription);
        }
        if (added) {
            size++;
            version++;
        }
        return added;
    }

    /** Removes the session's subscription with this filter (as subscribed); true if there was one. */
    boolean remove(String sessionKey, String filter) {
        String[] levels = Topics.matchedFilter(filter).split("/", -1);
        boolean removed = remove(root, levels, 0, sessionKey, Topics.shareName(filter));
        if (removed) {
            size--;
            version++;
        }
        return removed;
    }

    private static boolean remove(Node node, String[] levels, int i, String sessionKey, String share) {
        if (i == levels.length) {
            if (share == null) {
                return node.subscribers.remove(sessionKey) != null;
            }
            SharedGroup group = node.groups == null ? null : node.groups.get(share);
            if (group == null || !group.remove(sessionKey)) {
                return false;
            }
            if (group.members.isEmpty()) {
                node.groups.remove(share);
            }
            return true;
        }
        Node child = node.children.get(levels[i]);
        if (child == null) {
            return false;
        }
        boolean removed = remove(child, levels, i + 1, sessionKey, share);
        if (child.empty()) {
            node.children.remove(levels[i]);
        }
        return removed;
    }

    /** Tells {@code visitor} every subscription and shared group whose filter matches {@code topic}. */
    void match(String topic, Visitor visitor) {
        String[] levels = topic.split("/", -1);
        match(root, levels, 0, topic.startsWith("$"), visitor);
    }

    private static void match(Node node, String[] levels, int i, boolean dollar, Visitor visitor) {
        // Section 4.7.2: a filter starting with a wildcard does not match a topic starting with '$'.
        boolean wildcardsAllowed = !(dollar && i == 0);
        if (wildcardsAllowed) {
            // '#' also matches the parent level: "sport/#" matches "sport" (section 4.7.1.2).
            Node multi = node.children.get("#");
            if (multi != null) {
                visit(multi, visitor);
            }
        }
        if (i == levels.length) {
            visit(node, visitor);
            return;
        }
        Node exact = node.children.get(levels[i]);
        if (exact != null) {
            match(exact, levels, i + 1, dollar, visitor);
        }
        if (wildcardsAllowed) {
            Node single = node.children.get("+");
            if (single != null) {
                match(single, levels, i + 1, dollar, visitor);
            }
        }
    }

    private static void visit(Node node, Visitor visitor) {
        node.subscribers.forEach(visitor::subscription);
        if (node.groups != null) {
            node.groups.values().forEach(visitor::group);
        }
    }

    int size() {
        return size;
    }

    /** See {@link #version}. */
    long version() {
        return version;
    }
}
