package dev.rigtel.collector.commands;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a command stands. It only moves forward: {@code sent}, then {@code expired} if no result
 * came in time, then one of the rig's answers (a late answer still counts: the rig's word is the
 * truth about what it did). The order of the constants is that rank.
 */
public enum CommandStatus {
    /** Published to the rig; no result yet. */
    SENT,
    /** No result before {@code expires_at}. */
    EXPIRED,
    /** The rig did it. */
    OK,
    /** The rig tried and could not (e.g. its card is full). */
    FAILED,
    /** The rig refused without trying (unknown command, bad arguments, expired, busy). */
    REJECTED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the rig's own answers. */
    public boolean answered() {
        return this == OK || this == FAILED || this == REJECTED;
    }

    /** {@code ok}, {@code failed} or {@code rejected}: the statuses a rig may report. */
    public static Optional<CommandStatus> fromRig(String label) {
        for (CommandStatus status : values()) {
            if (status.answered() && status.label().equals(label)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    /** Any status by its label, e.g. read back from InfluxDB. */
    public static Optional<CommandStatus> fromLabel(String label) {
        for (CommandStatus status : values()) {
            if (status.label().equals(label)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
