package dev.rigtel.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.ingest.json.ImuBatchJson;
import dev.rigtel.collector.ingest.json.PackedImuBatchJson;
import dev.rigtel.collector.ingest.json.TimecodeJson;
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
    void decodesThePackedExampleToTheJsonBatchWithinHalfACount() throws Exception {
        ImuBatch json = decoder.imu(RIG, FirmwareNotes.example("imu-1khz.json"));
        ImuBatch packed = decoder.imu(RIG, FirmwareNotes.example("imu-1khz-packed.cbor"));

        assertThat(packed.deviceNanos()).isEqualTo(json.deviceNanos());
        assertThat(packed.seq()).isEqualTo(json.seq());
        assertThat(packed.boot()).isEqualTo(json.boot());
        assertThat(packed.clippedSamples()).isZero();
        double accelCount = 16.0 / 32768 * 9.80665;
        double gyroCount = 2000.0 / 32768;
        for (int i = 0; i < json.values().length; i++) {
            double halfCount = (i % 6 < 3 ? accelCount : gyroCount) / 2;
            assertThat(packed.values()[i]).isCloseTo(json.values()[i], org.assertj.core.data.Offset.offset(halfCount));
        }
    }

    @Test
    void flagsSamplesWithACountAtFullScaleAsClipped() throws Exception {
        byte[] counts = new byte[3 * 12];
        putShort(counts, 0, 32767); // sample 0: ax at +full scale
        putShort(counts, 12 + 10, -32768); // sample 1: gz at -full scale
        putShort(counts, 24 + 2, 2048); // sample 2: 1 g on ay, not clipped
        byte[] payload = wire.writeCbor(packed(0.5 / 1024, 2000.0 / 32768, 16, 2000, counts, null));

        ImuBatch batch = decoder.imu(RIG, payload);

        assertThat(batch.clippedSamples()).isEqualTo(2);
        assertThat(batch.sample(2).accelYMps2()).isEqualTo(9.80665);
        assertThat(batch.sample(1).gyroZDps()).isEqualTo(-2000.0);
    }

    @Test
    void refusesPackedCountsThatScaleBeyondTheSensorLimits() throws Exception {
        byte[] counts = new byte[12];
        putShort(counts, 0, 20000);
        byte[] payload = wire.writeCbor(packed(1.0 / 1024, 2000.0 / 32768, 16, 2000, counts, null));

        assertThatThrownBy(() -> decoder.imu(RIG, payload))
                .extracting(e -> ((PayloadRejectedException) e).reason())
                .isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @Test
    void refusesAPackedBatchOverTheSampleLimit() throws Exception {
        byte[] payload = wire.writeCbor(packed(1.0 / 2048, 2000.0 / 32768, 16, 2000, new byte[4001 * 12], null));

        assertThatThrownBy(() -> decoder.imu(RIG, payload))
                .extracting(e -> ((PayloadRejectedException) e).reason())
                .isEqualTo(RejectReason.BATCH_TOO_LARGE);
    }

    @Test
    void readsAPackedMapWithoutFmtFirstAsTheFloatForm() throws Exception {
        // fmt must be the map's first key; elsewhere the byte string is not an array of samples.
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("v", 1);
        map.put("seq", 1);
        map.put("boot", "b1");
        map.put("t0_us", 0);
        map.put("dt_ns", 1_000_000);
        map.put("samples", new byte[12]);
        map.put("fmt", "packed16");
        byte[] payload = wire.writeCbor(map);

        assertThatThrownBy(() -> decoder.imu(RIG, payload))
                .extracting(e -> ((PayloadRejectedException) e).reason())
                .isEqualTo(RejectReason.WRONG_TYPE);
    }

    private static PackedImuBatchJson packed(
            double accelScaleG, double gyroScaleDps, int accelRangeG, int gyroRangeDps, byte[] counts, Integer n) {
        return new PackedImuBatchJson(
                PackedImuBatchJson.FORMAT,
                1,
                7L,
                "b1",
                1000L,
                1_000_000L,
                null,
                accelScaleG,
                gyroScaleDps,
                accelRangeG,
                gyroRangeDps,
                n,
                counts);
    }

    private static void putShort(byte[] to, int at, int value) {
        to[at] = (byte) value;
        to[at + 1] = (byte) (value >> 8);
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
    void decodesABatchedTimecodeReportFrameByFrame() throws Exception {
        TimecodeReport report = decoder.timecode(RIG, FirmwareNotes.example("timecode-25-batch.json"));

        assertThat(report.timecode().toString()).isEqualTo("23:59:59:22");
        assertThat(report.frameCount()).isEqualTo(5);
        assertThat(report.deviceNanos()).isEqualTo(5_001_200_000L);
        assertThat(report.nextDeviceNanos())
                .containsExactly(5_041_195_000L, 5_081_203_000L, 5_121_198_000L, 5_161_201_000L);
        assertThat(report.lastDeviceNanos()).isEqualTo(5_161_201_000L);
        assertThat(report.shootingDate()).contains(LocalDate.of(2026, 11, 21));
    }

    @Test
    void aReportOfOneFrameHasNoNextFrames() throws Exception {
        TimecodeReport report = decoder.timecode(RIG, FirmwareNotes.example("timecode-25.json"));

        assertThat(report.frameCount()).isEqualTo(1);
        assertThat(report.lastDeviceNanos()).isEqualTo(report.deviceNanos());
    }

    @Test
    void aBatchedReportTakesFramesOfHalfToOneAndAHalfFrameLengths() throws Exception {
        // 40 ms frames at 25 fps: 20 ms and 60 ms are the limits, both in.
        assertThat(decoder.timecode(RIG, batchedReport(1_000_000, 1_020_000, 1_080_000))
                        .frameCount())
                .isEqualTo(3);
        for (long[] next : new long[][] {{1_019_999}, {1_060_001}, {1_000_000}, {999_000}, {1_040_000, 1_040_000}}) {
            assertThatThrownBy(() -> decoder.timecode(RIG, batchedReport(1_000_000, next)))
                    .isInstanceOf(PayloadRejectedException.class)
                    .hasMessageContaining("next_us[")
                    .extracting(e -> ((PayloadRejectedException) e).reason())
                    .isEqualTo(RejectReason.BAD_TIMING);
        }
    }

    @Test
    void aBatchedReportHoldsUpToSixtyFrames() throws Exception {
        long[] next = new long[PayloadDecoder.MAX_NEXT_FRAMES];
        for (int i = 0; i < next.length; i++) {
            next[i] = 1_000_000 + 40_000L * (i + 1);
        }

        assertThat(decoder.timecode(RIG, batchedReport(1_000_000, next)).frameCount())
                .isEqualTo(60);
        long[] tooMany = java.util.Arrays.copyOf(next, next.length + 1);
        tooMany[next.length] = next[next.length - 1] + 40_000;
        assertThatThrownBy(() -> decoder.timecode(RIG, batchedReport(1_000_000, tooMany)))
                .isInstanceOf(PayloadRejectedException.class)
                .extracting(e -> ((PayloadRejectedException) e).reason())
                .isEqualTo(RejectReason.BATCH_TOO_LARGE);
    }

    @Test
    void aBatchedReportDecodesTheSameFromCbor() throws Exception {
        TimecodeJson json = new TimecodeJson(
                1, 9L, "b1", "10:00:00:00", "25", false, 1_000_000L, null, new long[] {1_040_000, 1_080_000});

        TimecodeReport fromCbor = decoder.timecode(RIG, wire.writeCbor(json));

        assertThat(fromCbor.nextDeviceNanos()).containsExactly(1_040_000_000L, 1_080_000_000L);
    }

    private byte[] batchedReport(long firstMicros, long... nextMicros) throws Exception {
        return wire.writeJson(new TimecodeJson(1, 9L, "b1", "10:00:00:00", "25", false, firstMicros, null, nextMicros));
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
        java.util.List<String> all = new java.util.ArrayList<>(FirmwareNotes.examples("bad", ".json"));
        all.addAll(FirmwareNotes.examples("bad", ".cbor"));
        return all;
    }

    /**
     * Each bad example is named {@code <kind>-<reason>.json} or {@code <kind>-<detail>.json}
     * ({@code .cbor} for the packed ones).
     */
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
            case "offsets-not-increasing", "frame-skipped" -> RejectReason.BAD_TIMING;
            case "next-null" -> RejectReason.WRONG_TYPE;
            case "invalid-label", "unknown-rate", "drop-frame-at-25" -> RejectReason.BAD_TIMECODE;
            case "battery-out-of-range" -> RejectReason.OUT_OF_RANGE;
            case "packed-length" -> RejectReason.WRONG_TYPE;
            case "packed-count" -> RejectReason.BAD_FIELD;
            case "packed-zero-scale", "packed-negative-scale" -> RejectReason.OUT_OF_RANGE;
            case "packed-nan-scale" -> RejectReason.NOT_FINITE;
            case "packed-missing-scale", "packed-missing-range", "packed-missing-t0" -> RejectReason.MISSING_FIELD;
            case "packed-empty-batch" -> RejectReason.EMPTY_BATCH;
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

    /** The boot check is a loop, not a regex per message: it must accept exactly what the contract's pattern does. */
    @Test
    void bootIdsAreCheckedAsTheContractsPattern() {
        java.util.regex.Pattern contract = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,32}");
        java.util.Random random = new java.util.Random(3);
        String alphabet = "aZ09_.-/: \u00e9\u0000+";
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(36);
            for (int k = 0; k < length; k++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            boolean expected = contract.matcher(id).matches();
            assertThat(PayloadDecoder.isBootId(id.toString())).as(id.toString()).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).as("some random ids are valid").isPositive();
        assertThat(PayloadDecoder.isBootId("9f3a61c2")).isTrue();
        assertThat(PayloadDecoder.isBootId("x".repeat(33))).isFalse();
        assertThat(PayloadDecoder.isBootId("")).isFalse();
    }
}
