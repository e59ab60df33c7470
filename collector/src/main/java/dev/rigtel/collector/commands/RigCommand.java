package dev.rigtel.collector.commands;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command to a rig and where it stands.
 *
 * @param id unique and sortable by issue time: {@code cmd-<13-digit epoch millis>-<10 hex digits>}
 * @param args the validated arguments, defaults filled in, in the order of {@link
 *     CommandType#argNames()}; values are {@code String} or {@code Integer}
 * @param issuedBy the user who asked for it
 * @param issuedAt when it was published, to the millisecond
 * @param expiresAt after this a rig must not act on it, and without a result it is {@code expired}
 * @param detail the rig's or the collector's explanation of the status; empty if none
 * @param updatedAt when it reached {@code status}
 */
public record RigCommand(
        String id,
        String rig,
        CommandType command,
        Map<String, Object> args,
        String issuedBy,
        Instant issuedAt,
        Instant expiresAt,
        CommandStatus status,
        String detail,
        Instant updatedAt) {

    public RigCommand {
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        detail = detail == null ? "" : detail;
    }

    /** The same command at a new status. */
    public RigCommand withStatus(CommandStatus newStatus, String newDetail, Instant at) {
        return new RigCommand(id, rig, command, args, issuedBy, issuedAt, expiresAt, newStatus, newDetail, at);
    }

    /** Sent, waiting for the rig's result. */
    public boolean pending() {
        return status == CommandStatus.SENT;
    }
}
