package dev.rigtel.collector.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.rigtel.collector.ingest.json.ImuBatchJson;
import dev.rigtel.collector.ingest.json.PackedImuBatchJson;
import dev.rigtel.collector.ingest.json.SlateJson;
import dev.rigtel.collector.ingest.json.StatusJson;
import dev.rigtel.collector.ingest.json.TimecodeJson;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.TakeMark;
import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.InvalidTimecodeException;
import dev.rigtel.collector.timecode.Timecode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Decodes and validates rig payloads (JSON or CBOR) against wire contract v1. Every rule here is
 * listed in firmware-notes/README.md; a payload that breaks one is rejected whole with a
 * {@link RejectReason}, never half stored.
 */
public final class PayloadDecoder {

    /** +-16 g, the widest accelerometer range rigs carry. */
    public static final double MAX_ACCEL_MPS2 = 16 * 9.80665;

    public static final double MAX_GYRO_DPS = 4000;
    public static final int CONTRACT_VERSION = 1;
    private static final long MAX_INTERVAL_NANOS = 1_000_000_000L;

    /**
     * Frames after the first in one timecode report ({@code next_us}): up to 60 frames a report, a
     * second at 60 fps.
     */
    public static final int MAX_NEXT_FRAMES = 59;

    private static final int MAX_FIRMWARE_CHARS = 32;
    private static final Pattern SLATE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private static final long[] NO_FRAMES = new long[0];

    private final WireMapper wire;
    private final int maxBatchSamples;

    public PayloadDecoder(WireMapper wire, int maxBatchSamples) {
        this.wire = wire;
        this.maxBatchSamples = maxBatchSamples;
    }

    /** The process's one mapper, which this decoder reads with. */
    public WireMapper wire() {
        return wire;
    }

    public ImuBatch imu(RigId rig, byte[] payload) throws PayloadRejectedException {
        if (isPacked(payload)) {
            return packedImu(rig, payload);
        }
        ImuBatchJson json = read(payload, ImuBatchJson.class);
        checkVersion(json.version());
        long seq = seq(json.seq());
        String boot = boot(json.boot());
        long t0Micros = require(json.firstSampleMicros(), "t0_us");
        double[][] samples = require(json.samples(), "samples");
        if (samples.length == 0) {
            throw new PayloadRejectedException(RejectReason.EMPTY_BATCH, "samples is empty");
        }
        if (samples.length > maxBatchSamples) {
            throw new PayloadRejectedException(
                    RejectReason.BATCH_TOO_LARGE,
                    samples.length + " samples in one batch, at most " + maxBatchSamples + " allowed");
        }
        if (t0Micros < 0 || t0Micros > Long.MAX_VALUE / 2000) {
            throw new PayloadRejectedException(RejectReason.BAD_TIMING, "t0_us out of range: " + t0Micros);
        }
        long[] deviceNanos = sampleTimes(t0Micros * 1000, json.intervalNanos(), json.offsetsMicros(), samples.length);
        double[] values = new double[samples.length * ImuBatch.VALUES_PER_SAMPLE];
        for (int i = 0; i < samples.length; i++) {
            double[] s = samples[i];
            if (s == null || s.length != ImuBatch.VALUES_PER_SAMPLE) {
                throw new PayloadRejectedException(
                        RejectReason.WRONG_TYPE, "sample " + i + " must have 6 values [ax, ay, az, gx, gy, gz]");
            }
            for (int k = 0; k < ImuBatch.VALUES_PER_SAMPLE; k++) {
                double v = s[k];
                if (!Double.isFinite(v)) {
                    throw new PayloadRejectedException(RejectReason.NOT_FINITE, "sample " + i + " has " + v);
                }
                double limit = k < 3 ? MAX_ACCEL_MPS2 : MAX_GYRO_DPS;
                if (Math.abs(v) > limit) {
                    throw new PayloadRejectedException(
                            RejectReason.OUT_OF_RANGE,
                            "sample " + i + " value " + v
                                    + (k < 3 ? " m/s^2 beyond +-16 g" : " deg/s beyond +-4000 deg/s"));
                }
                values[i * ImuBatch.VALUES_PER_SAMPLE + k] = v;
            }
        }
        return new ImuBatch(rig, boot, seq, deviceNanos, values);
    }

