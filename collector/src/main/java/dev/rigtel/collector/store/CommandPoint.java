package dev.rigtel.collector.store;

/**
 * A rig command at one status. Every point carries the whole command, so any one of them rebuilds
 * it; the times are epoch milliseconds (exact when read back as JSON doubles).
 *
 * @param command the command's label, e.g. {@code identify}
 * @param status the status's label: {@code sent}, {@code ok}, {@code failed}, ...
 * @param argsJson the validated arguments as a JSON object
 * @param detail the rig's or the collector's explanation, empty if none
 * @param timeNanos when the command reached {@code status}, unique per id
 */
public record CommandPoint(
        String rig,
        String command,
        String status,
        String id,
        String argsJson,
        String issuedBy,
        String detail,
        long issuedMillis,
        long expiresMillis,
        long timeNanos) {}
