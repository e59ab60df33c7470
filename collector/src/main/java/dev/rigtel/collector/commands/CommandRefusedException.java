package dev.rigtel.collector.commands;

/** A command the collector will not send, with a bounded reason and a message for the person who asked. */
public final class CommandRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The rig id cannot be one (see {@link dev.rigtel.collector.ingest.RigId}). */
    public static final String INVALID_RIG = "invalid-rig";
    /** Not one of {@link CommandType}. */
    public static final String UNKNOWN_COMMAND = "unknown-command";
    /** An argument is unknown, missing, of the wrong type or out of range. */
    public static final String INVALID_ARGS = "invalid-args";
    /** The request is not a JSON object {@code {"command":...,"args":{...}}}. */
    public static final String MALFORMED_REQUEST = "malformed-request";

    private final String reason;

    public CommandRefusedException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** One of the constants of this class. */
    public String reason() {
        return reason;
    }
}
