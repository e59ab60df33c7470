package dev.rigtel.collector.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigtel.collector.ingest.IngestResult;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.Publisher;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.json.ImuBatchJson;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A real {@link IngestService} (real decoder, clocks, take book, motion and a write buffer with its
 * spool) on a {@link ManualClock}, publishing live topics to a {@link RecordingOutlet}; and the
 * firmware-notes example payloads, varied where a test needs more than one.
 */
public final class LiveIngest implements AutoCloseable {

    public static final String RIG = "rig-07"; // the rig examples/slate-assign.json assigns
    public static final Instant T0 = Instant.parse("2026-11-21T14:03:00Z");
    public static final String BOOT = "9f3a61c2"; // the boot of examples/status.json and imu-1khz.json

    public final ManualClock clock = new ManualClock(T0);
    public final RecordingOutlet outlet = new RecordingOutlet();
    public final WireMapper wire = WireMapper.create();
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final WriteBuffer buffer;
    public final IngestService ingest;
    private final Publisher slateApp = new Publisher(new RigId("slate-app"), false, true);

    public LiveIngest(Path dir) throws IOException {
        buffer = new WriteBuffer(
                        new RecordingSink(),
                        Spool.open(SpoolOptions.defaults(dir.resolve("spool"))),
                        new WriteBufferOptions(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(10)),
                        new StoreMeters(registry))
                .start();
        ingest = TestIngest.create(
                new PayloadDecoder(wire, 4000),
                new DeviceClocks(clock, AlignerOptions.defaults()),
                TakeHistory.inMemory(ZoneOffset.UTC, clock),
                MotionConfig.defaults(),
                ZoneOffset.UTC,
                buffer,
                new IngestMeters(registry),
                clock,
                outlet);
    }

    @Override
    public void close() {
        buffer.close();
    }

    public void accept(String kind, byte[] payload) {
        IngestResult result = ingest.accept(
                new Publisher(new RigId(RIG), true, false), "rigtel/v1/" + RIG + "/" + kind, payload, () -> {});
        assertThat(result).as(kind).isInstanceOf(IngestResult.Accepted.class);
    }

    public void slate(String example) {
        slate(FirmwareNotes.example(example));
    }

    public void slate(byte[] payload) {
        IngestResult result = ingest.accept(slateApp, IngestService.SLATE_TOPIC, payload, () -> {});
        assertThat(result).isInstanceOf(IngestResult.Accepted.class);
    }

    /** Timecode reports (examples/timecode-25.json, in the IMU's boot) until the rig locks. */
    public void lockTimecode() {
        try {
            for (int k = 0; k < AlignerOptions.defaults().minPairs(); k++) {
                ObjectNode report = (ObjectNode) wire.mapper().readTree(FirmwareNotes.example("timecode-25.json"));
                report.put("seq", k)
                        .put("boot", BOOT)
                        .put("tc", String.format("14:02:%02d:00", 50 + k))
                        .put("t_us", 5_000_000L + k * 1_000_000L);
                accept("timecode", wire.mapper().writeValueAsBytes(report));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** examples/status.json with another {@code seq} and battery level. */
    public byte[] status(long seq, double batteryPercent) {
        try {
            ObjectNode status = (ObjectNode) wire.mapper().readTree(FirmwareNotes.example("status.json"));
            status.put("seq", seq).put("battery_pct", batteryPercent);
            return wire.mapper().writeValueAsBytes(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An IMU batch as examples/imu-1khz.json (1 kHz, {@code dt_ns}), batch {@code n} of a contiguous
     * stream of {@code count}-sample batches, each sample {@code [ax ay az] m/s^2, [gx gy gz] deg/s}.
     */
    public byte[] imu(int n, int count, IntFunction<double[]> sample) {
        try {
            ImuBatchJson example = wire.read(FirmwareNotes.example("imu-1khz.json"), ImuBatchJson.class);
            double[][] samples = new double[count][];
            for (int i = 0; i < count; i++) {
                samples[i] = sample.apply(i);
            }
            return wire.writeJson(new ImuBatchJson(
                    example.version(),
                    example.seq() + n,
                    example.boot(),
                    example.firstSampleMicros() + (long) n * count * example.intervalNanos() / 1000,
                    example.intervalNanos(),
                    null,
                    samples));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode json(RecordingOutlet.Message message) {
        try {
            return wire.mapper().readTree(message.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RecordingOutlet.Message last(String topic) {
        List<RecordingOutlet.Message> on = outlet.on(topic);
        assertThat(on).as(topic).isNotEmpty();
        return on.get(on.size() - 1);
    }

    public static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
