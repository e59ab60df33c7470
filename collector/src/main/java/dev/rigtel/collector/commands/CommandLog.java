package dev.rigtel.collector.commands;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.store.CommandPoint;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.store.StoredPoints;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rig commands in InfluxDB, measurement {@code rig_command}: one point per status a command
 * reaches, each carrying the whole command, so the history is rebuilt from storage alone (after a
 * restart, or by another collector). Of a command's points the most advanced status wins ({@link
 * CommandStatus} order), which needs no agreement between clocks. A point's timestamp is the
 * millisecond it reached its status plus an offset below one millisecond from the id, so two
 * commands at the same millisecond never overwrite each other while the same status written twice
 * does.
 */
public final class CommandLog {

    private static final Logger log = LoggerFactory.getLogger(CommandLog.class);
    private static final TypeReference<LinkedHashMap<String, Object>> ARGS = new TypeReference<>() {};

    /** Points read per command asked for: sent, maybe expired, the answer, and some slack. */
    private static final int POINTS_PER_COMMAND = 4;

    private CommandLog() {}

    /** The store's point of {@code command} at its current status. */
    public static CommandPoint point(RigCommand command, String argsJson) {
        return new CommandPoint(
                command.rig(),
                command.command().label(),
                command.status().label(),
                command.id(),
                argsJson,
                command.issuedBy(),
                command.detail(),
                command.issuedAt().toEpochMilli(),
                command.expiresAt().toEpochMilli(),
                timestampNanos(command));
    }

    static long offsetNanos(String id) {
        return Math.floorMod(id.hashCode(), 1_000_000);
    }

    static long timestampNanos(RigCommand command) {
        return command.updatedAt().toEpochMilli() * 1_000_000L + offsetNanos(command.id());
    }

    /**
     * The commands of {@code rig} that reached a status since {@code since}, newest issued first, at
     * most {@code limit}. A command stored as sent whose expiry has passed at {@code now} is answered
     * as expired: the collector that sent it may have stopped before it could write that. Blocking.
     */
    public static List<RigCommand> load(
            StoreReads store, ObjectMapper json, String rig, Instant since, Instant now, int limit) {
        List<RigCommand> commands = newestFirst(
                latest(commands(store.commandPoints(rig, nanos(since), limit * POINTS_PER_COMMAND), json, ""), now));
        return commands.size() > limit ? commands.subList(0, limit) : commands;
    }

    /**
     * Every command of any rig that reached a status since {@code since}, as {@link #load} would
     * answer them: at start, the commands a rig may still answer. Blocking.
     */
    public static List<RigCommand> loadSince(StoreReads store, ObjectMapper json, Instant since, Instant now) {
        return newestFirst(latest(commands(store.commandPointsSince(nanos(since)), json, ""), now));
    }

    private static long nanos(Instant since) {
        return since.toEpochMilli() * 1_000_000L;
    }

    /**
     * The commands among line-protocol points as the store writes their {@link #point}s, e.g. in the spool's
     * records that have not reached InfluxDB yet; per id the most advanced. A point that cannot be
     * read back is logged and skipped.
     */
    public static List<RigCommand> commandsIn(String lines, ObjectMapper json) {
        Map<String, RigCommand> byId = new LinkedHashMap<>();
        for (RigCommand command : commands(StoredPoints.commandPointsIn(lines), json, " in the spool")) {
            byId.merge(command.id(), command, CommandLog::moreAdvanced);
        }
        return List.copyOf(byId.values());
    }

    /** One command of {@code rig} by id, as {@link #load} would answer it. Blocking. */
    public static Optional<RigCommand> find(StoreReads store, ObjectMapper json, String rig, String id, Instant now) {
        return latest(commands(store.commandPoints(rig, id), json, ""), now).stream()
                .findFirst();
    }

    /**
     * Stored and in-memory commands merged by id, newest issued first, at most {@code limit}. Memory
     * wins for the same id unless storage holds a more advanced status (another collector received
     * the rig's answer); memory may be ahead of storage by what the write buffer still holds.
     */
    public static List<RigCommand> merge(Collection<RigCommand> stored, Collection<RigCommand> recent, int limit) {
        Map<String, RigCommand> byId = new HashMap<>();
        for (RigCommand command : stored) {
            byId.merge(command.id(), command, CommandLog::moreAdvanced);
        }
        for (RigCommand command : recent) {
            byId.merge(
                    command.id(),
                    command,
                    (fromStorage, fromMemory) ->
                            fromStorage.status().compareTo(fromMemory.status()) > 0 ? fromStorage : fromMemory);
        }
        List<RigCommand> merged = newestFirst(byId.values());
        return merged.size() > limit ? merged.subList(0, limit) : merged;
    }

    private static List<RigCommand> newestFirst(Collection<RigCommand> commands) {
        List<RigCommand> sorted = new ArrayList<>(commands);
        sorted.sort(Comparator.comparing(RigCommand::issuedAt)
                .thenComparing(RigCommand::id)
                .reversed());
        return sorted;
    }

    private static RigCommand moreAdvanced(RigCommand a, RigCommand b) {
        int byStatus = a.status().compareTo(b.status());
        if (byStatus != 0) {
            return byStatus > 0 ? a : b;
        }
        return a.updatedAt().isAfter(b.updatedAt()) ? a : b;
    }

    /** Per id the most advanced of its points, expired where its expiry has passed unanswered. */
    private static Collection<RigCommand> latest(List<RigCommand> points, Instant now) {
        Map<String, RigCommand> byId = new LinkedHashMap<>();
        for (RigCommand point : points) {
            byId.merge(point.id(), point, CommandLog::moreAdvanced);
        }
        byId.replaceAll((id, c) -> c.pending() && !now.isBefore(c.expiresAt())
                ? c.withStatus(CommandStatus.EXPIRED, RigCommands.NO_RESULT_DETAIL, c.expiresAt())
                : c);
        return byId.values();
    }

    /** The stored points as commands; a point that cannot be read back is logged and skipped. */
    private static List<RigCommand> commands(List<StoreReads.CommandRow> rows, ObjectMapper json, String where) {
        List<RigCommand> points = new ArrayList<>(rows.size());
        for (StoreReads.CommandRow row : rows) {
            try {
                points.add(command(row, json));
            } catch (RuntimeException | IOException e) {
                log.warn("skipping a rig_command point{} that cannot be read back: {}", where, e.getMessage());
            }
        }
        return points;
    }

    private static RigCommand command(StoreReads.CommandRow row, ObjectMapper json) throws IOException {
        String id = row.id();
        String label = row.command();
        CommandType type = CommandType.fromLabel(label)
                .orElseThrow(() -> new IllegalArgumentException("unknown command " + label));
        String statusLabel = row.status();
        CommandStatus status = CommandStatus.fromLabel(statusLabel)
                .orElseThrow(() -> new IllegalArgumentException("unknown status " + statusLabel));
        // The timestamp may come back as a double (about 256 ns apart at today's epoch); the offset
        // below one millisecond is known from the id, so rounding recovers the exact millisecond.
        double timeNanos = row.timeNanos();
        long updatedMillis = Math.round((timeNanos - offsetNanos(id)) / 1_000_000d);
        return new RigCommand(
                id,
                row.rig(),
                type,
                json.readValue(row.argsJson(), ARGS),
                row.issuedBy(),
                Instant.ofEpochMilli(row.issuedMillis()),
                Instant.ofEpochMilli(row.expiresMillis()),
                status,
                row.detail(),
                Instant.ofEpochMilli(updatedMillis));
    }
}
