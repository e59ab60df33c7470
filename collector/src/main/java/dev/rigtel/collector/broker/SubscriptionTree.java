package dev.rigtel.collector.broker;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Subscriptions indexed by topic level, so routing a message costs the depth of its topic, not the
 * number of subscriptions. Not thread-safe: {@link Broker} guards it.
 */
final class SubscriptionTree {

    private static final class Node {
        final Map<String, Node> children = new HashMap<>();
        /** Subscriptions whose filter ends at this node, by session key. */
        final Map<String, Subscription> subscribers = new HashMap<>();

        boolean empty() {
            return children.isEmpty() && subscribers.isEmpty();
        }
    }

    private final Node root = new Node();
    private int size;

    /** Adds or replaces the session's subscription with this filter; true if it was new. */
    boolean put(String sessionKey, Subscription subscription) {
        Node node = root;
        for (String level : subscription.filter().split("/", -1)) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        boolean added = node.subscribers.put(sessionKey, subscription) == null;
        if (added) {
            size++;
        }
        return added;
    }

    /** Removes the session's subscription with this filter; true if there was one. */
    boolean remove(String sessionKey, String filter) {
        String[] levels = filter.split("/", -1);
        boolean removed = remove(root, levels, 0, sessionKey);
        if (removed) {
            size--;
        }
        return removed;
    }

    private static boolean remove(Node node, String[] levels, int i, String sessionKey) {
        if (i == levels.length) {
            return node.subscribers.remove(sessionKey) != null;
        }
        Node child = node.children.get(levels[i]);
        if (child == null) {
            return false;
        }
        boolean removed = remove(child, levels, i + 1, sessionKey);
        if (child.empty()) {
            node.children.remove(levels[i]);
        }
        return removed;
    }

    /** Calls {@code each} with every (session key, subscription) whose filter matches {@code topic}. */
    void match(String topic, BiConsumer<String, Subscription> each) {
        String[] levels = topic.split("/", -1);
        match(root, levels, 0, topic.startsWith("$"), each);
    }

    private static void match(
            Node node, String[] levels, int i, boolean dollar, BiConsumer<String, Subscription> each) {
        // Section 4.7.2: a filter starting with a wildcard does not match a topic starting with '$'.
        boolean wildcardsAllowed = !(dollar && i == 0);
        if (wildcardsAllowed) {
            // '#' also matches the parent level: "sport/#" matches "sport" (section 4.7.1.2).
            Node multi = node.children.get("#");
            if (multi != null) {
                multi.subscribers.forEach(each);
            }
        }
        if (i == levels.length) {
            node.subscribers.forEach(each);
            return;
        }
        Node exact = node.children.get(levels[i]);
        if (exact != null) {
            match(exact, levels, i + 1, dollar, each);
        }
        if (wildcardsAllowed) {
            Node single = node.children.get("+");
            if (single != null) {
                match(single, levels, i + 1, dollar, each);
            }
        }
    }

    int size() {
        return size;
    }
}
