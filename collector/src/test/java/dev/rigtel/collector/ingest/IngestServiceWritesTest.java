package dev.rigtel.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.store.ClockSegmentPoint;
import dev.rigtel.collector.store.RollupPoint;
import dev.rigtel.collector.store.SlatePoint;
import dev.rigtel.collector.store.StatusPoint;
import dev.rigtel.collector.store.TimecodePoint;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.ManualClock;
import dev.rigtel.collector.testing.RecordingWrites;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What ingest hands the store's write port, as typed points, one batch per message: read from an
 * in-memory {@link RecordingWrites}, with no line protocol in sight.
 */
class IngestServiceWritesTest {

    private static final String RIG = "rig-07";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T14:03:00Z"));
    private final RecordingWrites writes = new RecordingWrites();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TakeHistory takes = TakeHistory.inMemory(ZoneOffset.UTC, clock);
    private final IngestService ingest = new IngestService(
            new PayloadDecoder(WireMapper.create(), 4000),
            new DeviceClocks(clock, AlignerOptions.defaults()),
            takes,
            new MotionTracker(MotionConfig.defaults(), takes.live(), IngestEvents.NONE),
            IngestEvents.NONE,
            ZoneOffset.UTC,
            writes,
            new IngestMeters(registry),
            clock);
    private final Publisher rig = new Publisher(new RigId(RIG), true, false);

    private void accept(String kind, String example) {
        IngestResult result =
                ingest.accept(rig, "rigtel/v1/" + RIG + "/" + kind, FirmwareNotes.example(example), () -> {});
        assertThat(result).as(example).isInstanceOf(IngestResult.Accepted.class);
    }

    @Test
    void anImuBatchIsOneBatchOfItsClockSegmentsThenItsSamples() {
        accept("imu", "imu-1khz.json");

        assertThat(writes.offered()).hasSize(1);
        List<Object> points = writes.offered().get(0).points();
        assertThat(points.get(0)).isInstanceOf(ClockSegmentPoint.class);
        List<RecordingWrites.Imu> imu = writes.offered().get(0).of(RecordingWrites.Imu.class);
        assertThat(imu).hasSize(1);
        assertThat(imu.get(0).rig()).isEqualTo(RIG);
        assertThat(imu.get(0).utcNanos()).hasSize(50);
        assertThat(imu.get(0).values()).hasSize(50 * ImuBatch.VALUES_PER_SAMPLE);
        assertThat(imu.get(0).deviceNanos()[1] - imu.get(0).deviceNanos()[0]).isEqualTo(1_000_000L);
        assertThat(points.subList(0, points.indexOf(imu.get(0)))).allMatch(ClockSegmentPoint.class::isInstance);
    }

    @Test
    void packedSamplesAtFullScaleAreCountedAsClippedAndStoredAtTheBound() throws Exception {
        byte[] counts = new byte[4 * 12];
        counts[0] = (byte) 0xFF; // sample 0: ax = +32767, full scale
        counts[1] = (byte) 0x7F;
        counts[12 + 11] = (byte) 0x80; // sample 1: gz = -32768, full scale
        counts[24 + 3] = 0x08; // sample 2: ay = 2048 counts, 1 g: not clipped
        byte[] payload = WireMapper.create()
                .writeCbor(new dev.rigtel.collector.ingest.json.PackedImuBatchJson(
                        dev.rigtel.collector.ingest.json.PackedImuBatchJson.FORMAT,
                        1,
                        7L,
                        "b1",
                        1000L,
                        1_000_000L,
                        null,
                        0.5 / 1024,
                        2000.0 / 32768,
                        16,
                        2000,
                        null,
                        counts));

        IngestResult result = ingest.accept(rig, "rigtel/v1/" + RIG + "/imu", payload, () -> {});

        assertThat(result).isInstanceOf(IngestResult.Accepted.class);
        assertThat(registry.get("rigtel.ingest.clipped").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("rigtel.ingest.samples").counter().count()).isEqualTo(4.0);
        double[] values =
                writes.offered().get(0).of(RecordingWrites.Imu.class).get(0).values();
        assertThat(values[5 + ImuBatch.VALUES_PER_SAMPLE]).isEqualTo(-2000.0);
    }

