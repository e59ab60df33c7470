package dev.rigtel.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigtel.collector.api.CollectorApi;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.ingest.IngestResult;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.Publisher;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.metrics.HttpMeters;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.MemoryStore;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.testing.RecordingCommandOutlet;
import dev.rigtel.collector.testing.RecordingSink;
import dev.rigtel.collector.testing.SettableClock;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.collector.testing.TestIngest;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Path segments from the wire to the API, through the real {@link HttpRoutes} and {@link
 * CollectorApi}: percent-escapes are decoded exactly once, and {@code +} is a plus in a path (RFC 3986
 * section 3.3; only form-encoded queries make it a space). The day's takes are answered from memory.
 */
class ApiPathsTest {

    private static final String DAY = "2026-11-21";

    @TempDir
    Path dir;

    private final WireMapper wire = WireMapper.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SettableClock clock = new SettableClock(Instant.parse(DAY + "T10:01:00Z"));
    private final ExecutorService authExecutor = Executors.newSingleThreadExecutor();
    private WriteBuffer buffer;
    private EmbeddedChannel channel;

    @BeforeEach
    void start() throws IOException {
        buffer = new WriteBuffer(
                        new RecordingSink(),
                        Spool.open(SpoolOptions.defaults(dir.resolve("spool"))),
                        new WriteBufferOptions(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(10)),
                        new StoreMeters(registry))
                .start();
        // Never asked: the routes here are answered from the open days in memory.
        PayloadDecoder decoder = new PayloadDecoder(wire, 4000);
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        TakeHistory takes = TakeHistory.inMemory(ZoneOffset.UTC, clock);
        IngestService ingest = TestIngest.create(
                decoder,
                clocks,
                takes,
                MotionConfig.defaults(),
                ZoneOffset.UTC,
                buffer,
                new IngestMeters(registry),
                clock);
        CollectorApi api = new CollectorApi(
                wire.mapper(),
                decoder,
                ingest,
                takes,
                clocks,
                new MemoryStore(),
                new Authenticator(TestCollector.credentials(dir, 1), authExecutor),
                ZoneOffset.UTC,
                clock,
                MotionConfig.defaults(),
                new RigCommands(
                        wire,
                        new RecordingCommandOutlet(),
                        new InfluxWrites(buffer),
                        new BrokerMeters(registry),
                        clock),
                () -> null);
        Publisher slateApp = new Publisher(new RigId("slate-app"), false, true);
        for (String event : List.of(
                slate("assign-1", "assign", "10:00:00:00", ",\"rig\":\"rig-01\",\"person\":\"50% off\""),
                slate("assign-2", "assign", "10:00:00:00", ",\"rig\":\"rig-02\",\"person\":\"A+B\""),
                slate("roll-1", "roll", "10:00:10:00", ",\"scene\":\"42\",\"shot\":\"A\",\"take\":1"),
                slate("cut-1", "cut", "10:00:20:00", ""))) {
            assertThat(ingest.accept(slateApp, "rigtel/v1/slate", event.getBytes(StandardCharsets.UTF_8), () -> {}))
                    .isInstanceOf(IngestResult.Accepted.class);
        }
        channel = new EmbeddedChannel(
                new HttpServerCodec(),
                new HttpObjectAggregator(64 * 1024),
                new HttpRoutes(
                        () -> "",
                        () -> new HttpRoutes.Health(true, "{}"),
                        api::handle,
                        Runnable::run,
                        new HttpMeters(registry)));
    }

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
        buffer.close();
        authExecutor.shutdownNow();
    }

    private static String slate(String id, String type, String tc, String extra) {
        return "{\"v\":1,\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"tc\":\"" + tc + "\",\"rate\":\"25\","
                + "\"date\":\"" + DAY + "\"" + extra + "}";
    }

    private record Answer(int status, String body) {}

    private Answer get(String target) {
        channel.writeInbound(
                Unpooled.copiedBuffer("GET " + target + " HTTP/1.1\r\nHost: c\r\n\r\n", StandardCharsets.UTF_8));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) message;
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        String raw = out.toString();
        return new Answer(Integer.parseInt(raw.substring(9, 12)), raw.substring(raw.indexOf("\r\n\r\n") + 4));
    }

    private List<String> takesOf(String encodedPerson) throws IOException {
        Answer answer = get("/api/people/" + encodedPerson + "/takes?date=" + DAY);
        assertThat(answer.status()).as(encodedPerson + ": " + answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode take : wire.mapper().readTree(answer.body())) {
            ids.add(take.get("id").asText());
        }
        return ids;
    }

    @Test
    void aPercentSignAndASpaceAreDecodedOnce() throws IOException {
        assertThat(takesOf("50%25%20off")).containsExactly("roll-1");
    }

    @Test
    void aPlusIsAPlusEncodedOrNot() throws IOException {
        assertThat(takesOf("A%2BB")).containsExactly("roll-1");
        assertThat(takesOf("A+B")).containsExactly("roll-1");
        assertThat(takesOf("A%20B")).as("a space is another person").isEmpty();
    }

    @Test
    void anEncodedSlashStaysInsideItsSegment() {
        // "rig%2F07" is one segment naming the rig "rig/07", which is not a valid rig id: not the
        // path /api/rigs/rig/07/commands, which does not exist (404).
        Answer answer = get("/api/rigs/rig%2F07/commands");
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("invalid rig id").contains("contains '/'");
    }

    @Test
    void aBadEscapeIsStillAnswered400() {
        assertThat(get("/api/people/50%zz/takes").status()).isEqualTo(400);
        assertThat(get("/api/people/%E2%82/takes").status()).as("not UTF-8").isEqualTo(400);
    }
}
