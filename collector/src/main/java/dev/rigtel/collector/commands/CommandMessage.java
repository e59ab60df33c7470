package dev.rigtel.collector.commands;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * Wire form of a command on {@code rigtel/v1/{rig}/command} (firmware-notes/commands.md). Times are
 * ISO-8601 UTC with milliseconds, {@code 2026-11-21T09:30:00.000Z}.
 */
@JsonPropertyOrder({"v", "id", "command", "args", "issuedAt", "expiresAt"})
public record CommandMessage(
        @JsonProperty("v") int version,
        @JsonProperty("id") String id,
        @JsonProperty("command") String command,
        @JsonProperty("args") Map<String, Object> args,
        @JsonProperty("issuedAt") String issuedAt,
        @JsonProperty("expiresAt") String expiresAt) {

    public static final int VERSION = 1;

    static CommandMessage of(RigCommand command) {
        return new CommandMessage(
                VERSION,
                command.id(),
                command.command().label(),
                command.args(),
                CommandView.iso(command.issuedAt()),
                CommandView.iso(command.expiresAt()));
    }
}