    @Test
    void theFloatEncodingsCountNothingAsClipped() {
        accept("imu", "imu-1khz.json");

        assertThat(registry.get("rigtel.ingest.clipped").counter().count()).isZero();
    }

    @Test
    void rollupsOfClosedSecondsJoinTheBatchThatClosedThem() {
        accept("imu", "imu-1khz.json");
        byte[] later = new String(FirmwareNotes.example("imu-1khz.json"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"seq\":1042", "\"seq\":1043")
                .replace("\"t0_us\":73012000", "\"t0_us\":75012000")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ingest.accept(rig, "rigtel/v1/" + RIG + "/imu", later, () -> {});

        assertThat(writes.offered()).hasSize(2);
        assertThat(writes.points(RollupPoint.class)).isNotEmpty();
        for (RecordingWrites.Offered batch : writes.offered()) {
            long[] utc = batch.of(RecordingWrites.Imu.class).get(0).utcNanos();
            for (RollupPoint rollup : batch.of(RollupPoint.class)) {
                assertThat(rollup.rig()).isEqualTo(RIG);
                // A second is closed by a sample after it, in the same batch.
                assertThat(rollup.secondStartNanos() + 1_000_000_000L).isLessThanOrEqualTo(utc[utc.length - 1]);
            }
        }
    }

    @Test
    void aBatchedTimecodeReportIsStoredFrameByFrameAcrossMidnight() {
        accept("timecode", "timecode-25-batch.json");

        assertThat(writes.offered()).hasSize(1);
        List<TimecodePoint> frames = writes.offered().get(0).of(TimecodePoint.class);
        assertThat(frames)
                .extracting(TimecodePoint::label)
                .containsExactly("23:59:59:22", "23:59:59:23", "23:59:59:24", "00:00:00:00", "00:00:00:01");
        assertThat(frames)
                .extracting(TimecodePoint::deviceNanos)
                .containsExactly(5_001_200_000L, 5_041_195_000L, 5_081_203_000L, 5_121_198_000L, 5_161_201_000L);
        long midnight = Instant.parse("2026-11-22T00:00:00Z").getEpochSecond() * 1_000_000_000L;
        assertThat(frames)
                .extracting(TimecodePoint::timeNanos)
                .containsExactly(
                        midnight - 120_000_000L,
                        midnight - 80_000_000L,
                        midnight - 40_000_000L,
                        midnight,
                        midnight + 40_000_000L);
        assertThat(frames).allMatch(frame -> frame.seq() == 4 && frame.boot().equals("0c11ab7e"));
    }

    @Test
    void aStatusReportKeepsItsOptionalFields() {
        accept("status", "status.json");

        List<StatusPoint> status = writes.points(StatusPoint.class);
        assertThat(status).hasSize(1);
        assertThat(status.get(0).rig()).isEqualTo(RIG);
        assertThat(status.get(0).seq()).isEqualTo(12);
        assertThat(status.get(0).batteryPercent()).hasValue(87.5);
        assertThat(status.get(0).wifiRssiDbm()).hasValue(-61);
        assertThat(status.get(0).firmware()).hasValue("1.4.2");
    }

    @Test
    void aSlateEventIsOneTypedPointWhoseSequenceTheTakeBookWaitsFor() {
        IngestResult result = ingest.accept(
                new Publisher(new RigId("slate-app"), false, true),
                IngestService.SLATE_TOPIC,
                FirmwareNotes.example("slate-roll.json"),
                () -> {});

        assertThat(result).isInstanceOf(IngestResult.Accepted.class);
        List<SlatePoint> slate = writes.points(SlatePoint.class);
        assertThat(slate).hasSize(1);
        assertThat(slate.get(0).id()).isEqualTo("5b0e6c1e-roll");
        assertThat(slate.get(0).type()).isEqualTo("roll");
        assertThat(slate.get(0).kind()).isEqualTo(new SlatePoint.Roll("42", "A", 3, "A001", "stunt double, wire rig"));
        assertThat(slate.get(0).timeNanos()).isGreaterThanOrEqualTo(slate.get(0).atNanos());
        assertThat(writes.offered().get(0).sequence()).isEqualTo(1);
    }

    @Test
    void backPressureIsTheStoresToTell() {
        assertThat(ingest.overCapacity()).isFalse();
        writes.overCapacity(true);
        assertThat(ingest.overCapacity()).isTrue();
    }
}
