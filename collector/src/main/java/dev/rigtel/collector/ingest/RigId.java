package dev.rigtel.collector.ingest;

import java.util.Set;

/**
 * A rig's identity: the username it authenticates with. 1 to 64 characters, none of them
 * {@code / + #} (MQTT topic syntax), a backslash, white space or a control character, so that it
 * fits one topic level and one line-protocol tag value unambiguously on every InfluxDB version.
 * Every user's name is one (its error topic is {@code rigtel/v1/{name}/error}); the id of a rig is
 * further held to {@link #rigProblem}.
 */
public record RigId(String value) {

    public static final int MAX_LENGTH = 64;

    public RigId {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException("invalid rig id '" + value + "': " + problem);
        }
    }

    /** Why {@code value} cannot be a rig id, or null if it can. */
    public static String problem(String value) {
        if (value == null || value.isEmpty()) {
            return "empty";
        }
        if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (c == '/' || c == '+' || c == '#' || c == '\\') {
                return "contains '" + Character.toString(c) + "'";
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c) || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFD) {
                return "contains white space, a control character or an unpaired surrogate";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    /**
     * Names no rig may have: the topic levels beside rig ids under {@code rigtel/v1/} ({@code live},
     * the collector's live topics; {@code slate}, the slate events) and under {@code rigtel/v1/live/}
     * ({@code takes}, {@code storage}). A rig may read and write under {@code rigtel/v1/{rig}/} and
     * read under {@code rigtel/v1/live/{rig}/}, and a filter {@code x/#} also matches {@code x}
     * (MQTT 3.1.1 section 4.7.1.2): a rig named so would reach topics that are not its own. A new
     * topic of that kind must be added here ({@code RigIdTest} holds live-topics.md to it).
     */
    public static final Set<String> RESERVED = Set.of("live", "slate", "takes", "storage");

    /**
     * Why {@code value} cannot be a rig's id (the username of a user with role rig, or the client id
     * of an anonymous client), or null if it can: {@link #problem}, a {@link #RESERVED} name, or a
     * {@code $} (topics starting with {@code $} are the server's, MQTT 3.1.1 section 4.7.2; none of a
     * rig's topics may look like one). Other users' names are held only to {@link #problem}.
     */
    public static String rigProblem(String value) {
        String problem = problem(value);
        if (problem != null) {
            return problem;
        }
        if (RESERVED.contains(value)) {
            return "'" + value + "' is reserved: live, slate, takes and storage are levels of the collector's own "
                    + "topics beside rig ids (rigtel/v1/live/..., rigtel/v1/slate, rigtel/v1/live/takes, ...)";
        }
        if (value.indexOf('$') >= 0) {
            return "contains '$'";
        }
        return null;
    }

    @Override
    public String toString() {
        return value;
    }
}
