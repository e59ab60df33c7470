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

    /** Where live views follow every status change of {@code rig}'s commands (QoS 1, not retained). */
    public static String live(String rig) {
        return "rigtel/v1/live/" + rig + "/command";
    }
}
