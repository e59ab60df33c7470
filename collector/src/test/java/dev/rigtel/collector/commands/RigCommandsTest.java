package dev.rigtel.collector.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.metrics.MeterCatalog;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.LineEncoder;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.RecordingCommandOutlet;
import dev.rigtel.collector.testing.RecordingSink;
import dev.rigtel.collector.testing.SettableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RigCommandsTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:30:00Z");
    private static final String RIG = "rig-07";

    @TempDir
    Path dir;

    private final WireMapper wire = WireMapper.create();
    private final ObjectMapper json = wire.mapper();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingSink sink = new RecordingSink();
    private final RecordingCommandOutlet outlet = new RecordingCommandOutlet();
    private final SettableClock clock = new SettableClock(T0);
    private WriteBuffer buffer;
    private RigCommands commands;

    @BeforeEach
    void start() throws IOException {
        buffer = new WriteBuffer(
                        sink,
                        Spool.open(SpoolOptions.defaults(dir.resolve("spool"))),
                        new WriteBufferOptions(
                                1000, Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofMillis(20)),
                        new dev.rigtel.collector.metrics.StoreMeters(registry))
                .start();
        commands = new RigCommands(wire, outlet, new InfluxWrites(buffer), new BrokerMeters(registry), clock);
    }

    @AfterEach
    void stop() {
        buffer.close();
    }

    private double count(String result) {
        Counter counter =
                registry.find(MeterCatalog.COMMANDS).tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private JsonNode args(String text) throws IOException {
        return json.readTree(text);
    }

    private RigCommand issue(String command, String argsJson) throws Exception {
        return commands.issue(RIG, command, args(argsJson), "ada");
    }

    private CommandRefusedException refusal(String command, String argsJson) {
        try {
            commands.issue(RIG, command, args(argsJson), "ada");
        } catch (CommandRefusedException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(command + " " + argsJson + " was not refused");
    }

    /** The rig_command points written so far, parsed. */
    private List<Map<String, String>> storedPoints(int atLeast) {
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.lines().size() >= atLeast);
        return sink.lines().stream()
                .filter(l -> l.startsWith("rig_command,"))
                .map(LineEncoder::parse)
                .toList();
    }

    // --- validation ---

    @Test
    void identifyBlinksTenSecondsUnlessToldOneToSixty() throws Exception {
        assertThat(issue("identify", "{}").args()).containsExactly(Map.entry("seconds", 10));
        assertThat(commands.issue(RIG, "identify", (JsonNode) null, "ada").args())
                .containsExactly(Map.entry("seconds", 10));
        assertThat(issue("identify", "{\"seconds\":1}").args()).containsEntry("seconds", 1);
        assertThat(issue("identify", "{\"seconds\":60}").args()).containsEntry("seconds", 60);
        assertThat(commands.issue(RIG, "identify", Map.of("seconds", 5), "ada").args())
                .containsEntry("seconds", 5);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "{\"seconds\":0}|seconds must be 1..60 seconds, got 0",
                "{\"seconds\":61}|seconds must be 1..60 seconds, got 61",
                "{\"seconds\":\"5\"}|seconds must be an integer 1..60 seconds, got \"5\"",
                "{\"seconds\":5.0}|seconds must be an integer 1..60 seconds, got 5.0",
                "{\"seconds\":null}|seconds must be an integer 1..60 seconds, got null",
                "{\"seconds\":99999999999}|seconds must be 1..60 seconds, got 99999999999",
                "{\"sec\":5}|unknown argument 'sec' for identify; it takes seconds",
                "[5]|args of identify must be a JSON object, got array",
            })
    void identifyRefusesBadSeconds(String argsJson, String message) {
        CommandRefusedException e = refusal("identify", argsJson);
        assertThat(e.reason()).isEqualTo(CommandRefusedException.INVALID_ARGS);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "10:00:00:00|25|10:00:00:00",
                "23:59:59:23|23.976|23:59:59:23",
                "09:31:12;08|29.97|09:31:12;08",
                "00:10:00;00|29.97|00:10:00;00",
                "00:01:00;04|59.94|00:01:00;04",
                "00:01:00:00|29.97|00:01:00:00",
            })
    void jamTimecodeTakesLabelsThatExistAtTheRate(String label, String rate, String sent) throws Exception {
        RigCommand command = issue("jam-timecode", "{\"timecode\":\"" + label + "\",\"frame_rate\":\"" + rate + "\"}");
        assertThat(command.args()).containsExactly(Map.entry("timecode", sent), Map.entry("frame_rate", rate));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "{\"timecode\":\"10:00:00;00\",\"frame_rate\":\"25\"}|timecode: drop-frame timecode does not exist at 25 fps",
                "{\"timecode\":\"00:01:00;00\",\"frame_rate\":\"29.97\"}|timecode: 00:01:00;00 does not exist at 29.97 DF",
                "{\"timecode\":\"10:00:00:25\",\"frame_rate\":\"25\"}|timecode: frames must be 00..24 at 25 fps, got 25",
                "{\"timecode\":\"24:00:00:00\",\"frame_rate\":\"25\"}|timecode: hours must be 00..23, got 24",
                "{\"timecode\":\"10:00:00\",\"frame_rate\":\"25\"}|timecode: timecode must look like hh:mm:ss:ff",
                "{\"timecode\":\"10:00:00.00\",\"frame_rate\":\"29.97\"}|timecode separates drop-frame frames with ';'",
                "{\"timecode\":36000,\"frame_rate\":\"25\"}|timecode must be a string",
                "{\"timecode\":\"10:00:00:00\",\"frame_rate\":\"29.976\"}|frame_rate must be one of 23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60, got '29.976'",
                "{\"timecode\":\"10:00:00:00\",\"frame_rate\":25}|frame_rate must be a string, one of",
                "{\"timecode\":\"10:00:00:00\"}|jam-timecode needs frame_rate",
                "{\"frame_rate\":\"25\"}|jam-timecode needs timecode",
                "{\"timecode\":\"10:00:00:00\",\"frame_rate\":\"25\",\"dropFrame\":true}|unknown argument 'dropFrame' for jam-timecode; it takes timecode, frame_rate",
            })
    void jamTimecodeRefusesLabelsAndRatesThatDoNotExist(String argsJson, String message) {
        CommandRefusedException e = refusal("jam-timecode", argsJson);
        assertThat(e.reason()).isEqualTo(CommandRefusedException.INVALID_ARGS);
        assertThat(e.getMessage()).startsWith(message);
    }

    @Test
    void setSampleRateTakes200To1000Hz() throws Exception {
        assertThat(issue("set-sample-rate", "{\"sample_rate_hz\":200}").args()).containsEntry("sample_rate_hz", 200);
        assertThat(issue("set-sample-rate", "{\"sample_rate_hz\":1000}").args()).containsEntry("sample_rate_hz", 1000);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "{\"sample_rate_hz\":199}|sample_rate_hz must be 200..1000 Hz, got 199",
                "{\"sample_rate_hz\":1001}|sample_rate_hz must be 200..1000 Hz, got 1001",
                "{\"sample_rate_hz\":-500}|sample_rate_hz must be 200..1000 Hz, got -500",
                "{\"sample_rate_hz\":500.5}|sample_rate_hz must be an integer 200..1000 Hz, got 500.5",
                "{\"sample_rate_hz\":\"500\"}|sample_rate_hz must be an integer 200..1000 Hz, got \"500\"",
                "{}|sample_rate_hz is required: an integer 200..1000 Hz",
                "{\"rateHz\":500}|unknown argument 'rateHz' for set-sample-rate; it takes sample_rate_hz",
            })
    void setSampleRateRefusesRatesOutside200To1000Hz(String argsJson, String message) {
        CommandRefusedException e = refusal("set-sample-rate", argsJson);
        assertThat(e.reason()).isEqualTo(CommandRefusedException.INVALID_ARGS);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"start-recording", "stop-recording"})
    void recordingCommandsTakeAnOptionalTakeId(String command) throws Exception {
        assertThat(issue(command, "{}").args()).isEmpty();
        assertThat(issue(command, "{\"take_id\":\"42A-3\"}").args()).containsExactly(Map.entry("take_id", "42A-3"));
        assertThat(issue(command, "{\"take_id\":\"" + "t".repeat(64) + "\"}").args())
                .containsEntry("take_id", "t".repeat(64));
        for (String bad : List.of("\"42A 3\"", "\"\"", "\"" + "t".repeat(65) + "\"", "42", "\"a/b\"", "null")) {
            CommandRefusedException e = refusal(command, "{\"take_id\":" + bad + "}");
            assertThat(e.getMessage()).as(bad).startsWith("take_id must be a string of 1 to 64 characters");
        }
        assertThat(refusal(command, "{\"take\":\"42A-3\"}").getMessage())
                .isEqualTo("unknown argument 'take' for " + command + "; it takes take_id");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "set-sample-rate|{\"sampleRateHz\":400}|unknown argument 'sampleRateHz' for set-sample-rate; it takes sample_rate_hz (argument names are snake_case: 'sample_rate_hz', not 'sampleRateHz')",
                "jam-timecode|{\"timecode\":\"10:00:00:00\",\"frameRate\":\"25\"}|unknown argument 'frameRate' for jam-timecode; it takes timecode, frame_rate (argument names are snake_case: 'frame_rate', not 'frameRate')",
                "start-recording|{\"takeId\":\"42A-3\"}|unknown argument 'takeId' for start-recording; it takes take_id (argument names are snake_case: 'take_id', not 'takeId')",
                "stop-recording|{\"takeId\":\"42A-3\"}|unknown argument 'takeId' for stop-recording; it takes take_id (argument names are snake_case: 'take_id', not 'takeId')",
            })
    void refusesTheCamelCaseNamesOfArgumentsAsUnknownAndNamesTheSnakeCaseOne(
            String command, String argsJson, String message) {
        CommandRefusedException e = refusal(command, argsJson);

        assertThat(e.reason()).isEqualTo(CommandRefusedException.INVALID_ARGS);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(outlet.all()).isEmpty();
        assertThat(count("refused")).isEqualTo(1);
    }

    @Test
    void refusesUnknownCommandsAndInvalidRigIds() throws Exception {
        CommandRefusedException unknown = refusal("reboot", "{}");
        assertThat(unknown.reason()).isEqualTo(CommandRefusedException.UNKNOWN_COMMAND);
        assertThat(unknown.getMessage())
                .isEqualTo("unknown command 'reboot'; one of jam-timecode, set-sample-rate, start-recording, "
                        + "stop-recording, identify");
        assertThat(refusal("Identify", "{}").reason()).isEqualTo(CommandRefusedException.UNKNOWN_COMMAND);
        assertThatThrownBy(() -> commands.issue(RIG, null, args("{}"), "ada"))
                .isInstanceOf(CommandRefusedException.class)
                .hasMessageStartingWith("unknown command 'null'");

        for (String rig : List.of(
                "", "rig/07", "rig 07", "rig+", "#", "r\\7", "r".repeat(65), "rig\n07", "live", "slate", "$SYS")) {
            assertThatThrownBy(() -> commands.issue(rig, "identify", args("{}"), "ada"))
                    .as(rig)
                    .isInstanceOfSatisfying(CommandRefusedException.class, e -> assertThat(e.reason())
                            .isEqualTo(CommandRefusedException.INVALID_RIG))
                    .hasMessageContaining("invalid rig id");
        }
    }

    @Test
    void refusedCommandsAreCountedAndNeitherSentNorStored() throws Exception {
        refusal("reboot", "{}");
        refusal("identify", "{\"seconds\":0}");
        assertThatThrownBy(() -> commands.issue("rig/07", "identify", args("{}"), "ada"))
                .isInstanceOf(CommandRefusedException.class);
        assertThatThrownBy(() -> commands.issueRequest(RIG, "not json".getBytes(StandardCharsets.UTF_8), "ada"))
                .isInstanceOf(CommandRefusedException.class);

        assertThat(count("refused")).isEqualTo(4);
        assertThat(count("sent")).isZero();
        assertThat(outlet.all()).isEmpty();
        assertThat(commands.recent(RIG)).isEmpty();
        buffer.flush();
        assertThat(buffer.queuedPoints()).isZero();
        assertThat(sink.lines()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "not json|malformed-request|the body is not JSON",
                "~~|malformed-request|the body must be a JSON object",
                "[]|malformed-request|the body must be a JSON object",
                "{}|malformed-request|command must be a string, one of jam-timecode",
                "{\"command\":5}|malformed-request|command must be a string",
                "{\"command\":\"identify\",\"rig\":\"rig-01\"}|malformed-request|unknown field 'rig'",
                "{\"command\":\"identify\"} {}|malformed-request|the body is not JSON",
                "{\"command\":\"blink\"}|unknown-command|unknown command 'blink'",
                "{\"command\":\"identify\",\"args\":{\"seconds\":0}}|invalid-args|seconds must be 1..60",
                "{\"command\":\"identify\",\"args\":\"5\"}|invalid-args|args of identify must be a JSON object",
            })
    void issueRequestRefusesBodiesThatAreNotACommand(String body, String reason, String message) {
        assertThatThrownBy(() -> commands.issueRequest(RIG, body.getBytes(StandardCharsets.UTF_8), "ada"))
                .isInstanceOfSatisfying(CommandRefusedException.class, e -> assertThat(e.reason())
                        .isEqualTo(reason))
                .hasMessageContaining(message);
        assertThat(count("refused")).isEqualTo(1);
    }

    @Test
    void issueRequestSendsTheCommandOfTheBody() throws Exception {
        RigCommand command = commands.issueRequest(
                RIG, "{\"command\":\"identify\",\"args\":{\"seconds\":5}}".getBytes(StandardCharsets.UTF_8), "ada");
        assertThat(command.command()).isEqualTo(CommandType.IDENTIFY);
        assertThat(command.args()).containsExactly(Map.entry("seconds", 5));
        assertThat(command.issuedBy()).isEqualTo("ada");
        assertThat(commands.issueRequest(
                                RIG, "{\"command\":\"stop-recording\"}".getBytes(StandardCharsets.UTF_8), "ada")
                        .args())
                .isEmpty();
    }

    // --- wire ---

    @Test
    void publishesTheCommandAtQos1NotRetainedWithMessageExpiry() throws Exception {
        RigCommand command = issue("identify", "{\"seconds\":5}");

        List<RecordingCommandOutlet.Published> sent = outlet.on("rigtel/v1/rig-07/command");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).qos()).isEqualTo(1);
        assertThat(sent.get(0).retain()).isFalse();
        assertThat(sent.get(0).expirySeconds()).isEqualTo(300);
        assertThat(sent.get(0).text())
                .isEqualTo("{\"v\":1,\"id\":\"" + command.id() + "\",\"command\":\"identify\",\"args\":{\"seconds\":5},"
                        + "\"issued_at\":\"2026-11-21T09:30:00.000Z\",\"expires_at\":\"2026-11-21T09:35:00.000Z\"}");
        assertThat(command.id()).matches(RigCommands.ID).startsWith("cmd-1795253400000-");
        assertThat(command.status()).isEqualTo(CommandStatus.SENT);
        assertThat(command.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(count("sent")).isEqualTo(1);
    }

    static List<String> exampleCommands() {
        return FirmwareNotes.examples("commands", ".json").stream()
                .filter(name -> !name.startsWith("result-"))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("exampleCommands")
    void sendsCommandsExactlyAsTheFirmwareNotesShowThem(String example) throws Exception {
        ObjectNode expected = (ObjectNode) json.readTree(FirmwareNotes.example("commands/" + example));
        clock.set(Instant.parse(expected.get("issued_at").asText()));

        RigCommand command = commands.issue(RIG, expected.get("command").asText(), expected.get("args"), "ada");

        ObjectNode sent = (ObjectNode)
                json.readTree(outlet.on("rigtel/v1/rig-07/command").get(0).payload());
        assertThat(sent.remove("id").asText()).isEqualTo(command.id()).matches(RigCommands.ID.pattern());
        assertThat(expected.remove("id").asText()).matches(RigCommands.ID.pattern());
        assertThat(sent).isEqualTo(expected);
        // Field order as documented, too: firmware may parse with a streaming reader.
        assertThat(json.writeValueAsString(sent)).isEqualTo(json.writeValueAsString(expected));
        // snake_case like the rest of the contract, args included.
        List<String> names = new ArrayList<>();
        sent.fieldNames().forEachRemaining(names::add);
        sent.get("args").fieldNames().forEachRemaining(names::add);
        assertThat(names).allMatch(name -> name.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"), "snake_case");
    }

    @Test
    void idsAreUniqueAndSortLikeTheirIssueTimes() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(issue("identify", "{}").id());
        }
        clock.advance(Duration.ofMillis(1));
        ids.add(issue("identify", "{}").id());
        clock.advance(Duration.ofDays(400));
        ids.add(issue("identify", "{}").id());

        assertThat(ids).doesNotHaveDuplicates().isSorted();
        assertThat(commands.recent(RIG)).extracting(RigCommand::id).containsExactlyElementsOf(reversed(ids));
    }

    private static List<String> reversed(List<String> list) {
        List<String> out = new ArrayList<>(list);
        java.util.Collections.reverse(out);
        return out;
    }

    @Test
    void writesOnePointPerStatusWithEveryValueEscaped() throws Exception {
        RigCommand command =
                commands.issue(RIG, "start-recording", args("{\"take_id\":\"42A-3\"}"), "ada \"the DIT\", x=1");

        Map<String, String> point = storedPoints(1).get(0);
        assertThat(point)
                .containsEntry("rig", RIG)
                .containsEntry("command", "start-recording")
                .containsEntry("status", "sent")
                .containsEntry("id", command.id())
                .containsEntry("args", "{\"take_id\":\"42A-3\"}")
                .containsEntry("issued_by", "ada \"the DIT\", x=1")
                .containsEntry("detail", "")
                .containsEntry("issued_ms", "1795253400000")
                .containsEntry("expires_ms", "1795253700000");
        String line = sink.lines().get(0);
        assertThat(line).endsWith(" " + (1795253400000L * 1_000_000 + CommandLog.offsetNanos(command.id())));
        assertThat(line.split(" (?=\\d+$)")).hasSize(2);
    }

    @Test
    void tellsLiveViewsEveryStatusChange() throws Exception {
        RigCommand command = issue("identify", "{\"seconds\":5}");
        clock.advance(Duration.ofSeconds(2));
        commands.result(
                RIG, ("{\"v\":1,\"id\":\"" + command.id() + "\",\"status\":\"ok\"}").getBytes(StandardCharsets.UTF_8));

        List<RecordingCommandOutlet.Published> live = outlet.on("rigtel/v1/live/rig-07/command");
        assertThat(live).hasSize(2);
        assertThat(live).allSatisfy(p -> {
            assertThat(p.qos()).isEqualTo(1);
            assertThat(p.retain()).isFalse();
            assertThat(p.expirySeconds()).isEqualTo(-1);
        });
        assertThat(live.get(0).text())
                .isEqualTo("{\"v\":1,\"id\":\"" + command.id() + "\",\"rig\":\"rig-07\",\"command\":\"identify\","
                        + "\"args\":{\"seconds\":5},\"status\":\"sent\",\"detail\":null,\"issued_by\":\"ada\","
                        + "\"issued_at\":\"2026-11-21T09:30:00.000Z\",\"expires_at\":\"2026-11-21T09:35:00.000Z\","
                        + "\"updated_at\":\"2026-11-21T09:30:00.000Z\"}");
        JsonNode ok = json.readTree(live.get(1).payload());
        assertThat(ok.get("status").asText()).isEqualTo("ok");
        assertThat(ok.get("updated_at").asText()).isEqualTo("2026-11-21T09:30:02.000Z");
    }

    @Test
    void aFailingLiveOutletDoesNotStopTheCommand() throws Exception {
        List<String> topics = new ArrayList<>();
        commands = new RigCommands(
                wire,
                (topic, payload, qos, retain, expiry) -> {
                    if (topic.startsWith("rigtel/v1/live/")) {
                        throw new IllegalStateException("no live subscribers");
                    }
                    topics.add(topic);
                },
                new InfluxWrites(buffer),
                new BrokerMeters(registry),
                clock);
        RigCommand command = issue("identify", "{}");
        assertThat(topics).containsExactly("rigtel/v1/rig-07/command");
        assertThat(commands.recent(RIG, command.id())).contains(command);
        assertThat(storedPoints(1)).hasSize(1);
    }

    @Test
    void aRigMayAnswerBeforePublishReturns() throws Exception {
        List<ResultOutcome> outcomes = new ArrayList<>();
        List<String> liveStatuses = new ArrayList<>();
        commands = new RigCommands(
                wire,
                (topic, payload, qos, retain, expiry) -> {
                    if (topic.equals(CommandTopics.live(RIG))) {
                        try {
                            liveStatuses.add(
                                    json.readTree(payload).get("status").asText());
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                    if (topic.equals("rigtel/v1/rig-07/command")) {
                        try {
                            String id = json.readTree(payload).get("id").asText();
                            outcomes.add(commands.result(RIG, result(id, "ok")));
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                },
                new InfluxWrites(buffer),
                new BrokerMeters(registry),
                clock);

        RigCommand command = issue("identify", "{}");

        assertThat(outcomes).singleElement().isInstanceOf(ResultOutcome.Applied.class);
        assertThat(commands.recent(RIG, command.id()).orElseThrow().status()).isEqualTo(CommandStatus.OK);
        // Live views never see "sent" after the answer.
        assertThat(liveStatuses).containsExactly("sent", "ok");
    }

    @Test
    void aCommandTheOutletCannotTakeIsNeitherKeptNorStored() throws Exception {
        commands = new RigCommands(
                wire,
                (topic, payload, qos, retain, expiry) -> {
                    throw new IllegalStateException("broker stopped");
                },
                new InfluxWrites(buffer),
                new BrokerMeters(registry),
                clock);

        assertThatThrownBy(() -> issue("identify", "{}")).hasMessage("broker stopped");

        assertThat(commands.recent(RIG)).isEmpty();
        assertThat(count("sent")).isZero();
        buffer.flush();
        assertThat(buffer.queuedPoints()).isZero();
        assertThat(sink.lines()).isEmpty();
    }

    // --- results ---

    /** The commands of the firmware-notes examples, as sent to rig-07. */
    private void restoreExampleCommands() throws IOException {
        List<RigCommand> examples = new ArrayList<>();
        for (String name : exampleCommands()) {
            JsonNode c = json.readTree(FirmwareNotes.example("commands/" + name));
            Map<String, Object> args = json.convertValue(c.get("args"), LinkedHashMap.class);
            Instant issued = Instant.parse(c.get("issued_at").asText());
            examples.add(new RigCommand(
                    c.get("id").asText(),
                    RIG,
                    CommandType.fromLabel(c.get("command").asText()).orElseThrow(),
                    args,
                    "ada",
                    issued,
                    Instant.parse(c.get("expires_at").asText()),
                    CommandStatus.SENT,
                    "",
                    issued));
        }
        commands.restore(examples);
    }

    @ParameterizedTest
    @CsvSource({
        "result-ok.json, identify, ok, ''",
        "result-failed.json, start-recording, failed, 'card full: 0 MB free'",
        "result-rejected.json, set-sample-rate, rejected, '500 Hz not supported by this IMU; it runs at 200, 400, 800 or 1000 Hz'",
    })
    void resultsOfTheFirmwareNotesMoveTheirCommandToTheRigsStatus(
            String example, String command, String status, String detail) throws Exception {
        restoreExampleCommands();
        clock.set(Instant.parse("2026-11-21T09:50:01Z"));

        ResultOutcome outcome = commands.result(RIG, FirmwareNotes.example("commands/" + example));

        assertThat(outcome).isInstanceOf(ResultOutcome.Applied.class);
        RigCommand applied = ((ResultOutcome.Applied) outcome).command();
        assertThat(applied.command().label()).isEqualTo(command);
        assertThat(applied.status().label()).isEqualTo(status);
        assertThat(applied.detail()).isEqualTo(detail);
        assertThat(applied.updatedAt()).isEqualTo(Instant.parse("2026-11-21T09:50:01Z"));
        assertThat(commands.recent(RIG, applied.id())).contains(applied);
        assertThat(count(status)).isEqualTo(1);
        Map<String, String> point = storedPoints(1).get(0);
        assertThat(point)
                .containsEntry("status", status)
                .containsEntry("detail", detail)
                .containsEntry("id", applied.id());
        assertThat(json.readTree(outlet.on("rigtel/v1/live/rig-07/command")
                                .get(0)
                                .payload())
                        .get("status")
                        .asText())
                .isEqualTo(status);
    }

    static List<String> badResults() {
        return FirmwareNotes.examples("commands/bad", ".json");
    }

    @ParameterizedTest
    @MethodSource("badResults")
    void badResultsOfTheFirmwareNotesAreRefusedWithTheReasonInTheirName(String example) throws Exception {
        restoreExampleCommands();
        String reason = example.substring("result-".length(), example.length() - ".json".length());

        ResultOutcome outcome = commands.result(RIG, FirmwareNotes.example("commands/bad/" + example));

        assertThat(outcome).isInstanceOfSatisfying(ResultOutcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(reason));
        assertThat(count("unknown-result")).isEqualTo(1);
        assertThat(commands.recent(RIG)).allMatch(RigCommand::pending);
        assertThat(outlet.all()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "~~|malformed-payload",
                "[1,2]|malformed-payload",
                "\"ok\"|malformed-payload",
                "{\"v\":\"1\",\"id\":\"x\",\"status\":\"ok\"}|wrong-type",
                "{\"id\":\"x\",\"status\":\"ok\"}|missing-field",
                "{\"v\":1,\"status\":\"ok\"}|missing-field",
                "{\"v\":1,\"id\":\"x\",\"status\":1}|wrong-type",
                "{\"v\":1,\"id\":\"x\",\"status\":\"ok\",\"detail\":42}|wrong-type",
                "{\"v\":1,\"id\":\"x\",\"status\":\"sent\"}|invalid-status",
                "{\"v\":1,\"id\":\"x\",\"status\":\"expired\"}|invalid-status",
                "{\"v\":1,\"id\":\"x\",\"status\":\"OK\"}|invalid-status",
                "{\"v\":1,\"id\":\"x\",\"status\":\"ok\"}|unknown-id",
            })
    void refusesResultsThatBreakTheContract(String payload, String reason) {
        ResultOutcome outcome = commands.result(RIG, payload.getBytes(StandardCharsets.UTF_8));
        assertThat(outcome).isInstanceOfSatisfying(ResultOutcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(reason));
        assertThat(count("unknown-result")).isEqualTo(1);
    }

    @Test
    void aRigCannotAnswerAnotherRigsCommand() throws Exception {
        RigCommand command = issue("identify", "{}");
        ResultOutcome outcome = commands.result("rig-08", result(command.id(), "ok"));
        assertThat(outcome).isInstanceOfSatisfying(ResultOutcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo("unknown-id"));
        assertThat(commands.recent(RIG, command.id()).orElseThrow().status()).isEqualTo(CommandStatus.SENT);
        assertThat(commands.recent("rig-08", command.id())).isEmpty();
    }

    private static byte[] result(String id, String status) {
        return ("{\"v\":1,\"id\":\"" + id + "\",\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRedeliveredResultChangesNothingAndAContradictingOneIsRefused() throws Exception {
        RigCommand command = issue("identify", "{}");
        assertThat(commands.result(RIG, result(command.id(), "ok"))).isInstanceOf(ResultOutcome.Applied.class);
        outlet.clear();

        assertThat(commands.result(RIG, result(command.id(), "ok"))).isInstanceOf(ResultOutcome.Repeated.class);
        assertThat(commands.result(RIG, result(command.id(), "failed")))
                .isInstanceOfSatisfying(ResultOutcome.Rejected.class, r -> assertThat(r.reason())
                        .isEqualTo("already-answered"));

        assertThat(commands.recent(RIG, command.id()).orElseThrow().status()).isEqualTo(CommandStatus.OK);
        assertThat(count("ok")).isEqualTo(1);
        assertThat(count("unknown-result")).isEqualTo(1);
        assertThat(outlet.all()).isEmpty();
        assertThat(storedPoints(2)).extracting(p -> p.get("status")).containsExactly("sent", "ok");
    }

    @Test
    void takesResultsInCborToo() throws Exception {
        RigCommand command = issue("set-sample-rate", "{\"sample_rate_hz\":400}");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("v", 1);
        result.put("id", command.id());
        result.put("status", "failed");
        result.put("detail", "IMU busy");
        assertThat(commands.result(RIG, wire.writeCbor(result)))
                .isInstanceOfSatisfying(
                        ResultOutcome.Applied.class,
                        a -> assertThat(a.command().detail()).isEqualTo("IMU busy"));
    }

    @Test
    void keepsTheFirst300CharactersOfADetail() throws Exception {
        RigCommand command = issue("identify", "{}");
        String detail = "x".repeat(1000);
        ResultOutcome outcome = commands.result(
                RIG,
                ("{\"v\":1,\"id\":\"" + command.id() + "\",\"status\":\"rejected\",\"detail\":\"" + detail + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(((ResultOutcome.Applied) outcome).command().detail()).hasSize(RigCommands.MAX_DETAIL_CHARS);
    }

    // --- expiry ---

    @Test
    void expiresACommandWithoutAResultAtExpiresAtOnce() throws Exception {
        RigCommand command = issue("identify", "{}");
        RigCommand answered = issue("identify", "{}");
        commands.result(RIG, result(answered.id(), "ok"));

        clock.set(command.expiresAt().minusMillis(1));
        commands.tick();
        assertThat(commands.recent(RIG, command.id()).orElseThrow().status()).isEqualTo(CommandStatus.SENT);

        clock.set(command.expiresAt());
        commands.tick();
        commands.tick();

        RigCommand expired = commands.recent(RIG, command.id()).orElseThrow();
        assertThat(expired.status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(expired.detail()).isEqualTo("no result from the rig before expiry");
        assertThat(expired.updatedAt()).isEqualTo(command.expiresAt());
        assertThat(commands.recent(RIG, answered.id()).orElseThrow().status()).isEqualTo(CommandStatus.OK);
        assertThat(count("expired")).isEqualTo(1);
        assertThat(storedPoints(4))
                .filteredOn(p -> p.get("id").equals(command.id()))
                .extracting(p -> p.get("status"))
                .containsExactly("sent", "expired");
        assertThat(outlet.on("rigtel/v1/live/rig-07/command")).hasSize(4);
    }

    @Test
    void aLateResultStillTellsWhatTheRigDid() throws Exception {
        RigCommand command = issue("start-recording", "{}");
        clock.advance(Duration.ofMinutes(6));
        commands.tick();

        ResultOutcome outcome = commands.result(RIG, result(command.id(), "rejected"));

        assertThat(outcome).isInstanceOf(ResultOutcome.Applied.class);
        assertThat(commands.recent(RIG, command.id()).orElseThrow().status()).isEqualTo(CommandStatus.REJECTED);
    }

    @Test
    void expiryIsSetByTheConstructor() throws Exception {
        commands = new RigCommands(
                wire,
                outlet,
                new InfluxWrites(buffer),
                new BrokerMeters(registry),
                clock,
                Duration.ofMillis(30_500),
                10);
        RigCommand command = issue("identify", "{}");
        assertThat(command.expiresAt()).isEqualTo(T0.plusMillis(30_500));
        assertThat(outlet.on(CommandTopics.command(RIG)).get(0).expirySeconds()).isEqualTo(31);
        assertThat(commands.expiry()).isEqualTo(Duration.ofMillis(30_500));

        assertThatThrownBy(() -> new RigCommands(
                        wire, outlet, new InfluxWrites(buffer), new BrokerMeters(registry), clock, Duration.ZERO, 10))
                .hasMessageContaining("at least 1 s");
        assertThatThrownBy(() -> new RigCommands(
                        wire,
                        outlet,
                        new InfluxWrites(buffer),
                        new BrokerMeters(registry),
                        clock,
                        Duration.ofMinutes(1),
                        0))
                .hasMessageContaining("recentCapacity");
    }

    // --- memory and history ---

    @Test
    void remembersOnlyTheNewestCommands() throws Exception {
        commands = new RigCommands(
                wire, outlet, new InfluxWrites(buffer), new BrokerMeters(registry), clock, Duration.ofMinutes(5), 3);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(1));
            ids.add(issue("identify", "{}").id());
        }
        assertThat(commands.recent(RIG)).extracting(RigCommand::id).containsExactly(ids.get(4), ids.get(3), ids.get(2));
        assertThat(commands.result(RIG, result(ids.get(0), "ok")))
                .isInstanceOfSatisfying(ResultOutcome.Rejected.class, r -> assertThat(r.reason())
                        .isEqualTo("unknown-id"));
    }

    @Test
    void restoredCommandsTakeResultsAndExpireLikeOwnOnes() throws Exception {
        restoreExampleCommands();
        assertThat(commands.recent(RIG)).hasSize(5).allMatch(RigCommand::pending);

        clock.set(Instant.parse("2026-11-21T09:47:05.500Z"));
        commands.tick();

        assertThat(commands.recent(RIG))
                .extracting(c -> c.command().label(), c -> c.status().label())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("stop-recording", "sent"),
                        org.assertj.core.groups.Tuple.tuple("start-recording", "sent"),
                        org.assertj.core.groups.Tuple.tuple("set-sample-rate", "expired"),
                        org.assertj.core.groups.Tuple.tuple("jam-timecode", "expired"),
                        org.assertj.core.groups.Tuple.tuple("identify", "expired"));
    }

    @Test
    void historyPrefersMemoryUnlessStorageKnowsMore() {
        RigCommand sent = new RigCommand(
                "cmd-1795253400000-0000a3f9c2",
                RIG,
                CommandType.IDENTIFY,
                Map.of("seconds", 5),
                "ada",
                T0,
                T0.plusSeconds(300),
                CommandStatus.SENT,
                "",
                T0);
        RigCommand okInMemory = sent.withStatus(CommandStatus.OK, "", T0.plusSeconds(1));
        RigCommand other = new RigCommand(
                "cmd-1795253400001-0001a3f9c2",
                RIG,
                CommandType.STOP_RECORDING,
                Map.of(),
                "bob",
                T0.plusMillis(1),
                T0.plusSeconds(301),
                CommandStatus.SENT,
                "",
                T0.plusMillis(1));
        RigCommand failedInStorage = other.withStatus(CommandStatus.FAILED, "not recording", T0.plusSeconds(2));

        assertThat(CommandLog.merge(List.of(sent, failedInStorage), List.of(okInMemory, other), 10))
                .containsExactly(failedInStorage, okInMemory);
        assertThat(CommandLog.merge(List.of(sent, failedInStorage), List.of(okInMemory, other), 1))
                .containsExactly(failedInStorage);
    }
}
