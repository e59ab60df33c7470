package dev.rigtel.collector.commands;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.store.StoreWrites;
import dev.rigtel.common.log.RateLimitedLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to rigs and follows them to their end (firmware-notes/commands.md).
 *
 * <p>{@link #issue} validates a command, publishes it on {@code rigtel/v1/{rig}/command} at QoS 1
 * with an MQTT 5 message expiry, and records it: in a bounded map of recent commands, as a {@code
 * rig_command} point through the store's write port ({@link StoreWrites}), and on the live topic {@code
 * rigtel/v1/live/{rig}/command}. {@link #result} takes the rig's answer, {@link #tick} marks
 * commands expired that got none. Every status change is recorded the same three ways, and counted
 * in {@code rigtel.commands{result}}: sent, refused, ok, failed, rejected, expired, unknown-result.
 *
 * <p>Thread-safe: called from API workers, the scheduler and MQTT intake. Never blocks on InfluxDB
 * (the write buffer only appends to its spool); the outlet must not block either.
 */
public final class RigCommands {

    private static final Logger log = LoggerFactory.getLogger(RigCommands.class);

    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(5);
    public static final int DEFAULT_RECENT_CAPACITY = 1000;
    /** Longest {@code detail} kept from a rig's result; the rest is cut off. */
    public static final int MAX_DETAIL_CHARS = 300;
    /** What an id this class makes looks like. */
    public static final Pattern ID = Pattern.compile("cmd-[0-9]{13}-[0-9a-f]{10}");

    static final String NO_RESULT_DETAIL = "no result from the rig before expiry";

    private final ObjectMapper json;
    private final WireMapper wire;
    private final CommandOutlet outlet;
    private final StoreWrites writes;
    private final BrokerMeters meters;
    private final Clock clock;
    private final Duration expiry;
    private final int recentCapacity;
    private final RateLimitedLog problems;
    private final AtomicInteger counter = new AtomicInteger();
    /** Tells apart the ids of collectors that issue in the same millisecond. */
    private final String instance = String.format("%06x", new SplittableRandom().nextInt(1 << 24));

    /** Recent commands by id in issue order; the oldest goes first when full. Guarded by this. */
    private final LinkedHashMap<String, RigCommand> recent = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RigCommand> eldest) {
            return size() > recentCapacity;
        }
    };

    /** With the default expiry (5 minutes) and memory of the last 1000 commands. */
    public RigCommands(WireMapper wire, CommandOutlet outlet, StoreWrites writes, BrokerMeters meters, Clock clock) {
        this(wire, outlet, writes, meters, clock, DEFAULT_EXPIRY, DEFAULT_RECENT_CAPACITY);
    }

    /**
     * @param expiry how long a command may wait for delivery and a result, at least one second
     * @param recentCapacity how many recent commands are kept in memory (history beyond comes from
     *     InfluxDB); a result for a command no longer held is refused as unknown-id
     */
    public RigCommands(
            WireMapper wire,
            CommandOutlet outlet,
            StoreWrites writes,
            BrokerMeters meters,
            Clock clock,
            Duration expiry,
            int recentCapacity) {
        if (expiry.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("command expiry must be at least 1 s, got " + expiry);
        }
        if (recentCapacity < 1) {
            throw new IllegalArgumentException("recentCapacity must be at least 1");
        }
        this.wire = wire;
        this.json = wire.mapper();
        this.outlet = outlet;
        this.writes = writes;
        this.meters = meters;
        this.clock = clock;
        this.expiry = expiry;
        this.recentCapacity = recentCapacity;
        this.problems = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
    }

    public Duration expiry() {
        return expiry;
    }

    /**
     * Validates a command, publishes it to the rig and records it as sent.
     *
     * @param args the arguments as a JSON object; null means none
     * @param issuedBy the authenticated user who asked
     * @throws CommandRefusedException for an invalid rig id, an unknown command or invalid
     *     arguments; counted as refused and nothing is sent
     * @throws RuntimeException what the outlet throws; the command is then neither kept nor
     *     stored
     */
    public RigCommand issue(String rig, String command, JsonNode args, String issuedBy) throws CommandRefusedException {
        try {
            return send(validated(rig, command, args, issuedBy));
        } catch (CommandRefusedException e) {
            throw refused(rig, issuedBy, e);
        }
    }

    /** {@link #issue(String, String, JsonNode, String)} with the arguments as a map. */
    public RigCommand issue(String rig, String command, Map<String, ?> args, String issuedBy)
            throws CommandRefusedException {
        return issue(rig, command, args == null ? null : (JsonNode) json.valueToTree(args), issuedBy);
    }

    /**
     * Issues a command from a request body {@code {"command":"set-sample-rate","args":{"sample_rate_hz":400}}}
     * (the HTTP API's; the args are those on the wire, snake_case); a body that is not such an object
     * is refused as malformed-request.
     */
    public RigCommand issueRequest(String rig, byte[] body, String issuedBy) throws CommandRefusedException {
        try {
            JsonNode request;
            try {
                request = json.readTree(body);
            } catch (IOException e) {
                throw malformedRequest("the body is not JSON: " + firstLine(e));
            }
            if (request == null || !request.isObject()) {
                throw malformedRequest("the body must be a JSON object");
            }
            for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("command") && !name.equals("args")) {
                    throw malformedRequest("unknown field '" + CommandArgs.shorten(name) + "'");
                }
            }
            JsonNode command = request.get("command");
            if (command == null || !command.isTextual()) {
                throw malformedRequest("command must be a string, one of " + CommandType.labels());
            }
            return send(validated(rig, command.asText(), request.get("args"), issuedBy));
        } catch (CommandRefusedException e) {
            throw refused(rig, issuedBy, e);
        }
    }

    private static CommandRefusedException malformedRequest(String problem) {
        return new CommandRefusedException(
                CommandRefusedException.MALFORMED_REQUEST,
                problem + "; send {\"command\":\"identify\",\"args\":{\"seconds\":5}}");
    }

    private RigCommand validated(String rig, String command, JsonNode args, String issuedBy)
            throws CommandRefusedException {
        // A reserved id would put the command on a topic of the collector's (rigtel/v1/live/command).
        String problem = RigId.rigProblem(rig);
        if (problem != null) {
            throw new CommandRefusedException(
                    CommandRefusedException.INVALID_RIG,
                    "invalid rig id '" + CommandArgs.shorten(String.valueOf(rig)) + "': " + problem);
        }
        CommandType type = CommandType.fromLabel(command)
                .orElseThrow(() -> new CommandRefusedException(
                        CommandRefusedException.UNKNOWN_COMMAND,
                        "unknown command '" + CommandArgs.shorten(String.valueOf(command)) + "'; one of "
                                + CommandType.labels()));
        Map<String, Object> validArgs = CommandArgs.validate(type, args);
        Instant now = now();
        return new RigCommand(
                newId(now), rig, type, validArgs, issuedBy, now, now.plus(expiry), CommandStatus.SENT, "", now);
    }

    private RigCommand send(RigCommand command) {
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(CommandMessage.of(command));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Rounded up: the broker drops the message once this has passed, and a rig must not get
        // it later than expires_at.
        long expirySeconds = (expiry.toMillis() + 999) / 1000;
        // Known and told to live views before it is out: a rig may answer before publish() returns,
        // and its answer must not be overtaken by "sent" on the live topic.
        synchronized (this) {
            recent.put(command.id(), command);
        }
        publishLive(command);
        try {
            outlet.publish(CommandTopics.command(command.rig()), payload, 1, false, expirySeconds);
        } catch (RuntimeException e) {
            synchronized (this) {
                recent.remove(command.id());
            }
            throw e;
        }
        log.info(
                "command {} {} {} sent to {} by {}",
                command.id(),
                command.command().label(),
                command.args(),
                command.rig(),
                command.issuedBy());
        store(command, "sent");
        return command;
    }

    private CommandRefusedException refused(String rig, String issuedBy, CommandRefusedException e) {
        meters.command("refused");
        problems.warn(
                "refused:" + e.reason(),
                "refused a command for {} from {} ({}): {} (logged once a minute per reason)",
                printable(String.valueOf(rig)),
                issuedBy,
                e.reason(),
                printable(e.getMessage()));
        return e;
    }

    /**
     * Takes a rig's answer from {@code rigtel/v1/{rig}/command/result}: {@code
     * {"v":1,"id":"...","status":"ok"|"failed"|"rejected","detail":"..."}} in JSON or CBOR. A
     * result for a command that is not among the recent ones of this rig, or that contradicts an
     * answer already taken, is refused, counted as unknown-result and logged once a minute per rig
     * and reason. The same answer twice (a QoS 1 redelivery) changes nothing.
     *
     * @param rig the authenticated rig the result came from
     */
    public ResultOutcome result(String rig, byte[] payload) {
        JsonNode node;
        try {
            node = wire.read(payload, JsonNode.class);
        } catch (IOException e) {
            return rejected(rig, "malformed-payload", "not a JSON or CBOR map: " + firstLine(e));
        }
        if (node == null || !node.isObject()) {
            return rejected(rig, "malformed-payload", "a result must be a map {\"v\":1,\"id\":...,\"status\":...}");
        }
        JsonNode version = node.get("v");
        if (version == null) {
            return rejected(rig, "missing-field", "v is required");
        }
        if (!version.isIntegralNumber()) {
            return rejected(rig, "wrong-type", "v must be an integer");
        }
        if (!version.canConvertToInt() || version.intValue() != CommandMessage.VERSION) {
            return rejected(rig, "unsupported-version", "v must be 1, got " + CommandArgs.shorten(version.asText()));
        }
        JsonNode idNode = node.get("id");
        JsonNode statusNode = node.get("status");
        JsonNode detailNode = node.get("detail");
        if (idNode == null || statusNode == null) {
            return rejected(rig, "missing-field", idNode == null ? "id is required" : "status is required");
        }
        if (!idNode.isTextual() || !statusNode.isTextual()) {
            return rejected(rig, "wrong-type", (idNode.isTextual() ? "status" : "id") + " must be a string");
        }
        if (detailNode != null && !detailNode.isNull() && !detailNode.isTextual()) {
            return rejected(rig, "wrong-type", "detail must be a string");
        }
        Optional<CommandStatus> status = CommandStatus.fromRig(statusNode.asText());
        if (status.isEmpty()) {
            return rejected(
                    rig,
                    "invalid-status",
                    "status must be ok, failed or rejected, got '" + CommandArgs.shorten(statusNode.asText()) + "'");
        }
        String id = idNode.asText();
        String detail = detailNode == null || detailNode.isNull() ? "" : detailNode.asText();
        if (detail.length() > MAX_DETAIL_CHARS) {
            detail = detail.substring(0, MAX_DETAIL_CHARS);
        }
        RigCommand updated;
        synchronized (this) {
            RigCommand current = recent.get(id);
            if (current == null || !current.rig().equals(rig)) {
                return rejected(rig, "unknown-id", "no recent command '" + CommandArgs.shorten(id) + "' for " + rig);
            }
            if (current.status().answered()) {
                if (current.status() == status.get()) {
                    log.debug("repeated result {} for {}", status.get().label(), id);
                    return new ResultOutcome.Repeated(current);
                }
                return rejected(
                        rig,
                        "already-answered",
                        "command " + id + " was already answered "
                                + current.status().label());
            }
            updated = current.withStatus(status.get(), detail, now());
            recent.put(id, updated);
        }
        log.info(
                "command {} {} to {}: {}{}",
                id,
                updated.command().label(),
                rig,
                updated.status().label(),
                detail.isEmpty() ? "" : " (" + printable(detail) + ")");
        recordChange(updated, updated.status().label());
        return new ResultOutcome.Applied(updated);
    }

    private ResultOutcome rejected(String rig, String reason, String message) {
        meters.command("unknown-result");
        problems.warn(
                "result:" + rig + ":" + reason,
                "refused a command result from {}: {} ({}); logged once a minute per rig and reason",
                rig,
                printable(message),
                reason);
        return new ResultOutcome.Rejected(reason, message);
    }

    /** Marks commands expired whose expiry has passed without a result; call about once a second. */
    public void tick() {
        Instant now = now();
        List<RigCommand> expired = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, RigCommand> entry : recent.entrySet()) {
                RigCommand command = entry.getValue();
                if (command.pending() && !now.isBefore(command.expiresAt())) {
                    RigCommand updated = command.withStatus(CommandStatus.EXPIRED, NO_RESULT_DETAIL, now);
                    entry.setValue(updated);
                    expired.add(updated);
                }
            }
        }
        for (RigCommand command : expired) {
            log.info(
                    "command {} {} to {} expired without a result",
                    command.id(),
                    command.command().label(),
                    command.rig());
            recordChange(command, "expired");
        }
    }

    /** The recent commands of {@code rig} held in memory, newest issued first. */
    public synchronized List<RigCommand> recent(String rig) {
        List<RigCommand> out = new ArrayList<>();
        for (RigCommand command : recent.values()) {
            if (command.rig().equals(rig)) {
                out.add(command);
            }
        }
        out.sort(Comparator.comparing(RigCommand::issuedAt)
                .thenComparing(RigCommand::id)
                .reversed());
        return out;
    }

    /** A recent command of {@code rig} held in memory. */
    public synchronized Optional<RigCommand> recent(String rig, String id) {
        RigCommand command = recent.get(id);
        return command != null && command.rig().equals(rig) ? Optional.of(command) : Optional.empty();
    }

    /**
     * Takes commands read back from InfluxDB ({@link CommandLog#load}) into memory, e.g. at start, so
     * that results and expiry of commands sent before a restart are handled. Commands already held
     * are kept as they are; nothing is published or written.
     */
    public synchronized void restore(Collection<RigCommand> stored) {
        List<RigCommand> oldestFirst = new ArrayList<>(stored);
        oldestFirst.sort(Comparator.comparing(RigCommand::issuedAt).thenComparing(RigCommand::id));
        for (RigCommand command : oldestFirst) {
            recent.putIfAbsent(command.id(), command);
        }
    }

    /** Writes the command's new status, tells live views, counts it. */
    private void recordChange(RigCommand command, String meterResult) {
        publishLive(command);
        store(command, meterResult);
    }

    private void store(RigCommand command, String meterResult) {
        writes.batch(0).command(CommandLog.point(command, argsJson(command))).offer(() -> {});
        meters.command(meterResult);
    }

    private void publishLive(RigCommand command) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("v", CommandMessage.VERSION);
        event.putAll(CommandView.of(command));
        try {
            outlet.publish(CommandTopics.live(command.rig()), json.writeValueAsBytes(event), 1, false, -1);
        } catch (IOException | RuntimeException e) {
            // Live views are a convenience: the command itself is sent and stored.
            problems.warn("live", "cannot publish a command status to live views: {}", e.toString());
        }
    }

    private String argsJson(RigCommand command) {
        try {
            return json.writeValueAsString(command.args());
        } catch (JacksonException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private String newId(Instant at) {
        return String.format("cmd-%013d-%04x%s", at.toEpochMilli(), counter.getAndIncrement() & 0xffff, instance);
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return CommandArgs.shorten(newline < 0 ? message : message.substring(0, newline));
    }

    private static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }
}
