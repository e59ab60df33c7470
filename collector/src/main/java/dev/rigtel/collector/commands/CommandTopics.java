package dev.rigtel.collector.commands;

/** The MQTT topics of rig commands (firmware-notes/commands.md). */
public final class CommandTopics {

    /** What the collector subscribes to for every rig's results. */
    public static final String RESULT_FILTER = "rigtel/v1/+/command/result";

    private CommandTopics() {}

    /** Where the collector publishes commands for {@code rig}, QoS 1, and where the rig subscribes. */
    public static String command(String rig) {
        return "rigtel/v1/" + rig + "/command";
    }

    /** Where {@code rig} answers each command, QoS 1. */
    public static String result(String rig) {
        return "rigtel/v1/" + rig + "/command/result";
    }

    /** The rig a topic carries command results of, or null if it is not a result topic. */
    public static String resultRig(String topic) {
        String prefix = "rigtel/v1/";
        String suffix = "/command/result";
        if (!topic.startsWith(prefix) || !topic.endsWith(suffix)) {
            return null;
        }
        String rig = topic.substring(prefix.length(), topic.length() - suffix.length());
        return rig.isEmpty() || rig.indexOf('/') >= 0 ? null : rig;
    }

    /** Where live views follow every status change of {@code rig}'s commands (QoS 1, not retained). */
    public static String live(String rig) {
        return "rigtel/v1/live/" + rig + "/command";
    }
}
