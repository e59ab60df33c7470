package dev.rigtel.collector.ingest;

import java.util.Optional;

/**
 * A parsed rig topic {@code rigtel/v1/{rig}/{kind}}. The rig level is kept as the raw string: it
 * is compared with the authenticated rig id, never trusted as an identity.
 */
public record RigTopic(String rigLevel, MessageKind kind) {

    public static final String PREFIX = "rigtel/v1/";

    /** {@link MessageKind#values()} once: every PUBLISH is parsed, and each call copies the array. */
    private static final MessageKind[] KINDS = MessageKind.values();

    /** The topic a rig publishes {@code kind} on. */
    public static String of(RigId rig, MessageKind kind) {
        return PREFIX + rig.value() + "/" + kind.topicLevel();
    }

    /** Parses a topic name; empty if it is not a rig topic of contract v1. */
    public static Optional<RigTopic> parse(String topic) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int slash = topic.indexOf('/', PREFIX.length());
        if (slash <= PREFIX.length() || topic.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        String rig = topic.substring(PREFIX.length(), slash);
        String last = topic.substring(slash + 1);
        for (MessageKind kind : KINDS) {
            if (kind != MessageKind.SLATE && kind.topicLevel().equals(last)) {
                return Optional.of(new RigTopic(rig, kind));
            }
        }
        return Optional.empty();
    }

    /** True if the topic lies under {@code rigtel/v1/{rig}/}, known kind or not. */
    public static boolean isUnder(String topic, RigId rig) {
        String own = PREFIX + rig.value() + "/";
        return topic != null && topic.startsWith(own);
    }
}
