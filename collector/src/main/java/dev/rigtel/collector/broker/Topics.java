package dev.rigtel.collector.broker;

import java.nio.charset.StandardCharsets;

/** Topic names and filters: validation and matching (section 4.7). */
public final class Topics {

    /** Section 1.5.3: UTF-8 strings are at most 65,535 bytes. */
    private static final int MAX_BYTES = 65_535;

    private Topics() {}

    /** Why {@code name} is not a valid topic name for PUBLISH, or null if it is (section 4.7.3). */
    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "topic name is empty";
        }
        if (name.indexOf('+') >= 0 || name.indexOf('#') >= 0) {
            return "topic name contains a wildcard";
        }
        if (name.indexOf('\u0000') >= 0) {
            return "topic name contains U+0000";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "topic name is longer than 65535 bytes";
        }
        return null;
    }

    /** Why {@code filter} is not a valid topic filter for SUBSCRIBE, or null if it is (section 4.7.1). */
    public static String filterProblem(String filter) {
        if (filter == null || filter.isEmpty()) {
            return "topic filter is empty";
        }
        if (filter.indexOf('\u0000') >= 0) {
            return "topic filter contains U+0000";
        }
        if (filter.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "topic filter is longer than 65535 bytes";
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.indexOf('#') >= 0 && (!level.equals("#") || i != levels.length - 1)) {
                return "'#' must be a whole level and the last one (section 4.7.1.2)";
            }
            if (level.indexOf('+') >= 0 && !level.equals("+")) {
                return "'+' must be a whole level (section 4.7.1.3)";
            }
        }
        return null;
    }

    /**
     * True if {@code topic} matches {@code filter}. Wildcards at the first level do not match topics
     * beginning with '$' (section 4.7.2).
     */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** The prefix of a shared subscription's filter (MQTT 5 section 4.8.2). */
    public static final String SHARE_PREFIX = "$share/";

    /** True if {@code filter} names a shared subscription: {@code $share/{ShareName}/{filter}}. */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    /**
     * Why a shared subscription's filter is not valid, or null if it is (MQTT 5 section 4.8.2): a
     * Share Name of at least one character without '/', '+' or '#', then '/', then a valid filter.
     */
    public static String sharedFilterProblem(String filter) {
        int slash = filter.indexOf('/', SHARE_PREFIX.length());
        if (slash < 0) {
            return "shared subscription without a topic filter after its share name (MQTT 5 section 4.8.2)";
        }
        String name = filter.substring(SHARE_PREFIX.length(), slash);
        if (name.isEmpty()) {
            return "empty share name (MQTT 5 section 4.8.2)";
        }
        if (name.indexOf('+') >= 0 || name.indexOf('#') >= 0) {
            return "share name contains a wildcard (MQTT 5 section 4.8.2)";
        }
        return filterProblem(filter.substring(slash + 1));
    }

    /** The Share Name of a valid shared subscription's filter, or null if it is not shared. */
    public static String shareName(String filter) {
        if (!isShared(filter)) {
            return null;
        }
        return filter.substring(SHARE_PREFIX.length(), filter.indexOf('/', SHARE_PREFIX.length()));
    }

    /** The topic filter messages are matched against: without {@code $share/{ShareName}/} if shared. */
    public static String matchedFilter(String filter) {
        if (!isShared(filter)) {
            return filter;
        }
        return filter.substring(filter.indexOf('/', SHARE_PREFIX.length()) + 1);
    }

    /** True if the filter contains a wildcard. */
    public static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }
}
