package dev.rigtel.collector.store;

/**
 * One offer as the {@link Spool} holds it.
 *
 * @param sequence its position in the spool; increases by one per record
 * @param points how many line-protocol points {@code lines} holds
 * @param lines newline-terminated line-protocol text, exactly as appended
 */
public record SpoolRecord(long sequence, int points, String lines) {}
