package dev.rigtel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.metrics.MeterCatalog;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.MemoryStore;
import dev.rigtel.collector.store.PointSink;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.store.StoreUnreachableException;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.collector.takes.SlateLog;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.testing.RecordingCommandOutlet;
import dev.rigtel.collector.testing.RecordingSink;
import dev.rigtel.collector.testing.SettableClock;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.collector.testing.TestIngest;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command routes of the HTTP API with real collaborators: a store (the history is read back from
 * it; the in-memory one, which meets InfluxDB's read contract), the write buffer and spool, the
 * credentials file and its authenticator. Each test uses its own rig id and store.
 */
class CollectorApiCommandsTest {

    private static final AtomicInteger RIGS = new AtomicInteger();

    @TempDir
    static Path shared;

    private static Path credentials;
    private static ExecutorService authExecutor;

    @TempDir
    Path dir;

    private final WireMapper wire = WireMapper.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingCommandOutlet outlet = new RecordingCommandOutlet();
    private final SettableClock clock =
            new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1)));
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private MemoryStore store;
    private WriteBuffer buffer;
    private RigCommands commands;
    private CollectorApi api;
    private String rig;

    @BeforeAll
    static void writeCredentials() throws IOException {
        credentials = TestCollector.credentials(shared, 1);
        TestCollector.addUser(credentials, "ada", Role.ADMIN, "admin-pw");
        TestCollector.addUser(credentials, "vic", Role.VIEWER, "viewer-pw");
        TestCollector.addUser(credentials, "sam", Role.SLATE, "slate-pw");
        authExecutor = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopAuthenticator() {
        if (authExecutor != null) {
            authExecutor.shutdownNow();
        }
    }

    @BeforeEach
    void start() throws IOException {
        rig = "rig-" + RIGS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
        store = new MemoryStore();
        buffer = buffer(store, "spool");
        commands = new RigCommands(wire, outlet, new InfluxWrites(buffer), new BrokerMeters(registry), clock);
        api = api(commands, store);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    /** A store that is away: every read fails as an unreachable InfluxDB's does. */
    private static StoreReads unreachable() {
        return (StoreReads) java.lang.reflect.Proxy.newProxyInstance(
                StoreReads.class.getClassLoader(), new Class<?>[] {StoreReads.class}, (proxy, method, args) -> {
                    throw new StoreUnreachableException(
                            "Failed to connect", new java.net.ConnectException("Connection refused"));
                });
    }

    private WriteBuffer buffer(PointSink sink, String name) throws IOException {
        WriteBuffer started = new WriteBuffer(
                        sink,
                        Spool.open(SpoolOptions.defaults(dir.resolve(name))),
                        new WriteBufferOptions(
                                1000, Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofMillis(50)),
                        new StoreMeters(registry))
                .start();
        closeAfter.add(started);
        return started;
    }

    private CollectorApi api(RigCommands with, StoreReads store) throws IOException {
        PayloadDecoder decoder = new PayloadDecoder(wire, 4000);
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        TakeHistory takes = new TakeHistory(
                new SlateLog(store), ZoneOffset.UTC, clock, buffer::storedThrough, TakeHistory.Options.DEFAULTS);
        IngestService ingest = TestIngest.create(
                decoder,
                clocks,
                takes,
                MotionConfig.defaults(),
                ZoneOffset.UTC,
                buffer,
                new IngestMeters(registry),
                clock);
        return new CollectorApi(
                wire.mapper(),
                decoder,
                ingest,
                takes,
                clocks,
                store,
                new Authenticator(credentials, authExecutor),
                ZoneOffset.UTC,
                clock,
                MotionConfig.defaults(),
                with,
                () -> null);
    }

    private static Optional<String> basic(String user, String password) {
        return Optional.of("Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private ApiResponse post(String path, String body, Optional<String> authorization) {
        return api.handle(new ApiRequest("POST", path, Map.of(), body.getBytes(StandardCharsets.UTF_8), authorization));
    }

    private ApiResponse postAsAdmin(String body) {
        return post("/api/rigs/" + rig + "/commands", body, basic("ada", "admin-pw"));
    }

    private ApiResponse get(CollectorApi from, String path, Map<String, List<String>> query) {
        return from.handle(new ApiRequest("GET", path, query, new byte[0], Optional.empty()));
    }

    private JsonNode json(ApiResponse response) throws IOException {
        assertThat(response.contentType()).isEqualTo("application/json");
        return wire.mapper().readTree(response.body());
    }

    private String text(ApiResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private double count(String result) {
        Counter counter =
                registry.find(MeterCatalog.COMMANDS).tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Sends a command as the admin and returns its id. */
    private String send(String body) throws IOException {
        ApiResponse response = postAsAdmin(body);
        assertThat(response.status()).as(text(response)).isEqualTo(202);
        return json(response).get("id").asText();
    }

    private void awaitStored(WriteBuffer which) {
        which.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> which.queuedPoints() == 0);
    }

    private void answer(String id, String status) {
        commands.result(
                rig,
                ("{\"v\":1,\"id\":\"" + id + "\",\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    // --- POST ---

    @Test
    void sendingACommandNeedsAnAdmin() {
        String path = "/api/rigs/" + rig + "/commands";
        String body = "{\"command\":\"identify\"}";

        ApiResponse none = post(path, body, Optional.empty());
        assertThat(none.status()).isEqualTo(401);
        assertThat(text(none)).contains("rig commands need HTTP Basic credentials of an admin user");
        assertThat(post(path, body, basic("ada", "wrong")).status()).isEqualTo(401);
        assertThat(post(path, body, basic("nobody", "admin-pw")).status()).isEqualTo(401);
        assertThat(post(path, body, Optional.of("Basic %%%")).status()).isEqualTo(401);
        assertThat(post(path, body, Optional.of("Bearer abc")).status()).isEqualTo(401);
        ApiResponse viewer = post(path, body, basic("vic", "viewer-pw"));
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(text(viewer)).contains("role viewer may not send rig commands");
        assertThat(post(path, body, basic("sam", "slate-pw")).status()).isEqualTo(403);
        assertThat(post(path, body, basic("rig-01", "pw-01")).status()).isEqualTo(403);

        assertThat(outlet.all()).isEmpty();
        assertThat(count("sent")).isZero();
        assertThat(count("refused")).isZero();
    }

    @Test
    void anAdminsCommandIsPublishedAndAnswered202WithTheCommand() throws IOException {
        ApiResponse response = postAsAdmin("{\"command\":\"identify\",\"args\":{\"seconds\":5}}");

        assertThat(response.status()).as(text(response)).isEqualTo(202);
        JsonNode command = json(response);
        assertThat(command.get("id").asText()).matches(RigCommands.ID.pattern());
        assertThat(command.get("rig").asText()).isEqualTo(rig);
        assertThat(command.get("command").asText()).isEqualTo("identify");
        assertThat(command.get("args")).isEqualTo(wire.mapper().readTree("{\"seconds\":5}"));
        assertThat(command.get("status").asText()).isEqualTo("sent");
        assertThat(command.get("detail").isNull()).isTrue();
        assertThat(command.get("issued_by").asText()).isEqualTo("ada");
        assertThat(Instant.parse(command.get("issued_at").asText())).isEqualTo(clock.instant());
        assertThat(Instant.parse(command.get("expires_at").asText()))
                .isEqualTo(clock.instant().plusSeconds(300));

        List<RecordingCommandOutlet.Published> sent = outlet.on("rigtel/v1/" + rig + "/command");
        assertThat(sent).hasSize(1);
        assertThat(wire.mapper().readTree(sent.get(0).payload()).get("id")).isEqualTo(command.get("id"));
        assertThat(count("sent")).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "{\"command\":\"reboot\"}|unknown-command|unknown command 'reboot'; one of jam-timecode",
                "{\"command\":\"identify\",\"args\":{\"seconds\":120}}|invalid-args|seconds must be 1..60 seconds, got 120",
                "{\"command\":\"set-sample-rate\",\"args\":{}}|invalid-args|sample_rate_hz is required",
                "{\"command\":\"jam-timecode\",\"args\":{\"timecode\":\"00:01:00;00\",\"frame_rate\":\"29.97\"}}|invalid-args|timecode: 00:01:00;00 does not exist at 29.97 DF",
                "{\"command\":\"identify\",\"args\":{\"colour\":\"red\"}}|invalid-args|unknown argument 'colour' for identify",
                "{\"command\":\"set-sample-rate\",\"args\":{\"sampleRateHz\":400}}|invalid-args|unknown argument 'sampleRateHz' for set-sample-rate; it takes sample_rate_hz (argument names are snake_case: 'sample_rate_hz', not 'sampleRateHz')",
                "identify|malformed-request|the body is not JSON",
                "~~|malformed-request|the body must be a JSON object",
                "{\"args\":{}}|malformed-request|command must be a string",
            })
    void anInvalidCommandIsAnswered400WithTheReason(String body, String reason, String message) throws IOException {
        ApiResponse response = postAsAdmin(body);

        assertThat(response.status()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.get("reason").asText()).isEqualTo(reason);
        assertThat(error.get("error").asText()).contains(message);
        assertThat(outlet.all()).isEmpty();
        assertThat(count("refused")).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"rig%2F07, contains '/'", "rig%2007, white space", "rig%2B, contains '+'", "rig%0A07, white space"})
    void anInvalidRigIdIsAnswered400(String encodedRig, String problem) throws IOException {
        ApiResponse post =
                post("/api/rigs/" + encodedRig + "/commands", "{\"command\":\"identify\"}", basic("ada", "admin-pw"));
        assertThat(post.status()).isEqualTo(400);
        assertThat(json(post).get("reason").asText()).isEqualTo("invalid-rig");
        assertThat(json(post).get("error").asText()).contains(problem);

        ApiResponse list = get(api, "/api/rigs/" + encodedRig + "/commands", Map.of());
        assertThat(list.status()).isEqualTo(400);
        assertThat(json(list).get("error").asText())
                .startsWith("invalid rig id: ")
                .contains(problem);
        assertThat(get(api, "/api/rigs/" + encodedRig + "/commands/cmd-1795253400000-0000a3f9c2", Map.of())
                        .status())
                .isEqualTo(400);
        assertThat(outlet.all()).isEmpty();
    }

    @Test
    void otherMethodsAreAnswered405() {
        String path = "/api/rigs/" + rig + "/commands";
        ApiRequest put = new ApiRequest("PUT", path, Map.of(), new byte[0], basic("ada", "admin-pw"));
        assertThat(api.handle(put).status()).isEqualTo(405);
        assertThat(post(path + "/cmd-1795253400000-0000a3f9c2", "{}", basic("ada", "admin-pw"))
                        .status())
                .isEqualTo(405);
        assertThat(outlet.all()).isEmpty();
    }

    // --- GET ---

    @Test
    void theHistoryIsReadBackFromInfluxDbAfterARestart() throws IOException {
        String identify = send("{\"command\":\"identify\"}");
        clock.advance(Duration.ofSeconds(10));
        String record = send("{\"command\":\"start-recording\",\"args\":{\"take_id\":\"42A-3\"}}");
        clock.advance(Duration.ofSeconds(10));
        String rate = send("{\"command\":\"set-sample-rate\",\"args\":{\"sample_rate_hz\":400}}");
        clock.advance(Duration.ofSeconds(2));
        answer(record, "ok");
        commands.result(
                rig,
                ("{\"v\":1,\"id\":\"" + rate + "\",\"status\":\"failed\",\"detail\":\"IMU \\\"busy\\\", retry\"}")
                        .getBytes(StandardCharsets.UTF_8));
        awaitStored(buffer);

        // A new collector: nothing in memory, everything from InfluxDB.
        CollectorApi restarted = api(
                new RigCommands(
                        wire,
                        outlet,
                        new InfluxWrites(buffer(new RecordingSink(), "other")),
                        new BrokerMeters(registry),
                        clock),
                store);
        ApiResponse response = get(restarted, "/api/rigs/" + rig + "/commands", Map.of());

        assertThat(response.status()).as(text(response)).isEqualTo(200);
        JsonNode history = json(response);
        assertThat(history).hasSize(3);
        assertThat(history.findValuesAsText("id")).containsExactly(rate, record, identify);
        assertThat(history.findValuesAsText("status")).containsExactly("failed", "ok", "sent");
        assertThat(history.get(0).get("detail").asText()).isEqualTo("IMU \"busy\", retry");
        assertThat(history.get(1).get("args")).isEqualTo(wire.mapper().readTree("{\"take_id\":\"42A-3\"}"));
        assertThat(history.get(2).get("args")).isEqualTo(wire.mapper().readTree("{\"seconds\":10}"));
        assertThat(history.get(1).get("issued_by").asText()).isEqualTo("ada");
        // The JSON answers are the same whether from memory or from storage.
        assertThat(history).isEqualTo(json(get(api, "/api/rigs/" + rig + "/commands", Map.of())));

        assertThat(json(get(restarted, "/api/rigs/" + rig + "/commands", Map.of("limit", List.of("2")))))
                .hasSize(2);
        ApiResponse one = get(restarted, "/api/rigs/" + rig + "/commands/" + record, Map.of());
        assertThat(one.status()).isEqualTo(200);
        assertThat(json(one)).isEqualTo(history.get(1));
    }

    @Test
    void aCommandStoredAsSentPastItsExpiryIsAnsweredAsExpired() throws IOException {
        String id = send("{\"command\":\"stop-recording\"}");
        awaitStored(buffer);
        clock.advance(Duration.ofMinutes(5));

        CollectorApi restarted = api(
                new RigCommands(
                        wire,
                        outlet,
                        new InfluxWrites(buffer(new RecordingSink(), "other")),
                        new BrokerMeters(registry),
                        clock),
                store);
        JsonNode command = json(get(restarted, "/api/rigs/" + rig + "/commands/" + id, Map.of()));

        assertThat(command.get("status").asText()).isEqualTo("expired");
        assertThat(command.get("detail").asText()).isEqualTo("no result from the rig before expiry");
        assertThat(command.get("updated_at").asText())
                .isEqualTo(command.get("expires_at").asText());
    }

    @Test
    void theHistoryMergesMemoryWithStorageAndTheFurtherStatusWins() throws Exception {
        String stored = send("{\"command\":\"identify\"}");
        clock.advance(Duration.ofSeconds(1));
        String answered = send("{\"command\":\"identify\",\"args\":{\"seconds\":3}}");
        awaitStored(buffer);

        // A second collector that stores nowhere yet: its command is only in its memory. It also
        // holds 'answered' as sent (restored at its start), while the first collector gets the rig's
        // answer and stores it.
        RigCommands second = new RigCommands(
                wire,
                outlet,
                new InfluxWrites(buffer(new RecordingSink(), "other")),
                new BrokerMeters(registry),
                clock);
        second.restore(commands.recent(rig));
        clock.advance(Duration.ofSeconds(1));
        second.issue(rig, "set-sample-rate", Map.of("sample_rate_hz", 800), "bob");
        answer(answered, "ok");
        awaitStored(buffer);

        JsonNode history = json(get(api(second, store), "/api/rigs/" + rig + "/commands", Map.of()));

        assertThat(history).hasSize(3);
        assertThat(history.findValuesAsText("status")).containsExactly("sent", "ok", "sent");
        assertThat(history.get(0).get("command").asText()).isEqualTo("set-sample-rate");
        assertThat(history.get(1).get("id").asText()).isEqualTo(answered);
        assertThat(history.get(2).get("id").asText()).isEqualTo(stored);
    }

    @Test
    void unknownCommandsAreAnswered404() throws IOException {
        send("{\"command\":\"identify\"}");
        awaitStored(buffer);
        for (String id : List.of("cmd-1795253400000-0000a3f9c2", "nonsense", "cmd-1' OR '1'='1")) {
            ApiResponse response = get(api, "/api/rigs/" + rig + "/commands/" + id, Map.of());
            assertThat(response.status()).as(id).isEqualTo(404);
            assertThat(json(response).get("error").asText()).isEqualTo("no command " + id + " for " + rig);
        }
        String other = "other-" + rig;
        String id = json(get(api, "/api/rigs/" + rig + "/commands", Map.of()))
                .get(0)
                .get("id")
                .asText();
        assertThat(get(api, "/api/rigs/" + other + "/commands/" + id, Map.of()).status())
                .isEqualTo(404);
        assertThat(json(get(api, "/api/rigs/" + other + "/commands", Map.of()))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0", "1001", "-1", "ten", "''"})
    void aBadLimitIsAnswered400(String limit) throws IOException {
        ApiResponse response = get(api, "/api/rigs/" + rig + "/commands", Map.of("limit", List.of(limit)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("limit must be an integer 1..1000");
    }

    @Test
    void withInfluxDbDownTheHistoryIsAnswered503ButRecentCommandsStillAre() throws IOException {
        CollectorApi unreachable = api(commands, unreachable());
        String id = send("{\"command\":\"identify\"}");

        ApiResponse list = get(unreachable, "/api/rigs/" + rig + "/commands", Map.of());
        assertThat(list.status()).isEqualTo(503);
        assertThat(json(list).get("error").asText()).contains("InfluxDB");
        ApiResponse one = get(unreachable, "/api/rigs/" + rig + "/commands/" + id, Map.of());
        assertThat(one.status()).isEqualTo(200);
        assertThat(json(one).get("status").asText()).isEqualTo("sent");
        assertThat(get(unreachable, "/api/rigs/" + rig + "/commands/cmd-1795253400000-0000a3f9c2", Map.of())
                        .status())
                .isEqualTo(503);
    }

    @Test
    void theExistingRigsRouteIsUntouched() throws IOException {
        ApiResponse rigs = get(api, "/api/rigs", Map.of());
        assertThat(rigs.status()).isEqualTo(200);
        assertThat(json(rigs).isArray()).isTrue();
    }
}
