package dev.rigtel.collector.commands;

/** What became of a result a rig sent on {@code rigtel/v1/{rig}/command/result}. */
public sealed interface ResultOutcome {

    /** The command moved to the rig's status. */
    record Applied(RigCommand command) implements ResultOutcome {}

    /** The same answer again (QoS 1 may redeliver): nothing changed, nothing counted. */
    record Repeated(RigCommand command) implements ResultOutcome {}

    /**
     * The result was not used; counted as {@code rigtel.commands{result=unknown-result}}.
     *
     * @param reason bounded: malformed-payload, unsupported-version, missing-field, wrong-type,
     *     invalid-status, unknown-id, already-answered
     */
    record Rejected(String reason, String message) implements ResultOutcome {}
}
