package dev.rigtel.collector.api;

import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.commands.CommandLog;
import dev.rigtel.collector.commands.CommandRefusedException;
import dev.rigtel.collector.commands.CommandView;
import dev.rigtel.collector.commands.RigCommand;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.store.StoreException;
import dev.rigtel.collector.store.StoreReads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rig commands: {@code POST /api/rigs/{rig}/commands} sends one (HTTP Basic auth of an admin; 202
 * with the command once published); {@code GET /api/rigs/{rig}/commands?limit=} lists the rig's
 * commands, newest first, from the store merged with the ones in memory; {@code GET
 * /api/rigs/{rig}/commands/{id}} answers one.
 */
final class CommandsResource {

    private static final Logger log = LoggerFactory.getLogger(CommandsResource.class);
    /** How far back the command history reaches. */
    private static final Duration COMMAND_HISTORY = Duration.ofDays(30);

    private static final int DEFAULT_COMMAND_LIMIT = 100;
    private static final int MAX_COMMAND_LIMIT = 1000;

    /** A command the collector would not send, and why. */
    record Refused(String error, String reason) {}

    private final ApiJson json;
    private final StoreReads store;
    private final RigCommands commands;
    private final Authenticator authenticator;
    private final Clock clock;

    CommandsResource(ApiJson json, StoreReads store, RigCommands commands, Authenticator authenticator, Clock clock) {
        this.json = json;
        this.store = store;
        this.commands = commands;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    /**
     * The routes under {@code /api/rigs/{rig}/commands}: {@code POST} (no {@code id}) sends one,
     * {@code GET} lists them or, with an {@code id}, answers one.
     *
     * @param id null for the collection
     */
    ApiResponse handle(ApiRequest request, String rig, String id) {
        boolean get = request.method().equals("GET");
        if (id == null && request.method().equals("POST")) {
            return issueCommand(request, rig);
        }
        if (!get) {
            return ApiResponse.error(405, id == null ? "use GET or POST" : "use GET");
        }
        String problem = RigId.problem(rig);
        if (problem != null) {
            return ApiResponse.error(400, "invalid rig id: " + problem);
        }
        Instant now = clock.instant();
        if (id != null) {
            List<RigCommand> recent = commands.recent(rig, id).stream().toList();
            List<RigCommand> stored = List.of();
            if (RigCommands.ID.matcher(id).matches()) {
                try {
                    stored = CommandLog.find(store, json.mapper(), rig, id, now).stream()
                            .toList();
                } catch (StoreException e) {
                    if (recent.isEmpty()) {
                        return historyUnavailable(e);
                    }
                }
            }
            return CommandLog.merge(stored, recent, 1).stream()
                    .findFirst()
                    .map(c -> json.ok(CommandView.of(c)))
                    .orElseGet(() -> ApiResponse.error(404, "no command " + id + " for " + rig));
        }
        int limit;
        try {
            limit = request.param("limit").map(Integer::parseInt).orElse(DEFAULT_COMMAND_LIMIT);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_COMMAND_LIMIT) {
            return ApiResponse.error(400, "limit must be an integer 1.." + MAX_COMMAND_LIMIT);
        }
        List<RigCommand> stored;
        try {
            stored = CommandLog.load(store, json.mapper(), rig, now.minus(COMMAND_HISTORY), now, limit);
        } catch (StoreException e) {
            return historyUnavailable(e);
        }
        return json.ok(CommandLog.merge(stored, commands.recent(rig), limit).stream()
                .map(CommandView::of)
                .toList());
    }

    private static ApiResponse historyUnavailable(StoreException e) {
        log.warn("cannot read the command history from InfluxDB: {}", e.getMessage());
        return ApiResponse.error(503, "the command history is kept in InfluxDB, which did not answer; try again");
    }

    private ApiResponse issueCommand(ApiRequest request, String rig) {
        BasicAuth.Admission admission = BasicAuth.admit(
                authenticator,
                request,
                "rig commands need HTTP Basic credentials of an admin user",
                "send rig commands",
                Set.of(Role.ADMIN));
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        try {
            return json.write(
                    202,
                    CommandView.of(commands.issueRequest(
                            rig, request.body(), admission.user().username())));
        } catch (CommandRefusedException e) {
            return json.write(400, new Refused(e.getMessage(), e.reason()));
        }
    }
}
