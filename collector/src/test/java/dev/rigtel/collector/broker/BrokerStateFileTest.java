package dev.rigtel.collector.broker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.testing.CapturedLog;
import dev.rigtel.collector.testing.FaultyDisk;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerStateFileTest {

    private static final long NOW = Instant.parse("2026-11-21T14:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private final ObjectMapper mapper = WireMapper.create().mapper();
    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(NOW));
    private final CapturedLog log = CapturedLog.of(BrokerStateFile.class);

    @AfterEach
    void releaseLogs() {
        log.close();
    }

    private BrokerStateFile stateFile() {
        return new BrokerStateFile(dir.resolve("broker-state.json"), mapper, clock);
    }

    private List<ILoggingEvent> warnings() {
        return log.at(Level.WARN);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(Path::getFileName).sorted().toList();
        }
    }

    private static BrokerMessage bytesMessage(String topic, byte[] payload, int qos, boolean retain) {
        return BrokerMessage.of(topic, payload, qos, retain);
    }

    /** A state using every field: properties, expiry, anonymous and named users, subscription options. */
    private static BrokerState everyField() {
        BrokerMessage detailed = new BrokerMessage(
                "rigs/cam-01/cmd",
                new byte[] {0, 1, 2, (byte) 0xff, '{', '"'},
                2,
                false,
                new MessageProperties(
                        true,
                        "application/json",
                        "rigs/cam-01/reply",
                        new byte[] {9, 8, 7},
                        List.of(
                                new MessageProperties.UserProperty("take", "12"),
                                new MessageProperties.UserProperty("take", "13"))),
                NOW + 60_000,
                List.of(42, 7));
        BrokerMessage retained =
                BrokerMessage.of("rigs/cam-01/status", "{\"up\":true}".getBytes(StandardCharsets.UTF_8), 1, true);
        BrokerMessage plain = new BrokerMessage(
                "slate/take",
                new byte[0],
                1,
                false,
                new MessageProperties(null, "text/plain", null, null, List.of()),
                BrokerMessage.NEVER);
        return new BrokerState(
                List.of(retained),
                List.of(
                        new BrokerState.SessionState(
                                "cam-01",
                                "crew",
                                3600,
                                NOW - 5000,
                                List.of(
                                        Subscription.of("rigs/+/cmd", 2),
                                        new Subscription("slate/#", 1, true, true, 2),
                                        new Subscription("$share/viewers/rigs/+/status", 1, false, false, 0, 42)),
                                List.of(detailed, plain)),
                        new BrokerState.SessionState(
                                "monitor", null, BrokerSession.NEVER_EXPIRES, NOW, List.of(), List.of())));
    }

    @Test
    void aSavedStateLoadsBackEqual() throws IOException {
        BrokerState state = everyField();
        stateFile().save(state);

        BrokerState loaded = stateFile().load();

        assertThat(loaded).usingRecursiveComparison().isEqualTo(state);
        assertThat(loaded.sessions().get(0).pending().get(0).properties().correlationData())
                .containsExactly(9, 8, 7);
        assertThat(loaded.sessions().get(0).pending().get(1).properties().payloadFormatUtf8())
                .isNull();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aFileWrittenBeforeSharedSubscriptionsAndIdentifiersStillLoads() throws IOException {
        // The format as the collector wrote it before subscription identifiers existed.
        Files.writeString(
                dir.resolve("broker-state.json"),
                "{\"version\":1,\"retained\":[],\"sessions\":[{\"clientId\":\"a\",\"username\":\"crew\","
                        + "\"expirySeconds\":60,\"disconnectedAtMillis\":0,\"subscriptions\":[{\"filter\":\"x/#\","
                        + "\"qos\":1,\"noLocal\":false,\"retainAsPublished\":false,\"retainHandling\":0}],"
                        + "\"pending\":[{\"topic\":\"x/y\",\"payload\":\"\",\"qos\":1,\"retain\":false}]}]}");

        BrokerState loaded = stateFile().load();

        assertThat(loaded.sessions().get(0).subscriptions()).containsExactly(Subscription.of("x/#", 1));
        assertThat(loaded.sessions().get(0).pending().get(0).subscriptionIds()).isEmpty();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void anEmptyStateLoadsBackEmpty() throws IOException {
        stateFile().save(BrokerState.EMPTY);

        BrokerState loaded = stateFile().load();

        assertThat(loaded.retained()).isEmpty();
        assertThat(loaded.sessions()).isEmpty();
    }

    @Test
    void payloadsAndCorrelationDataAreBase64InTheFile() throws IOException {
        stateFile().save(everyField());

        JsonNode json = mapper.readTree(Files.readAllBytes(dir.resolve("broker-state.json")));

        JsonNode pending = json.get("sessions").get(0).get("pending").get(0);
        assertThat(pending.get("payload").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 0xff, '{', '"'}));
        assertThat(pending.get("correlationData").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {9, 8, 7}));
        assertThat(json.get("version").asInt()).isEqualTo(BrokerStateFile.VERSION);
    }

    @Test
    void aMissingFileLoadsAsEmpty() throws IOException {
        assertThat(stateFile().load()).isSameAs(BrokerState.EMPTY);
        assertThat(files()).isEmpty();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void saveReplacesThePreviousStateAndLeavesNoTemporaryFile() throws IOException {
        BrokerStateFile file = stateFile();
        file.save(everyField());
        file.save(new BrokerState(
                List.of(bytesMessage("t", "new".getBytes(StandardCharsets.UTF_8), 0, true)), List.of()));

        BrokerState loaded = file.load();

        assertThat(loaded.sessions()).isEmpty();
        assertThat(loaded.retained()).extracting(BrokerMessage::topic).containsExactly("t");
        assertThat(files()).containsExactly(Path.of("broker-state.json"));
    }

    @Test
    void saveCreatesMissingDirectories() throws IOException {
        BrokerStateFile nested = new BrokerStateFile(dir.resolve("a/b/state.json"), mapper, clock);

        nested.save(everyField());

        assertThat(nested.load().sessions()).hasSize(2);
    }

    @Test
    void keepsPayloadsLongerThanTheWireMappersStringLimit() throws IOException {
        // 200 KiB in base64 is far beyond WireMapper's 64 KiB string limit, which binary values escape.
        byte[] big = new byte[200 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        stateFile().save(new BrokerState(List.of(bytesMessage("t", big, 1, true)), List.of()));

        BrokerState loaded = stateFile().load();

        assertThat(loaded.retained().get(0).payload()).isEqualTo(big);
    }

    @Test
    void aCorruptFileIsMovedAsideWithOneWarningAndLoadsAsEmpty() throws IOException {
        Path path = dir.resolve("broker-state.json");
        stateFile().save(everyField());
        byte[] saved = Files.readAllBytes(path);
        byte[] truncated = java.util.Arrays.copyOf(saved, saved.length / 2);
        Files.write(path, truncated);

        BrokerState loaded = stateFile().load();

        assertThat(loaded).isSameAs(BrokerState.EMPTY);
        Path aside = dir.resolve("broker-state.json.corrupt-" + NOW);
        assertThat(files()).containsExactly(aside.getFileName());
        assertThat(Files.readAllBytes(aside)).isEqualTo(truncated);
        assertThat(warnings()).hasSize(1);
        assertThat(warnings().get(0).getFormattedMessage()).contains("broker-state.json.corrupt-" + NOW);

        clock.advanceSeconds(1);
        assertThat(stateFile().load()).isSameAs(BrokerState.EMPTY);
        assertThat(warnings())
                .as("the next start finds no file and says nothing")
                .hasSize(1);
    }

    @Test
    void anEmptyFileIsCorrupt() throws IOException {
        Files.write(dir.resolve("broker-state.json"), new byte[0]);

        assertThat(stateFile().load()).isSameAs(BrokerState.EMPTY);
        assertThat(files()).containsExactly(Path.of("broker-state.json.corrupt-" + NOW));
        assertThat(warnings()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[]",
                "{}",
                "{\"version\":2,\"retained\":[],\"sessions\":[]}",
                "{\"version\":1,\"sessions\":[]}",
                "{\"version\":1,\"retained\":[{\"topic\":\"t\",\"payload\":\"AA==\",\"qos\":7,\"retain\":true}],"
                        + "\"sessions\":[]}",
                "{\"version\":1,\"retained\":[{\"topic\":\"t/#\",\"payload\":\"AA==\",\"qos\":1,\"retain\":true}],"
                        + "\"sessions\":[]}",
                "{\"version\":1,\"retained\":[{\"topic\":\"t\",\"qos\":1,\"retain\":true}],\"sessions\":[]}",
                "{\"version\":1,\"retained\":[{\"topic\":\"t\",\"payload\":\"not base64!\",\"qos\":1,\"retain\":true}],"
                        + "\"sessions\":[]}",
                "{\"version\":1,\"retained\":[],\"sessions\":[{\"clientId\":\"a\",\"expirySeconds\":60,"
                        + "\"disconnectedAtMillis\":0,\"subscriptions\":[{\"filter\":\"a/#/b\",\"qos\":1,"
                        + "\"noLocal\":false,\"retainAsPublished\":false,\"retainHandling\":0}],\"pending\":[]}]}",
                "{\"version\":1,\"retained\":[],\"sessions\":[{\"expirySeconds\":60,\"disconnectedAtMillis\":0,"
                        + "\"subscriptions\":[],\"pending\":[]}]}",
                "{\"version\":1,\"retained\":[],\"sessions\":[null]}",
                "{\"version\":1,\"retained\":[],\"sessions\":[{\"clientId\":\"a\",\"expirySeconds\":60,"
                        + "\"disconnectedAtMillis\":0,\"subscriptions\":[{\"filter\":\"$share/a+b/x\",\"qos\":1,"
                        + "\"noLocal\":false,\"retainAsPublished\":false,\"retainHandling\":0}],\"pending\":[]}]}",
                "{\"version\":1,\"retained\":[],\"sessions\":[{\"clientId\":\"a\",\"expirySeconds\":60,"
                        + "\"disconnectedAtMillis\":0,\"subscriptions\":[{\"filter\":\"x\",\"qos\":1,"
                        + "\"noLocal\":false,\"retainAsPublished\":false,\"retainHandling\":0,\"subscriptionId\":-1}],"
                        + "\"pending\":[]}]}",
                "{\"version\":1,\"retained\":[],\"sessions\":[{\"clientId\":\"a\",\"expirySeconds\":60,"
                        + "\"disconnectedAtMillis\":0,\"subscriptions\":[],\"pending\":[{\"topic\":\"t\",\"payload\":\"\","
                        + "\"qos\":1,\"retain\":false,\"subscriptionIds\":[268435456]}]}]}",
                "{\"version\":1,\"retained\":[],\"sessions\":[]} trailing"
            })
    void wellFormedJsonThatIsNotAValidStateIsCorrupt(String json) throws IOException {
        Files.writeString(dir.resolve("broker-state.json"), json);

        assertThat(stateFile().load()).isSameAs(BrokerState.EMPTY);
        assertThat(files()).containsExactly(Path.of("broker-state.json.corrupt-" + NOW));
        assertThat(warnings()).hasSize(1);
    }

    @Test
    void aBrokerRestartedFromTheFileResumesItsSessionsAndRetainedMessages() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Broker before = new Broker(BrokerOptions.DEFAULTS, new BrokerMeters(registry), clock);
        before.publish(BrokerMessage.of("rigs/cam-01/status", "up".getBytes(StandardCharsets.UTF_8), 1, true), null);
        RecordingOutlet first = new RecordingOutlet();
        Broker.ConnectRequest connect =
                new Broker.ConnectRequest("crew", "slate", false, BrokerSession.NEVER_EXPIRES, 65_535, null);
        BrokerSession session = before.attach(connect, first).session();
        before.subscribe(session, List.of(Subscription.of("rigs/#", 2)));
        before.detach(session, first, true, -1);
        before.publish(BrokerMessage.of("rigs/cam-01/take", "12".getBytes(StandardCharsets.UTF_8), 2, false), null);
        stateFile().save(before.state());

        Broker after = new Broker(BrokerOptions.DEFAULTS, new BrokerMeters(new SimpleMeterRegistry()), clock);
        after.restore(stateFile().load());
        RecordingOutlet second = new RecordingOutlet();
        Broker.Attached resumed = after.attach(connect, second);

        assertThat(resumed.sessionPresent()).isTrue();
        // The retained message sent on subscribe was never acknowledged, so it comes again first.
        assertThat(second.payloads()).containsExactly("up", "12");
        assertThat(second.published()).extracting(RecordingOutlet.Sent::qos).containsExactly(1, 2);
        after.publish(BrokerMessage.of("rigs/cam-02/take", "13".getBytes(StandardCharsets.UTF_8), 1, false), null);
        assertThat(second.last().payload()).isEqualTo("13");
        assertThat(after.retained("rigs/cam-01/status")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {FaultyDisk.ENOSPC, FaultyDisk.EMFILE, FaultyDisk.EIO})
    void aSaveThatFailsOnTheDiskLeavesThePreviousStateAndTheNextSaveWorks(String error) throws IOException {
        FaultyDisk disk = new FaultyDisk();
        BrokerStateFile file = new BrokerStateFile(dir.resolve("broker-state.json"), mapper, clock, disk);
        file.save(everyField());
        disk.fail("broker-state", FaultyDisk.Op.FORCE, error).fail("broker-state", FaultyDisk.Op.MOVE, error);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> file.save(BrokerState.EMPTY))
                .isInstanceOf(IOException.class)
                .hasMessage(error);
        assertThat(file.load()).usingRecursiveComparison().isEqualTo(everyField());

        disk.heal();
        file.save(BrokerState.EMPTY);
        assertThat(file.load()).isEqualTo(BrokerState.EMPTY);
    }
}