    /** Standard gravity (CGPM 1901), to turn g into m/s^2. */
    private static final double STANDARD_GRAVITY = 9.80665;

    /** A count at or beyond this on any axis means the sensor saturated there. */
    private static final int CLIP_COUNT = 32767;

    /**
     * {@code "fmt"} then {@code "packed16"} as CBOR text strings (major type 3): the first key and
     * value of a packed batch's map (firmware-notes/README.md, "Packed IMU batch").
     */
    private static final byte[] PACKED_MAGIC = {0x63, 'f', 'm', 't', 0x68, 'p', 'a', 'c', 'k', 'e', 'd', '1', '6'};

    /**
     * A packed batch is a CBOR map (definite length up to 255 entries or indefinite) whose first
     * entry is {@code fmt: "packed16"}; a firmware writes its own map, so fixing the first key costs
     * it nothing and lets the collector choose the reader from 14 bytes, without parsing twice.
     */
    static boolean isPacked(byte[] payload) {
        int head = payload.length == 0 ? -1 : payload[0] & 0xff;
        int start;
        if ((head >= 0xa0 && head <= 0xb7) || head == 0xbf) {
            start = 1;
        } else if (head == 0xb8) {
            start = 2;
        } else {
            return false;
        }
        if (payload.length < start + PACKED_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < PACKED_MAGIC.length; i++) {
            if (payload[start + i] != PACKED_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A packed batch: little-endian int16 counts times the header's scales. One byte array (the
     * samples), one times array and one values array per batch; nothing per sample.
     */
    private ImuBatch packedImu(RigId rig, byte[] payload) throws PayloadRejectedException {
        PackedImuBatchJson json = read(payload, PackedImuBatchJson.class);
        checkVersion(json.version());
        long seq = seq(json.seq());
        String boot = boot(json.boot());
        long t0Micros = require(json.firstSampleMicros(), "t0_us");
        double accelScaleG = scale(json.accelScaleG(), "accel_scale_g");
        double gyroScaleDps = scale(json.gyroScaleDps(), "gyro_scale_dps");
        int accelRangeG = require(json.accelRangeG(), "accel_range_g");
        int gyroRangeDps = require(json.gyroRangeDps(), "gyro_range_dps");
        if (accelRangeG < 1 || accelRangeG * STANDARD_GRAVITY > MAX_ACCEL_MPS2) {
            throw new PayloadRejectedException(
                    RejectReason.OUT_OF_RANGE, "accel_range_g must be 1..16, got " + accelRangeG);
        }
        if (gyroRangeDps < 1 || gyroRangeDps > MAX_GYRO_DPS) {
            throw new PayloadRejectedException(
                    RejectReason.OUT_OF_RANGE, "gyro_range_dps must be 1..4000, got " + gyroRangeDps);
        }
        byte[] packed = require(json.samples(), "samples");
        if (packed.length % PackedImuBatchJson.BYTES_PER_SAMPLE != 0) {
            throw new PayloadRejectedException(
                    RejectReason.WRONG_TYPE,
                    "samples has " + packed.length + " bytes, not a multiple of 12 (6 int16 per sample)");
        }
        int count = packed.length / PackedImuBatchJson.BYTES_PER_SAMPLE;
        if (json.sampleCount() != null && json.sampleCount() != count) {
            throw new PayloadRejectedException(
                    RejectReason.BAD_FIELD, "n is " + json.sampleCount() + " but samples holds " + count);
        }
        if (count == 0) {
            throw new PayloadRejectedException(RejectReason.EMPTY_BATCH, "samples is empty");
        }
        if (count > maxBatchSamples) {
            throw new PayloadRejectedException(
                    RejectReason.BATCH_TOO_LARGE,
                    count + " samples in one batch, at most " + maxBatchSamples + " allowed");
        }
        if (t0Micros < 0 || t0Micros > Long.MAX_VALUE / 2000) {
            throw new PayloadRejectedException(RejectReason.BAD_TIMING, "t0_us out of range: " + t0Micros);
        }
        long[] deviceNanos = sampleTimes(t0Micros * 1000, json.intervalNanos(), json.offsetsMicros(), count);
        double accelMps2PerCount = accelScaleG * STANDARD_GRAVITY;
        double[] values = new double[count * ImuBatch.VALUES_PER_SAMPLE];
        int clipped = 0;
        for (int i = 0; i < count; i++) {
            boolean clip = false;
            for (int k = 0; k < ImuBatch.VALUES_PER_SAMPLE; k++) {
                int o = (i * ImuBatch.VALUES_PER_SAMPLE + k) * 2;
                int c = (short) ((packed[o] & 0xff) | (packed[o + 1] << 8));
                clip |= c >= CLIP_COUNT || c <= -CLIP_COUNT;
                double v = k < 3 ? c * accelMps2PerCount : c * gyroScaleDps;
                double limit = k < 3 ? MAX_ACCEL_MPS2 : MAX_GYRO_DPS;
                if (Math.abs(v) > limit) {
                    throw new PayloadRejectedException(
                            RejectReason.OUT_OF_RANGE,
                            "sample " + i + " count " + c + " scales to " + v
                                    + (k < 3 ? " m/s^2 beyond +-16 g" : " deg/s beyond +-4000 deg/s"));
                }
                values[i * ImuBatch.VALUES_PER_SAMPLE + k] = v;
            }
            if (clip) {
                clipped++;
            }
        }
        return new ImuBatch(rig, boot, seq, deviceNanos, values, clipped, accelMps2PerCount, gyroScaleDps);
    }

    private static double scale(Double scale, String field) throws PayloadRejectedException {
        double value = require(scale, field);
        if (!Double.isFinite(value)) {
            throw new PayloadRejectedException(RejectReason.NOT_FINITE, field + " is " + value);
        }
        if (value <= 0) {
            throw new PayloadRejectedException(RejectReason.OUT_OF_RANGE, field + " must be above 0, got " + value);
        }
        return value;
    }

    private static long[] sampleTimes(long t0Nanos, Long intervalNanos, long[] offsetsMicros, int count)
            throws PayloadRejectedException {
        long[] times = new long[count];
        if (intervalNanos != null && offsetsMicros != null) {
            throw new PayloadRejectedException(RejectReason.BAD_TIMING, "give dt_ns or offsets_us, not both");
        }
        if (intervalNanos != null) {
            if (intervalNanos <= 0 || intervalNanos > MAX_INTERVAL_NANOS) {
                throw new PayloadRejectedException(
                        RejectReason.BAD_TIMING, "dt_ns must be 1.." + MAX_INTERVAL_NANOS + ", got " + intervalNanos);
            }
            for (int i = 0; i < count; i++) {
                times[i] = t0Nanos + i * intervalNanos;
            }
            return times;
        }
        if (offsetsMicros == null) {
            throw new PayloadRejectedException(RejectReason.MISSING_FIELD, "dt_ns or offsets_us is required");
        }
        if (offsetsMicros.length != count) {
            throw new PayloadRejectedException(
                    RejectReason.BAD_TIMING,
                    "offsets_us has " + offsetsMicros.length + " entries for " + count + " samples");
        }
        if (offsetsMicros[0] != 0) {
            throw new PayloadRejectedException(RejectReason.BAD_TIMING, "offsets_us must start at 0");
        }
        for (int i = 0; i < count; i++) {
            if (i > 0
                    && (offsetsMicros[i] <= offsetsMicros[i - 1]
                            || offsetsMicros[i] - offsetsMicros[i - 1] > MAX_INTERVAL_NANOS / 1000)) {
                throw new PayloadRejectedException(
                        RejectReason.BAD_TIMING, "offsets_us must increase strictly by at most 1 s, at index " + i);
            }
            times[i] = t0Nanos + offsetsMicros[i] * 1000;
        }
        return times;
    }

    public TimecodeReport timecode(RigId rig, byte[] payload) throws PayloadRejectedException {
        TimecodeJson json = read(payload, TimecodeJson.class);
        checkVersion(json.version());
        long seq = seq(json.seq());
        String boot = boot(json.boot());
        String label = require(json.label(), "tc");
        String rateLabel = require(json.rate(), "rate");
        boolean dropFrame = require(json.dropFrame(), "df");
        long deviceMicros = deviceMicros(json.deviceMicros());
        FrameRate rate = FrameRate.fromLabel(rateLabel)
                .orElseThrow(() ->
                        new PayloadRejectedException(RejectReason.BAD_TIMECODE, "unknown rate '" + rateLabel + "'"));
        Timecode timecode;
        try {
            timecode = Timecode.parse(label, rate, dropFrame);
        } catch (InvalidTimecodeException e) {
            throw new PayloadRejectedException(RejectReason.BAD_TIMECODE, e.getMessage());
        }
        Optional<LocalDate> date = json.date() == null ? Optional.empty() : Optional.of(date(json.date()));
        long[] next = nextFrames(json.nextMicros(), deviceMicros, rate);
        return new TimecodeReport(rig, boot, seq, timecode, deviceMicros * 1000, date, next);
    }

    /**
     * The device times (ns) of the frames after the first of a batched report: at most
     * {@value #MAX_NEXT_FRAMES}, each half a frame to a frame and a half after the one before (a
     * frame the rig could not pair, or a second report of one frame, ends a batch in the contract).
     */
    private static long[] nextFrames(long[] nextMicros, long firstMicros, FrameRate rate)
            throws PayloadRejectedException {
        if (nextMicros == null || nextMicros.length == 0) {
            return NO_FRAMES;
        }
        if (nextMicros.length > MAX_NEXT_FRAMES) {
            throw new PayloadRejectedException(
                    RejectReason.BATCH_TOO_LARGE,
                    "next_us has " + nextMicros.length + " frames, at most " + MAX_NEXT_FRAMES + " allowed");
        }
        double frameMicros = rate.frameNanos() / 1000;
        long[] nanos = new long[nextMicros.length];
        long previous = firstMicros;
        for (int i = 0; i < nextMicros.length; i++) {
            long step = nextMicros[i] - previous;
            if (step < frameMicros / 2 || step > frameMicros * 3 / 2) {
                throw new PayloadRejectedException(
                        RejectReason.BAD_TIMING,
                        "next_us[" + i + "] is " + step + " us after the frame before it, not one frame ("
                                + Math.round(frameMicros) + " us at " + rate.label() + " fps, +-50 %)");
            }
            previous = nextMicros[i];
            nanos[i] = previous * 1000;
        }
        return nanos;
    }

    public RigStatus status(RigId rig, byte[] payload) throws PayloadRejectedException {
        StatusJson json = read(payload, StatusJson.class);
        checkVersion(json.version());
        long seq = seq(json.seq());
        String boot = boot(json.boot());
        long deviceMicros = deviceMicros(json.deviceMicros());
        String firmware = json.firmware();
        if (firmware != null
                && (firmware.length() > MAX_FIRMWARE_CHARS || firmware.chars().anyMatch(Character::isISOControl))) {
            throw new PayloadRejectedException(RejectReason.BAD_FIELD, "fw must be up to 32 printable characters");
        }
        return new RigStatus(
                rig,
                boot,
                seq,
                deviceMicros * 1000,
                range(json.batteryPercent(), "battery_pct", 0, 100),
                range(json.batteryVolts(), "battery_v", 0, 60),
                range(json.temperatureCelsius(), "temp_c", -60, 150),
                intRange(json.wifiRssiDbm(), "wifi_rssi_dbm", -127, 0),
                Optional.ofNullable(json.recording()),
                range(json.imuRateHz(), "imu_rate_hz", 1, 100_000),
                intRange(json.accelRangeG(), "accel_range_g", 1, 400),
                intRange(json.gyroRangeDps(), "gyro_range_dps", 1, 10_000),
                Optional.ofNullable(firmware));
    }

    /**
     * A slate event. Its production time is its timecode on its shooting date in {@code zone};
     * without a date, the date that puts the timecode closest to {@code now}. Without a timecode
     * (allowed only when {@code timecodeRequired} is false, for the HTTP API) it happened now.
     */
    public SlateEvent slate(byte[] payload, Instant now, ZoneId zone, boolean timecodeRequired)
            throws PayloadRejectedException {
        SlateJson json = read(payload, SlateJson.class);
        checkVersion(json.version());
        String id = json.id() == null && !timecodeRequired ? UUID.randomUUID().toString() : require(json.id(), "id");
        if (!SLATE_ID.matcher(id).matches()) {
            throw new PayloadRejectedException(RejectReason.BAD_FIELD, "id must be 1 to 64 of A-Z a-z 0-9 _ . : -");
        }
        String type = require(json.type(), "type");
        String rateLabel = require(json.rate(), "rate");
        FrameRate rate = FrameRate.fromLabel(rateLabel)
                .orElseThrow(() ->
                        new PayloadRejectedException(RejectReason.BAD_TIMECODE, "unknown rate '" + rateLabel + "'"));
        boolean dropFrame = Boolean.TRUE.equals(json.dropFrame());
        DatedTimecode at;
        try {
            if (json.label() == null && !timecodeRequired) {
                if (dropFrame && !rate.dropFrameAllowed()) {
                    throw new InvalidTimecodeException(
                            "drop-frame timecode does not exist at " + rate.label() + " fps");
                }
                long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                at = DatedTimecode.atUtcNanos(nowNanos, zone, rate, dropFrame);
            } else {
                Timecode timecode = Timecode.parse(require(json.label(), "tc"), rate, dropFrame);
                at = json.date() == null
                        ? DatedTimecode.nearest(timecode, now, zone)
                        : new DatedTimecode(date(json.date()), timecode);
            }
        } catch (InvalidTimecodeException e) {
            throw new PayloadRejectedException(RejectReason.BAD_TIMECODE, e.getMessage());
        }
        long atNanos = at.utcNanos(zone);
        String label = at.timecode().toString();
        LocalDate date = at.shootingDate();
        return switch (type) {
            case "roll" ->
                new SlateEvent.Roll(
                        id,
                        atNanos,
                        label,
                        rate.label(),
                        date,
                        name(json.scene(), "scene"),
                        name(json.shot(), "shot"),
                        takeNumber(json.take()),
                        optionalText(json.cameraRoll(), "camera_roll", 32),
                        optionalText(json.notes(), "notes", 500),
                        Boolean.TRUE.equals(json.stunt()));
            case "cut" -> new SlateEvent.Cut(id, atNanos, label, rate.label(), date);
            case "mark" ->
                new SlateEvent.Mark(
                        id,
                        atNanos,
                        label,
                        rate.label(),
                        date,
                        name(json.scene(), "scene"),
                        name(json.shot(), "shot"),
                        takeNumber(json.take()),
                        TakeMark.fromLabel(require(json.mark(), "mark"))
                                .orElseThrow(() -> new PayloadRejectedException(
                                        RejectReason.BAD_FIELD, "mark must be good, ng or circled")),
                        optionalText(json.notes(), "notes", 500));
            case "assign" -> {
                String rig = require(json.rig(), "rig");
                if (RigId.problem(rig) != null) {
                    throw new PayloadRejectedException(RejectReason.BAD_FIELD, "rig: " + RigId.problem(rig));
                }
                yield new SlateEvent.Assign(
                        id,
                        atNanos,
                        label,
                        rate.label(),
                        date,
                        rig,
                        optionalText(require(json.person(), "person"), "person", 64));
            }
            case "snooze" -> {
                String rig = require(json.rig(), "rig");
                if (!rig.equals(SlateEvent.Snooze.ALL_RIGS) && RigId.problem(rig) != null) {
                    throw new PayloadRejectedException(RejectReason.BAD_FIELD, "rig: " + RigId.problem(rig));
                }
                yield new SlateEvent.Snooze(id, atNanos, label, rate.label(), date, rig);
            }
            default ->
                throw new PayloadRejectedException(
                        RejectReason.BAD_FIELD, "type must be roll, cut, mark, assign or snooze");
        };
    }

    /** Shooting dates rigtel can place on a nanosecond timeline (signed 64-bit ns end in 2262). */
    private static final LocalDate FIRST_DATE = LocalDate.of(1971, 1, 1);

    private static final LocalDate LAST_DATE = LocalDate.of(2261, 12, 31);

    private static LocalDate date(String text) throws PayloadRejectedException {
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new PayloadRejectedException(RejectReason.BAD_FIELD, "date must be YYYY-MM-DD");
        }
        if (date.isBefore(FIRST_DATE) || date.isAfter(LAST_DATE)) {
            throw new PayloadRejectedException(RejectReason.BAD_FIELD, "date must be between 1971 and 2261");
        }
        return date;
    }

    private static String name(String value, String field) throws PayloadRejectedException {
        String text = require(value, field);
        if (text.isEmpty() || text.length() > 32 || text.chars().anyMatch(Character::isISOControl)) {
            throw new PayloadRejectedException(RejectReason.BAD_FIELD, field + " must be 1 to 32 printable characters");
        }
        return text;
    }

    private static int takeNumber(Integer take) throws PayloadRejectedException {
        int value = require(take, "take");
        if (value < 1 || value > 999) {
            throw new PayloadRejectedException(RejectReason.OUT_OF_RANGE, "take must be 1..999, got " + value);
        }
        return value;
    }

    private static String optionalText(String value, String field, int maxChars) throws PayloadRejectedException {
        if (value == null) {
            return "";
        }
        if (value.length() > maxChars) {
            throw new PayloadRejectedException(RejectReason.BAD_FIELD, field + " is longer than " + maxChars);
        }
        return value;
    }

    private <T> T read(byte[] payload, Class<T> type) throws PayloadRejectedException {
        if (payload.length == 0) {
            throw new PayloadRejectedException(RejectReason.MALFORMED_PAYLOAD, "empty payload");
        }
        try {
            T value = wire.read(payload, type);
            if (value == null) {
                throw new PayloadRejectedException(RejectReason.MALFORMED_PAYLOAD, "payload is not a map");
            }
            return value;
        } catch (MismatchedInputException e) {
            boolean trailing = String.valueOf(e.getOriginalMessage()).startsWith("Trailing token");
            throw new PayloadRejectedException(
                    trailing ? RejectReason.MALFORMED_PAYLOAD : RejectReason.WRONG_TYPE, shortMessage(e));
        } catch (JacksonException e) {
            throw new PayloadRejectedException(RejectReason.MALFORMED_PAYLOAD, shortMessage(e));
        } catch (IOException e) {
            throw new PayloadRejectedException(RejectReason.MALFORMED_PAYLOAD, e.getMessage());
        }
    }

    private static String shortMessage(JacksonException e) {
        String path = e instanceof MismatchedInputException m && !m.getPath().isEmpty()
                ? " at " + m.getPathReference().replaceAll("^.*\\[\"", "\"").replace("]", "")
                : "";
        return e.getOriginalMessage().lines().findFirst().orElse("invalid payload") + path;
    }

    private static void checkVersion(Integer version) throws PayloadRejectedException {
        if (require(version, "v") != CONTRACT_VERSION) {
            throw new PayloadRejectedException(
                    RejectReason.UNSUPPORTED_VERSION,
                    "contract version " + version + " is not served here, only " + CONTRACT_VERSION);
        }
    }

    private static long seq(Long seq) throws PayloadRejectedException {
        long value = require(seq, "seq");
        if (value < 0) {
            throw new PayloadRejectedException(RejectReason.BAD_FIELD, "seq must not be negative");
        }
        return value;
    }

    private static String boot(String boot) throws PayloadRejectedException {
        String value = require(boot, "boot");
        if (!isBootId(value)) {
            throw new PayloadRejectedException(RejectReason.BAD_FIELD, "boot must be 1 to 32 of A-Z a-z 0-9 _ . -");
        }
        return value;
    }

    /** As {@code [A-Za-z0-9_.-]{1,32}}, without a matcher per message. */
    static boolean isBootId(String value) {
        int length = value.length();
        if (length < 1 || length > 32) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static long deviceMicros(Long micros) throws PayloadRejectedException {
        long value = require(micros, "t_us");
        if (value < 0 || value > Long.MAX_VALUE / 2000) {
            throw new PayloadRejectedException(RejectReason.BAD_TIMING, "t_us out of range: " + value);
        }
        return value;
    }

    private static OptionalDouble range(Double value, String field, double min, double max)
            throws PayloadRejectedException {
        if (value == null) {
            return OptionalDouble.empty();
        }
        if (!Double.isFinite(value)) {
            throw new PayloadRejectedException(RejectReason.NOT_FINITE, field + " is " + value);
        }
        if (value < min || value > max) {
            throw new PayloadRejectedException(
                    RejectReason.OUT_OF_RANGE, field + " must be " + min + ".." + max + ", got " + value);
        }
        return OptionalDouble.of(value);
    }

    private static OptionalInt intRange(Integer value, String field, int min, int max) throws PayloadRejectedException {
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value < min || value > max) {
            throw new PayloadRejectedException(
                    RejectReason.OUT_OF_RANGE, field + " must be " + min + ".." + max + ", got " + value);
        }
        return OptionalInt.of(value);
    }

    private static <T> T require(T value, String field) throws PayloadRejectedException {
        if (value == null) {
            throw new PayloadRejectedException(RejectReason.MISSING_FIELD, field + " is required");
        }
        return value;
    }
}
