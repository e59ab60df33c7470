package dev.rigtel.dashboard.live;

import java.util.Optional;

/**
 * A live topic taken apart: {@code rigtel/v1/live/{rig}/{kind}}, or {@code rigtel/v1/live/takes} and
 * {@code rigtel/v1/live/storage} (no rig).
 *
 * @param rig the rig id, or null for {@code takes} and {@code storage}
 */
public record LiveTopic(LiveKind kind, String rig) {

    /** The filter the dashboard subscribes to. */
    public static final String FILTER = "rigtel/v1/live/#";

    static final String PREFIX = "rigtel/v1/live/";

    /** The topic's kind and rig, or empty for a topic that is not a live topic this version knows. */
    public static Optional<LiveTopic> parse(String topic) {
        if (!topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = topic.substring(PREFIX.length());
        if (rest.equals("takes")) {
            return Optional.of(new LiveTopic(LiveKind.TAKES, null));
        }
        if (rest.equals("storage")) {
            return Optional.of(new LiveTopic(LiveKind.STORAGE, null));
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        String rig = rest.substring(0, slash);
        return LiveKind.ofLabel(rest.substring(slash + 1))
                .filter(kind -> kind != LiveKind.TAKES && kind != LiveKind.STORAGE && kind != LiveKind.FEED)
                .map(kind -> new LiveTopic(kind, rig));
    }
}
