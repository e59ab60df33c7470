package dev.rigtel.simulator;

import dev.rigtel.collector.ingest.MessageKind;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.RigTopic;
import dev.rigtel.collector.ingest.json.StatusJson;
import dev.rigtel.collector.ingest.json.TimecodeJson;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * What one simulated rig says, without any networking: its identity, device clock and every
 * message it sends, each a function of its index and the run's start.
 *
 * <p>Time is "elapsed": nanoseconds of true time since the start of the run. True time is the sync
 * box's timecode, and the wall clock of the machine running the simulator: it reads the run's start
 * instant plus elapsed time. The rig's device clock runs on its own crystal, which drifts by
 * {@link #clockDriftPpm()}: at elapsed time {@code e} it reads {@code D0 + e * (1 + drift * 1e-6)}
 * ({@link #deviceNanosAt(long)}), where {@code D0} = {@link #deviceStartNanos()} (the rig booted
 * some seconds before the run). The rig's firmware schedules by its device clock, so "device offset"
 * below is device time minus {@code D0}.
 *
 * <ul>
 *   <li>IMU sample {@code i} is taken at device offset {@code i * dt_ns}: a fast crystal takes the
 *       samples slightly sooner in true time. IMU batch {@code k} holds the samples taken at device
 *       offsets in {@code [k * batch, (k + 1) * batch)} and is due when the device clock reaches
 *       {@code (k + 1) * batch}, when its last sample has been taken.
 *   <li>Timecode report {@code k} is made at true time {@code k * tcInterval} and pairs the timecode
 *       frame that began last before that moment (timecode is true time) with the device time at
 *       which that frame began, plus a seeded gaussian jitter of {@link SimulatorOptions#clockJitterMicros()}.
 *       A batched report ({@link SimulatorOptions#timecodeFrames()} {@code N > 1}) pairs the
 *       {@code N} frames that began last, each with its own device time and jitter: {@code tc} is
 *       the oldest, {@code next_us} the others.
 *   <li>Status report {@code k} is made at device offset {@code k * statusInterval}, the first at the
 *       start.
 * </ul>
 */
public final class SimulatedRig {

    public static final String FIRMWARE = "sim-1.0";
    private static final long MIN_UPTIME_MICROS = 5_000_000;
    private static final long MAX_UPTIME_MICROS = 60_000_000;
    private static final double BATTERY_DRAIN_PCT_PER_S = 1.0 / 600;

    private final SimulatorOptions options;
    private final int rigNumber;
    private final RigId rigId;
    private final String boot;
    private final WireMapper wire;
    private final MotionGenerator motion;
    private final long deviceStartNanos;
    private final double clockDriftPpm;
    /** {@code drift * 1e-6}: how much the device clock gains per nanosecond of true time. */
    private final double driftFraction;

    private final long jitterKey;
    private final long intervalNanos;
    private final long batchNanos;
    private final double batteryStartPct;
    private final double temperatureStartC;
    private final int rssiDbm;
    private final String imuTopic;
    private final String timecodeTopic;
    private final String statusTopic;
    /** Reported in status; commands start and stop it (firmware-notes/commands.md). */
    private volatile boolean recording = true;

    /**
     * @param boot this power-up's id, see {@link #bootId(long, int, long)}
     */
    public SimulatedRig(SimulatorOptions options, int rigNumber, String boot, WireMapper wire) {
        this.options = options;
        this.rigNumber = rigNumber;
        this.rigId = options.rigId(rigNumber);
        this.boot = boot;
        this.wire = wire;
        this.intervalNanos = options.sampleIntervalNanos();
        this.batchNanos = options.batchLength().toNanos();
        this.motion = new MotionGenerator(options.seed(), rigNumber, options.profile(), intervalNanos);
        SplittableRandom traits = new SplittableRandom(MotionGenerator.mix(options.seed() + 31L * rigNumber + 7));
        this.deviceStartNanos = 1000 * (MIN_UPTIME_MICROS + traits.nextLong(MAX_UPTIME_MICROS - MIN_UPTIME_MICROS));
        this.batteryStartPct = 80 + 20 * traits.nextDouble();
        this.temperatureStartC = 33 + 6 * traits.nextDouble();
        this.rssiDbm = -75 + traits.nextInt(25);
        this.clockDriftPpm = clockDriftPpm(options, rigNumber);
        this.driftFraction = clockDriftPpm * 1e-6;
        this.jitterKey = MotionGenerator.mix(options.seed() ^ MotionGenerator.mix(rigNumber * 0x2F0B_3A49L + 0x1177));
        this.imuTopic = RigTopic.of(rigId, MessageKind.IMU);
        this.timecodeTopic = RigTopic.of(rigId, MessageKind.TIMECODE);
        this.statusTopic = RigTopic.of(rigId, MessageKind.STATUS);
    }

    /**
     * A boot id: 8 hex digits from the seed, the rig number and a per-run nonce. It must change with
     * every run: the collector pins a (rig, boot) to its clock the first time it sees it, so a second
     * run with the same boot and the same device clock would overwrite the first run's data.
     */
    public static String bootId(long seed, int rigNumber, long runNonce) {
        long bits =
                MotionGenerator.mix(seed ^ MotionGenerator.mix(rigNumber + 0x51ED27L) ^ MotionGenerator.mix(runNonce));
        return String.format("%08x", bits & 0xFFFF_FFFFL);
    }

    /**
     * The crystal drift of rig number {@code n} in ppm, a function of the seed: uniform in {@code
     * [-x, +x]} for {@code x =} {@link SimulatorOptions#clockDriftPpm()}, except that rig number 1
     * drifts by exactly {@code +x}, so that a test has a known extreme.
     */
    public static double clockDriftPpm(SimulatorOptions options, int rigNumber) {
        double bound = options.clockDriftPpm();
        if (bound == 0) {
            return 0;
        }
        if (rigNumber == 1) {
            return bound;
        }
        SplittableRandom crystal =
                new SplittableRandom(MotionGenerator.mix(options.seed() ^ MotionGenerator.mix(rigNumber + 0xC2157A1L)));
        return crystal.nextDouble(-bound, Math.nextUp(bound));
    }

    public int rigNumber() {
        return rigNumber;
    }

    /** Starts or stops recording, as a start-recording or stop-recording command asks. */
    public void recording(boolean on) {
        recording = on;
    }

    public boolean recording() {
        return recording;
    }

    /** The mapper the rig encodes its payloads with. */
    WireMapper wire() {
        return wire;
    }

    public RigId rigId() {
        return rigId;
    }

    public String boot() {
        return boot;
    }

    public MotionGenerator motion() {
        return motion;
    }

    /** The device clock at the start of the run: the rig's uptime, 5 to 60 s, whole microseconds. */
    public long deviceStartNanos() {
        return deviceStartNanos;
    }

    /** This rig's crystal drift in ppm: its device clock gains this many microseconds per second. */
    public double clockDriftPpm() {
        return clockDriftPpm;
    }

    /**
     * The device clock at elapsed (true) time {@code elapsedNanos}: {@code D0 + e * (1 + drift *
     * 1e-6)}, rounded to the nanosecond. The drift term is computed apart from {@code e}, so that
     * the product stays exact to well under a nanosecond for any run length.
     */
    public long deviceNanosAt(long elapsedNanos) {
        return deviceStartNanos + elapsedNanos + Math.round(elapsedNanos * driftFraction);
    }

    /**
     * The first elapsed (true) time, in whole nanoseconds, at which the device clock reads at least
     * {@code deviceNanos}: the inverse of {@link #deviceNanosAt(long)}.
     */
    public long elapsedNanosAtDevice(long deviceNanos) {
        return elapsedAtDeviceOffset(deviceNanos - deviceStartNanos);
    }

    private long elapsedAtDeviceOffset(long deviceOffsetNanos) {
        if (driftFraction == 0) {
            return deviceOffsetNanos;
        }
        long elapsed = deviceOffsetNanos - Math.round(deviceOffsetNanos * (driftFraction / (1 + driftFraction)));
        // The estimate is within a nanosecond or two; step to the exact first one.
        while (deviceNanosAt(elapsed) - deviceStartNanos < deviceOffsetNanos) {
            elapsed++;
        }
        while (deviceNanosAt(elapsed - 1) - deviceStartNanos >= deviceOffsetNanos) {
            elapsed--;
        }
        return elapsed;
    }

    /** Elapsed time at which IMU batch {@code k} is complete and may be sent. */
    public long imuBatchDueNanos(long batchIndex) {
        return elapsedAtDeviceOffset((batchIndex + 1) * batchNanos);
    }

    /** Elapsed time of timecode report {@code k}. */
    public long timecodeDueNanos(long reportIndex) {
        return reportIndex * options.timecodeInterval().toNanos();
    }

    /** Elapsed time of status report {@code k}. */
    public long statusDueNanos(long reportIndex) {
        return elapsedAtDeviceOffset(reportIndex * options.statusInterval().toNanos());
    }

    /**
     * The jitter added to the device time of timecode report {@code k}, in nanoseconds: gaussian
     * with a standard deviation of {@link SimulatorOptions#clockJitterMicros()}, a function of the
     * seed, the rig and {@code k}.
     */
    public long timecodeJitterNanos(long reportIndex) {
        return timecodeJitterNanos(reportIndex, 0);
    }

    /**
     * The jitter added to the device time of frame {@code j} (0 = {@code tc}, the oldest) of
     * timecode report {@code k}: the {@code j}-th draw of report {@code k}'s generator, so frame 0
     * is {@link #timecodeJitterNanos(long)}.
     */
    public long timecodeJitterNanos(long reportIndex, int frame) {
        SplittableRandom jitter = timecodeJitter(reportIndex);
        long nanos = 0;
        for (int j = 0; j <= frame && jitter != null; j++) {
            nanos = nextJitterNanos(jitter);
        }
        return nanos;
    }

    /** Report {@code k}'s jitter generator; null without jitter. */
    private SplittableRandom timecodeJitter(long reportIndex) {
        if (options.clockJitterMicros() == 0) {
            return null;
        }
        return new SplittableRandom(jitterKey ^ MotionGenerator.mix(reportIndex + 0x7E57L));
    }

    private long nextJitterNanos(SplittableRandom jitter) {
        return jitter == null ? 0 : Math.round(jitter.nextGaussian() * options.clockJitterMicros() * 1000);
    }

    /** Index of the first sample taken at or after device offset {@code deviceOffsetNanos}. */
    long firstSampleAtOrAfter(long deviceOffsetNanos) {
        return Math.floorDiv(deviceOffsetNanos + intervalNanos - 1, intervalNanos);
    }

    /**
     * IMU sample {@code i} as sent: the wearer's motion at the true time the sample was taken, with
     * the noise of sample {@code i}.
     */
    public double[] sample(long sampleIndex) {
        return motion.sample(sampleIndex, elapsedAtDeviceOffset(sampleIndex * intervalNanos));
    }

    /**
     * IMU batch {@code k} (sequence number {@code k}). The batch length is at least one sample
     * interval, so no batch is empty. {@code t0_us} is the first sample's device time truncated to
     * the microsecond, so when {@code dt_ns} is not a whole number of microseconds the reported
     * times lie up to 1 us before the exact ones; they still increase strictly across batches.
     */
    public RigMessage imuBatch(long batchIndex) {
        long first = firstSampleAtOrAfter(batchIndex * batchNanos);
        long end = firstSampleAtOrAfter((batchIndex + 1) * batchNanos);
        int count = (int) (end - first);
        double[][] samples = new double[count][];
        for (int j = 0; j < count; j++) {
            samples[j] = sample(first + j);
        }
        long t0Micros = Math.floorDiv(deviceStartNanos + first * intervalNanos, 1000);
        byte[] payload = options.encoding().encodeImu(wire, batchIndex, boot, t0Micros, intervalNanos, samples);
        long firstNanos = t0Micros * 1000;
        return new RigMessage(
                MessageKind.IMU,
                batchIndex,
                imuTopic,
                payload,
                samples,
                firstNanos,
                firstNanos + (count - 1) * intervalNanos);
    }

    /**
     * Timecode report {@code k} of a run that started at wall-clock time {@code runStart}: the
     * {@link SimulatorOptions#timecodeFrames()} frames that began last at or before its moment.
     *
     * <p>The frames are consecutive in true time, each starting where the day's frame count puts it
     * (frame numbers before midnight count back from the day's frame 0), and their labels follow the
     * generator's counting ({@link DatedTimecode#plusFrames}), as the collector expands them. At
     * 29.97 and 59.94 the time-of-day count is not a whole number of frames a day, so a report that
     * spans wall-clock midnight pairs the previous day's labels with frame starts a fraction of a
     * frame off that day's own; the collector's fit weighs a few such frames once a day.
     */
    public RigMessage timecodeReport(long reportIndex, Instant runStart) {
        long elapsedNanos = timecodeDueNanos(reportIndex);
        FrameRate rate = options.timecodeRate();
        TimecodeFrame last =
                TimecodeFrame.beganAtOrBefore(runStart.plusNanos(elapsedNanos), rate, options.timecodeDropFrame());
        long lastStartElapsed = elapsedNanos - last.nanosSinceStart();
        int frames = options.timecodeFrames();
        SplittableRandom jitter = timecodeJitter(reportIndex);
        long firstDeviceMicros = 0;
        long[] nextMicros = frames == 1 ? null : new long[frames - 1];
        for (int j = 0; j < frames; j++) {
            long back = frames - 1 - j;
            long startElapsed = lastStartElapsed
                    - (TimecodeFrame.startNanos(last.frameOfDay(), rate)
                            - TimecodeFrame.startNanos(last.frameOfDay() - back, rate));
            long deviceMicros = Math.floorDiv(deviceNanosAt(startElapsed) + nextJitterNanos(jitter), 1000);
            if (j == 0) {
                firstDeviceMicros = deviceMicros;
            } else {
                nextMicros[j - 1] = deviceMicros;
            }
        }
        DatedTimecode first = new DatedTimecode(last.date(), last.timecode());
        if (frames > 1) {
            first = first.plusFrames(-(frames - 1));
        }
        TimecodeJson json = new TimecodeJson(
                PayloadDecoder.CONTRACT_VERSION,
                reportIndex,
                boot,
                first.timecode().toString(),
                rate.label(),
                options.timecodeDropFrame(),
                firstDeviceMicros,
                first.shootingDate().toString(),
                nextMicros);
        return RigMessage.report(
                MessageKind.TIMECODE,
                reportIndex,
                timecodeTopic,
                options.encoding().encode(wire, json));
    }

    /** Status report {@code k}: the battery drains 1 % in 10 minutes, the board warms up by 3 degrees. */
    public RigMessage status(long reportIndex) {
        long elapsedNanos = statusDueNanos(reportIndex);
        long deviceOffsetNanos = reportIndex * options.statusInterval().toNanos();
        double elapsedSeconds = elapsedNanos / 1e9;
        double batteryPct = Math.max(0, batteryStartPct - BATTERY_DRAIN_PCT_PER_S * elapsedSeconds);
        double temperatureC = temperatureStartC + 3 * (1 - Math.exp(-elapsedSeconds / 600));
        int rssi = rssiDbm + (int) Math.round(3 * Math.sin(elapsedSeconds / 7));
        StatusJson json = new StatusJson(
                PayloadDecoder.CONTRACT_VERSION,
                reportIndex,
                boot,
                (deviceStartNanos + deviceOffsetNanos) / 1000,
                Math.round(batteryPct * 10) / 10.0,
                Math.round((3.3 + 0.9 * batteryPct / 100) * 100) / 100.0,
                Math.round(temperatureC * 10) / 10.0,
                rssi,
                recording,
                (double) options.sampleRateHz(),
                MotionGenerator.ACCEL_RANGE_G,
                MotionGenerator.GYRO_RANGE_DPS,
                FIRMWARE);
        return RigMessage.report(
                MessageKind.STATUS, reportIndex, statusTopic, options.encoding().encode(wire, json));
    }

    /**
     * The time-of-day timecode frame that began last at or before a wall-clock instant.
     *
     * @param date the UTC date of the frame's start, sent beside the label because time-of-day
     *     timecode wraps at midnight
     * @param nanosSinceStart how long before the instant the frame began
     * @param frameOfDay the frame's number since UTC midnight, counted in real frames (not wrapped
     *     like the label at the last frames of a 29.97 or 59.94 drop-frame day)
     */
    public record TimecodeFrame(Timecode timecode, LocalDate date, long nanosSinceStart, long frameOfDay) {

        /**
         * When frame {@code fn} of the day begins, in nanoseconds after midnight (before it when
         * negative): {@code fn * den / num} seconds, floored.
         */
        public static long startNanos(long frameOfDay, FrameRate rate) {
            return Math.floorDiv(frameOfDay * rate.denominator() * 1_000_000_000L, rate.numerator());
        }

        /**
         * Frame {@code fn} of the day begins {@code fn * den / num} seconds after midnight (the exact
         * rational rate, DOMAIN.md section 1; floored to the nanosecond like
         * {@link Timecode#realTimeNanos()}). Products stay below 2^63: a day is 8.64e13 ns and
         * rates are at most 60000/1001.
         */
        public static TimecodeFrame beganAtOrBefore(Instant wall, FrameRate rate, boolean dropFrame) {
            long timeOfDayNanos = Math.floorMod(wall.getEpochSecond(), 86_400L) * 1_000_000_000L + wall.getNano();
            long frameNumber = timeOfDayNanos * rate.numerator() / (rate.denominator() * 1_000_000_000L);
            long frameStartNanos = startNanos(frameNumber, rate);
            LocalDate date = LocalDate.ofInstant(wall, ZoneOffset.UTC);
            return new TimecodeFrame(
                    Timecode.fromFrameNumber(frameNumber, rate, dropFrame),
                    date,
                    timeOfDayNanos - frameStartNanos,
                    frameNumber);
        }
    }
}
