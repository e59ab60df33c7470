package dev.rigtel.collector.commands;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command as the HTTP API answers it and as live views get it on {@code
 * rigtel/v1/live/{rig}/command}: {@code id, rig, command, args, status, detail, issued_by,
 * issued_at, expires_at, updated_at} (snake_case like the rest of the API; {@code args} as sent to
 * the rig).
 */
public final class CommandView {

    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CommandView() {}

    public static Map<String, Object> of(RigCommand command) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", command.id());
        out.put("rig", command.rig());
        out.put("command", command.command().label());
        out.put("args", command.args());
        out.put("status", command.status().label());
        out.put("detail", command.detail().isEmpty() ? null : command.detail());
        out.put("issued_by", command.issuedBy());
        out.put("issued_at", iso(command.issuedAt()));
        out.put("expires_at", iso(command.expiresAt()));
        out.put("updated_at", iso(command.updatedAt()));
        return out;
    }

    /** ISO-8601 UTC with exactly three fraction digits: fixed width, easy for firmware to parse. */
    public static String iso(Instant instant) {
        return ISO.format(instant);
    }
}
