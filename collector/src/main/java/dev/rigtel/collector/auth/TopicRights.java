package dev.rigtel.collector.auth;

/**
 * Which topics a user may subscribe to and publish on, beyond the telemetry and slate topics the
 * ingest path checks itself. Subscriptions are checked by filter prefix, so a filter is allowed
 * only if every topic it can match is readable: a rig can never reach another rig's commands.
 *
 * <table>
 *   <caption>Topic rights by role</caption>
 *   <tr><th>role</th><th>subscribe</th><th>publish (besides ingest)</th></tr>
 *   <tr><td>rig r</td><td>{@code rigtel/v1/r/...}, {@code rigtel/v1/live/r/...}</td>
 *       <td>{@code rigtel/v1/r/command/result}; a will only on {@code rigtel/v1/r/online}</td></tr>
 *   <tr><td>slate s</td><td>{@code rigtel/v1/live/...}, {@code rigtel/v1/slate}, {@code rigtel/v1/s/error}</td>
 *       <td>-</td></tr>
 *   <tr><td>viewer</td><td>{@code rigtel/...}, {@code $SYS/...}</td><td>-</td></tr>
 *   <tr><td>import</td><td>-</td><td>- (it posts to {@code /api/import})</td></tr>
 *   <tr><td>admin</td><td>any filter</td><td>any topic but {@code rigtel/v1/live/...} and {@code $...}</td></tr>
 * </table>
 */
public final class TopicRights {

    /** Where the collector publishes derived live topics; nobody else may. */
    public static final String LIVE_PREFIX = "rigtel/v1/live/";

    /** The one payload of a rig's will on its {@link #onlineTopic}: the JSON {@code false}. */
    public static final String OFFLINE_PAYLOAD = "false";

    private TopicRights() {}

    /** The topic a rig answers commands on. */
    public static String commandResultTopic(String rig) {
        return "rigtel/v1/" + rig + "/command/result";
    }

    public static boolean canSubscribe(Role role, String user, String filter) {
        return switch (role) {
            case ADMIN -> true;
            case IMPORT -> false;
            case VIEWER -> filter.startsWith("rigtel/") || filter.startsWith("$SYS/");
            case RIG -> under(filter, "rigtel/v1/" + user + "/") || under(filter, LIVE_PREFIX + user + "/");
            case SLATE ->
                under(filter, LIVE_PREFIX)
                        || filter.equals("rigtel/v1/slate")
                        || filter.equals("rigtel/v1/" + user + "/error");
        };
    }

    /** Rights to publish on topics the ingest path does not handle. */
    public static boolean canPublish(Role role, String user, String topic) {
        if (topic.startsWith(LIVE_PREFIX) || topic.startsWith("$")) {
            return false;
        }
        return switch (role) {
            case ADMIN -> true;
            case RIG -> topic.equals(commandResultTopic(user));
            case VIEWER, SLATE, IMPORT -> false;
        };
    }

    /** Where a rig may leave its Last Will, and nowhere else: {@code rigtel/v1/{rig}/online}. */
    public static String onlineTopic(String rig) {
        return "rigtel/v1/" + rig + "/online";
    }

    /**
     * Rights to set a Last Will on {@code topic}. A will is published by the broker when the client
     * drops, past every check a PUBLISH gets (it is never ingested nor validated), and a retained one
     * reaches every later subscriber. So a rig may leave one only on its {@link #onlineTopic} (its
     * payload is checked by the caller: {@link #OFFLINE_PAYLOAD}), never on its telemetry, command,
     * result or error topics; other users only where they may {@link #canPublish}. The caller also
     * refuses wills on the topics ingest owns (rig telemetry, slate events), which an admin may name.
     */
    public static boolean canPublishWill(Role role, String user, String topic) {
        if (role == Role.RIG) {
            return topic.equals(onlineTopic(user));
        }
        return canPublish(role, user, topic);
    }

    /** True if every topic {@code filter} can match lies under {@code prefix} (which ends with '/'). */
    private static boolean under(String filter, String prefix) {
        return filter.startsWith(prefix);
    }
}
