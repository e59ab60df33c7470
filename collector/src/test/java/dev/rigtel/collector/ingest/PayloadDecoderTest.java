package dev.rigtel.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.ingest.json.ImuBatchJson;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.timecode.FrameRate;
import java.time.LocalDate;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadDecoderTest {

    private static final RigId RIG = new RigId("rig-01");
    private final WireMapper wire = WireMapper.create();
    private final PayloadDecoder decoder = new PayloadDecoder(wire, 4000);

    @Test
    void decodesTheJsonImuExampleWithSampleTimesFromTheInterval() throws Exception {
        ImuBatch batch = decoder.imu(RIG, FirmwareNotes.example("imu-1khz.json"));

        assertThat(batch.sampleCount()).isEqualTo(50);
        assertThat(batch.seq()).isEqualTo(1042);
        assertThat(batch.boot()).isEqualTo("9f3a61c2");
        assertThat(batch.deviceNanos()[0]).isEqualTo(73_012_000_000L);
        assertThat(batch.deviceNanos()[49]).isEqualTo(73_012_000_000L + 49 * 1_000_000L);
        assertThat(batch.sample(0).accelYMps2()).isEqualTo(10.0066);
    }

    @Test
    void decodesCborToTheSameBatchAsJson() throws Exception {
        ImuBatch json = decoder.imu(RIG, FirmwareNotes.example("imu-1khz.json"));
        ImuBatch cbor = decoder.imu(RIG, FirmwareNotes.example("imu-1khz.cbor"));

        assertThat(cbor.deviceNanos()).isEqualTo(json.deviceNanos());
        assertThat(cbor.values()).isEqualTo(json.values());
        assertThat(cbor.seq()).isEqualTo(json.seq());
    }

    @Test
    void decodesPerSampleOffsets() throws Exception {
        ImuBatch batch = decoder.imu(RIG, FirmwareNotes.example("imu-200hz-offsets.json"));

        assertThat(batch.sampleCount()).isEqualTo(10);
        assertThat(batch.deviceNanos()[1] - batch.deviceNanos()[0]).isEqualTo(5_001_000L);
        assertThat(batch.deviceNanos()[2] - batch.deviceNanos()[0]).isEqualTo(10_000_000L);
    }

    @Test
    void decodesDropFrameTimecode() throws Exception {
        TimecodeReport report = decoder.timecode(RIG, FirmwareNotes.example("timecode-2997df.json"));

        assertThat(report.timecode().toString()).isEqualTo("14:03:27;12");
        assertThat(report.timecode().rate()).isEqualTo(FrameRate.FPS_29_97);
        assertThat(report.deviceNanos()).isEqualTo(73_012_417_000L);
        assertThat(report.shootingDate()).isEmpty();
    }

    @Test
    void decodesTimecodeWithShootingDate() throws Exception {
        TimecodeReport report = decoder.timecode(RIG, FirmwareNotes.example("timecode-25.json"));

        assertThat(report.timecode().frameNumber()).isEqualTo(86_400L * 25 - 1);
        assertThat(report.shootingDate()).contains(LocalDate.of(2026, 11, 21));
    }

    @Test
    void decodesStatusInBothEncodings() throws Exception {
        RigStatus json = decoder.status(RIG, FirmwareNotes.example("status.json"));
        RigStatus cbor = decoder.status(RIG, FirmwareNotes.example("status.cbor"));

        assertThat(json.batteryPercent()).hasValue(87.5);
        assertThat(json.wifiRssiDbm()).hasValue(-61);
        assertThat(json.recording()).contains(true);
        assertThat(json.firmware()).contains("1.4.2");
        assertThat(cbor).isEqualTo(json);
    }

    static java.util.List<String> badExamples() {
        return FirmwareNotes.examples("bad", ".json");
    }

    /** Each bad example is named {@code <kind>-<reason>.json} or {@code <kind>-<detail>.json}. */
    @ParameterizedTest
    @MethodSource("badExamples")
    void rejectsEveryBadExampleWithAReason(String name) {
        byte[] payload = FirmwareNotes.example("bad/" + name);
        String kind = name.substring(0, name.indexOf('-'));

        assertThatThrownBy(() -> {
                    switch (kind) {
                        case "imu" -> decoder.imu(RIG, payload);
                        case "timecode" -> decoder.timecode(RIG, payload);
                        case "status" -> decoder.status(RIG, payload);
                        default -> throw new AssertionError("unknown kind in " + name);
                    }
                })
                .isInstanceOf(PayloadRejectedException.class)
                .satisfies(e -> assertThat(expectedReason(name)).isEqualTo(((PayloadRejectedException) e).reason()));
    }

    private static RejectReason expectedReason(String name) {
        String detail = name.substring(name.indexOf('-') + 1, name.length() - ".json".length());
        return switch (detail) {
            case "malformed-json" -> RejectReason.MALFORMED_PAYLOAD;
            case "sample-width" -> RejectReason.WRONG_TYPE;
            case "no-interval" -> RejectReason.MISSING_FIELD;
            case "offsets-not-increasing" -> RejectReason.BAD_TIMING;
            case "invalid-label", "unknown-rate", "drop-frame-at-25" -> RejectReason.BAD_TIMECODE;
            case "battery-out-of-range" -> RejectReason.OUT_OF_RANGE;
            default -> RejectReason.valueOf(detail.toUpperCase(Locale.ROOT).replace('-', '_'));
        };
    }

    @Test
    void rejectsBatchesOverTheSampleLimit() throws Exception {
        double[][] samples = new double[4001][];
        java.util.Arrays.fill(samples, new double[] {0, 9.8, 0, 0, 0, 0});
        byte[] payload = wire.writeJson(new ImuBatchJson(1, 1L, "b1", 0L, 1_000_000L, null, samples));

        assertThatThrownBy(() -> decoder.imu(RIG, payload))
                .isInstanceOf(PayloadRejectedException.class)
                .extracting(e -> ((PayloadRejectedException) e).reason())
                .isEqualTo(RejectReason.BATCH_TOO_LARGE);
    }

    @Test
    void rejectsNanInCbor() throws Exception {
        byte[] payload = wire.writeCbor(
                new ImuBatchJson(1, 1L, "b1", 0L, 1_000_000L, null, new double[][] {{Double.NaN, 9.8, 0, 0, 0, 0}}));

        assertThatThrownBy(() -> decoder.imu(RIG, payload))
                .extracting(e -> ((PayloadRejectedException) e).reason())
                .isEqualTo(RejectReason.NOT_FINITE);
    }

    @Test
    void rejectsNumbersSentAsStrings() {
        byte[] payload =
                "{\"v\":1,\"seq\":\"7\",\"boot\":\"b\",\"t0_us\":0,\"dt_ns\":1000000,\"samples\":[[0,9.8,0,0,0,0]]}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.imu(RIG, payload))
                .extracting(e -> ((PayloadRejectedException) e).reason())
                .isEqualTo(RejectReason.WRONG_TYPE);
    }

    @Test
    void rejectsGarbageBytesAsMalformed() {
        assertThatThrownBy(() -> decoder.imu(RIG, new byte[] {(byte) 0xff, 0x00, 0x13}))
                .extracting(e -> ((PayloadRejectedException) e).reason())
                .isEqualTo(RejectReason.MALFORMED_PAYLOAD);
        assertThatThrownBy(() -> decoder.imu(RIG, new byte[0]))
                .extracting(e -> ((PayloadRejectedException) e).reason())
                .isEqualTo(RejectReason.MALFORMED_PAYLOAD);
    }

    @Test
    void rejectsTrailingDataAfterTheJsonObject() {
        byte[] payload =
                "{\"v\":1,\"seq\":1,\"boot\":\"b\",\"t_us\":0}{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.status(RIG, payload))
                .extracting(e -> ((PayloadRejectedException) e).reason())
                .isEqualTo(RejectReason.MALFORMED_PAYLOAD);
    }

    @Test
    void decodesTheStuntFlagOfARollAndASnoozeForOneRigOrAll() throws Exception {
        java.time.Instant now = java.time.Instant.parse("2026-11-21T12:00:00Z");
        dev.rigtel.collector.takes.SlateEvent.Roll stunt = (dev.rigtel.collector.takes.SlateEvent.Roll)
                decoder.slate(FirmwareNotes.example("slate-roll-stunt.json"), now, java.time.ZoneOffset.UTC, true);
        dev.rigtel.collector.takes.SlateEvent.Roll plain = (dev.rigtel.collector.takes.SlateEvent.Roll)
                decoder.slate(FirmwareNotes.example("slate-roll.json"), now, java.time.ZoneOffset.UTC, true);
        dev.rigtel.collector.takes.SlateEvent snooze =
                decoder.slate(FirmwareNotes.example("slate-snooze.json"), now, java.time.ZoneOffset.UTC, true);
        dev.rigtel.collector.takes.SlateEvent all = decoder.slate(
                "{\"v\":1,\"id\":\"z\",\"type\":\"snooze\",\"tc\":\"10:00:00:00\",\"rate\":\"25\",\"rig\":\"*\"}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                now,
                java.time.ZoneOffset.UTC,
                true);

        assertThat(stunt.stunt()).isTrue();
        assertThat(plain.stunt()).isFalse();
        assertThat(snooze).isInstanceOf(dev.rigtel.collector.takes.SlateEvent.Snooze.class);
        assertThat(((dev.rigtel.collector.takes.SlateEvent.Snooze) snooze).rig())
                .isEqualTo("rig-07");
        assertThat(((dev.rigtel.collector.takes.SlateEvent.Snooze) all).rig()).isEqualTo("*");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decoder.slate(
                        "{\"v\":1,\"id\":\"z\",\"type\":\"snooze\",\"tc\":\"10:00:00:00\",\"rate\":\"25\",\"rig\":\"a/b\"}"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        now,
                        java.time.ZoneOffset.UTC,
                        true))
                .isInstanceOf(PayloadRejectedException.class);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"slate-roll.json", "slate-cut.json", "slate-mark.json", "slate-assign.json", "slate-snooze.json"
            })
    void decodesEverySlateExample(String name) throws Exception {
        dev.rigtel.collector.takes.SlateEvent event = decoder.slate(
                FirmwareNotes.example(name),
                java.time.Instant.parse("2026-11-21T12:00:00Z"),
                java.time.ZoneOffset.UTC,
                true);

        assertThat(event.type()).isEqualTo(name.substring("slate-".length(), name.length() - ".json".length()));
        assertThat(event.date()).isEqualTo(LocalDate.of(2026, 11, 21));
    }

    @Test
    void placesASlateEventOnItsTimecodeInTheShootsZone() throws Exception {
        dev.rigtel.collector.takes.SlateEvent.Roll roll = (dev.rigtel.collector.takes.SlateEvent.Roll) decoder.slate(
                FirmwareNotes.example("slate-roll.json"),
                java.time.Instant.parse("2026-11-21T12:00:00Z"),
                java.time.ZoneId.of("Europe/Paris"),
                true);

        // 14:03:27:00 in Paris (UTC+1 in November) is 13:03:27 UTC.
        assertThat(roll.atNanos())
                .isEqualTo(java.time.Instant.parse("2026-11-21T13:03:27Z").getEpochSecond() * 1_000_000_000L);
        assertThat(roll.scene()).isEqualTo("42");
        assertThat(roll.take()).isEqualTo(3);
        assertThat(roll.cameraRoll()).isEqualTo("A001");
    }

    @Test
    void aSlateEventWithoutDateTakesTheDateNearestNow() throws Exception {
        byte[] payload = "{\"v\":1,\"id\":\"c\",\"type\":\"cut\",\"tc\":\"23:59:50:00\",\"rate\":\"25\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        dev.rigtel.collector.takes.SlateEvent cut =
                decoder.slate(payload, java.time.Instant.parse("2026-11-22T00:00:05Z"), java.time.ZoneOffset.UTC, true);

        assertThat(cut.date()).isEqualTo(LocalDate.of(2026, 11, 21));
    }

    @Test
    void rejectsBadSlateEvents() {
        String[] bad = {
            "{\"v\":1,\"id\":\"x\",\"type\":\"roll\",\"tc\":\"10:00:00:00\",\"rate\":\"25\",\"scene\":\"1\",\"shot\":\"A\"}",
            "{\"v\":1,\"id\":\"x\",\"type\":\"wrap\",\"tc\":\"10:00:00:00\",\"rate\":\"25\"}",
            "{\"v\":1,\"id\":\"x y\",\"type\":\"cut\",\"tc\":\"10:00:00:00\",\"rate\":\"25\"}",
            "{\"v\":1,\"id\":\"x\",\"type\":\"cut\",\"tc\":\"00:01:00;00\",\"rate\":\"29.97\",\"df\":true}",
            "{\"v\":1,\"id\":\"x\",\"type\":\"mark\",\"tc\":\"10:00:00:00\",\"rate\":\"25\",\"scene\":\"1\",\"shot\":\"A\",\"take\":1,\"mark\":\"meh\"}",
            "{\"v\":1,\"id\":\"x\",\"type\":\"assign\",\"tc\":\"10:00:00:00\",\"rate\":\"25\",\"rig\":\"a/b\",\"person\":\"P\"}",
            "{\"v\":1,\"type\":\"cut\",\"tc\":\"10:00:00:00\",\"rate\":\"25\"}"
        };
        for (String json : bad) {
            assertThatThrownBy(() -> decoder.slate(
                            json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            java.time.Instant.now(),
                            java.time.ZoneOffset.UTC,
                            true))
                    .as(json)
                    .isInstanceOf(PayloadRejectedException.class);
        }
    }
}
