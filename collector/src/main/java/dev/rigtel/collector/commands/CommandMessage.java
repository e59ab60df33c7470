package dev.rigtel.collector.commands;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * Wire form of a command on {@code rigtel/v1/{rig}/command} (firmware-notes/commands.md), snake_case
 * like the rest of the contract: {@code v, id, command, args, issued_at, expires_at}. Times are
 * ISO-8601 UTC with milliseconds, {@code 2026-11-21T09:30:00.000Z}.
 */
@JsonPropertyOrder({"v", "id", "command", "args", "issued_at", "expires_at"})
public record CommandMessage(
        @JsonProperty("v") int version,
        @JsonProperty("id") String id,
        @JsonProperty("command") String command,
        @JsonProperty("args") Map<String, Object> args,
        @JsonProperty("issued_at") String issuedAt,
        @JsonProperty("expires_at") String expiresAt) {

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
