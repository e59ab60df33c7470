package dev.rigtel.simulator;

import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.timecode.FrameRate;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a simulation run needs, validated on construction. Build one with {@link #builder()},
 * whose defaults are the command line's.
 *
 * @param brokerUri where to publish: {@code tcp://host:port} or {@code ssl://host:port}
 * @param rigs how many rigs to simulate, 1 to 1000
 * @param firstRig the number {@code n} of the first rig; rig ids are made from {@code n},
 *     {@code n+1}, ...
 * @param sampleRateHz IMU sample rate, 1 to 4000 Hz
 * @param batchLength samples of how much time go into one IMU message, one sample interval to 1 s
 * @param duration how long to generate data; zero runs until {@link Simulator#stop()}; a shooting
 *     day lengthens it to its script, see {@link #runDuration()}
 * @param qos 0 or 1, for every message
 * @param usernamePattern the MQTT username and rig id, {@code {n}} replaced by the zero-padded
 *     two-digit rig number
 * @param passwordPattern the password, same substitution; empty sends no password
 * @param profile what the wearers do
 * @param seed the motion, device clocks (start, drift, jitter), batteries and the shooting day's
 *     script are a function of this seed
 * @param maxInflight QoS 1 messages a rig may have unacknowledged
 * @param maxBacklogMessages messages a rig may hold generated but not yet published; when full,
 *     generation waits (nothing is dropped) and catches up later
 * @param statusInterval time between status reports (one is also sent at the start)
 * @param timecodeRate the rate of the timecode the rigs are jammed to
 * @param timecodeDropFrame drop-frame labels (29.97 and 59.94 only)
 * @param timecodeInterval time between timecode reports
 * @param timecodeFrames frames paired in each timecode report, 1 (one frame, no {@code next_us}) to
 *     {@value #MAX_TIMECODE_FRAMES} (a batched report, firmware-notes "Batched reports"); they must
 *     last no longer than {@code timecodeInterval}, so that no frame is reported twice
 * @param keepAlive MQTT keep-alive; zero turns it off
 * @param connectTimeout how long the first connection of each rig may take
 * @param ackTimeout how long to wait at the end for outstanding acknowledgements
 * @param progressInterval time between progress log lines
 * @param clockDriftPpm bound of the rigs' crystal drift in ppm: rig {@code n} drifts by a seeded
 *     amount in {@code [-x, +x]}, rig number 1 by exactly {@code +x}; 0 to 1000
 * @param clockJitterMicros standard deviation of the gaussian jitter added to the device time of
 *     every timecode report, in microseconds; 0 to 100000
 * @param slateUsername the MQTT user (role {@code slate}) that publishes the shooting day's slate
 *     events; empty for none
 * @param slatePassword its password; empty sends none
 * @param dayTakes takes of the scripted shooting day, 0 (no day) to 999; needs a slate user
 * @param takeLength time from each roll to its cut
 * @param betweenTakes time from a take's mark to the next roll
 * @param dayMissingCut the take (1-based) that gets no cut, so that the next roll closes it; 0 for
 *     none, otherwise less than {@code dayTakes}
 */
public record SimulatorOptions(
        String brokerUri,
        int rigs,
        int firstRig,
        int sampleRateHz,
        Duration batchLength,
        Duration duration,
        int qos,
        String usernamePattern,
        String passwordPattern,
        PayloadEncoding encoding,
        MotionProfile profile,
        long seed,
        int maxInflight,
        int maxBacklogMessages,
        Duration statusInterval,
        FrameRate timecodeRate,
        boolean timecodeDropFrame,
        Duration timecodeInterval,
        int timecodeFrames,
        Duration keepAlive,
        Duration connectTimeout,
        Duration ackTimeout,
        Duration progressInterval,
        double clockDriftPpm,
        double clockJitterMicros,
        String slateUsername,
        String slatePassword,
        int dayTakes,
        Duration takeLength,
        Duration betweenTakes,
        int dayMissingCut) {

    public static final int MAX_SAMPLE_RATE_HZ = 4000;
    public static final int MAX_RIGS = 1000;
    /** The collector's default {@code --max-batch-samples}. */
    public static final int MAX_BATCH_SAMPLES = 4000;

    public static final String RIG_NUMBER_PLACEHOLDER = "{n}";

    /** The contract's largest timecode report: {@code tc} and 59 {@code next_us} entries. */
    public static final int MAX_TIMECODE_FRAMES = 60;
    /**
     * With batched timecode reports the jitter may be at most this fraction of a frame: a step of
     * {@code next_us} must stay within 0.5 to 1.5 frames, and half a frame is then 7 standard
     * deviations of the difference of two jitters.
     */
    public static final double MAX_BATCHED_JITTER_FRAMES = 1.0 / 20;

    public static final double MAX_CLOCK_DRIFT_PPM = 1000;
    public static final double MAX_CLOCK_JITTER_MICROS = 100_000;
    /** The contract's largest take number. */
    public static final int MAX_DAY_TAKES = 999;

    public SimulatorOptions {
        Objects.requireNonNull(brokerUri, "brokerUri");
        Objects.requireNonNull(batchLength, "batchLength");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(usernamePattern, "usernamePattern");
        Objects.requireNonNull(passwordPattern, "passwordPattern");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(statusInterval, "statusInterval");
        Objects.requireNonNull(timecodeRate, "timecodeRate");
        Objects.requireNonNull(timecodeInterval, "timecodeInterval");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(slateUsername, "slateUsername");
        Objects.requireNonNull(slatePassword, "slatePassword");
        Objects.requireNonNull(takeLength, "takeLength");
        Objects.requireNonNull(betweenTakes, "betweenTakes");
        check(
                validBroker(brokerUri),
                "broker must look like tcp://host:1883 or ssl://host:8883, got '" + brokerUri + "'");
        check(rigs >= 1 && rigs <= MAX_RIGS, "rigs must be 1.." + MAX_RIGS + ", got " + rigs);
        check(firstRig >= 0 && firstRig <= 1_000_000, "first-rig must be 0..1000000, got " + firstRig);
        check(
                sampleRateHz >= 1 && sampleRateHz <= MAX_SAMPLE_RATE_HZ,
                "rate must be 1.." + MAX_SAMPLE_RATE_HZ + " Hz, got " + sampleRateHz);
        long intervalNanos = Math.round(1e9 / sampleRateHz);
        check(
                batchLength.compareTo(Duration.ofNanos(intervalNanos)) >= 0
                        && batchLength.compareTo(Duration.ofSeconds(1)) <= 0,
                "batch-ms must be from one sample interval (" + intervalNanos / 1e6 + " ms at " + sampleRateHz
                        + " Hz) to 1000 ms, got " + batchLength.toNanos() / 1e6 + " ms");
        check(!duration.isNegative(), "duration must not be negative");
        check(qos == 0 || qos == 1, "qos must be 0 or 1 (the collector offers no QoS 2), got " + qos);
        check(maxInflight >= 1 && maxInflight <= 10_000, "inflight must be 1..10000, got " + maxInflight);
        check(maxBacklogMessages >= 1, "the backlog must hold at least one message");
        check(statusInterval.toMillis() >= 1, "status-interval must be positive");
        check(timecodeInterval.toMillis() >= 1, "tc-interval-ms must be at least 1 ms");
        check(
                !timecodeDropFrame || timecodeRate.dropFrameAllowed(),
                "drop-frame timecode exists only at 29.97 and 59.94 fps, not at " + timecodeRate.label());
        check(
                timecodeFrames >= 1 && timecodeFrames <= MAX_TIMECODE_FRAMES,
                "tc-frames must be 1.." + MAX_TIMECODE_FRAMES + ", got " + timecodeFrames);
        check(
                framesFit(timecodeFrames, timecodeRate, timecodeInterval),
                "tc-frames " + timecodeFrames + " at " + timecodeRate.label() + " fps last "
                        + String.format(Locale.ROOT, "%.3f", timecodeFrames * timecodeRate.frameNanos() / 1e6)
                        + " ms, longer than tc-interval-ms " + timecodeInterval.toMillis()
                        + ": consecutive reports would repeat frames; lower --tc-frames or raise --tc-interval-ms");
        check(!keepAlive.isNegative() && keepAlive.toSeconds() <= 65_535, "keep-alive must be 0..65535 s");
        check(connectTimeout.toSeconds() >= 1, "connect-timeout must be at least 1 s");
        check(!ackTimeout.isNegative(), "ackTimeout must not be negative");
        check(progressInterval.toMillis() >= 1, "progressInterval must be positive");
        check(
                usernamePattern.contains(RIG_NUMBER_PLACEHOLDER) || rigs == 1,
                "username must contain {n} when there is more than one rig, got '" + usernamePattern + "'");
        for (int n = firstRig; n < firstRig + rigs; n++) {
            String problem = RigId.rigProblem(substitute(usernamePattern, n));
            check(
                    problem == null,
                    "username '" + usernamePattern + "' gives an invalid rig id for rig " + n + ": " + problem);
        }
        check(
                batchSamplesMax(batchLength, intervalNanos) <= MAX_BATCH_SAMPLES,
                "one batch would hold more than " + MAX_BATCH_SAMPLES + " samples");
        check(
                clockDriftPpm >= 0 && clockDriftPpm <= MAX_CLOCK_DRIFT_PPM,
                "clock-drift-ppm must be 0.." + (int) MAX_CLOCK_DRIFT_PPM + " ppm, got " + clockDriftPpm);
        check(
                clockJitterMicros >= 0 && clockJitterMicros <= MAX_CLOCK_JITTER_MICROS,
                "clock-jitter-us must be 0.." + (int) MAX_CLOCK_JITTER_MICROS + " us, got " + clockJitterMicros);
        check(
                timecodeFrames == 1
                        || clockJitterMicros * 1000 <= MAX_BATCHED_JITTER_FRAMES * timecodeRate.frameNanos(),
                "clock-jitter-us must be at most "
                        + Math.round(MAX_BATCHED_JITTER_FRAMES * timecodeRate.frameNanos() / 1000)
                        + " us (a twentieth of a frame at " + timecodeRate.label() + " fps) with tc-frames > 1, got "
                        + clockJitterMicros + ": the collector refuses a batched report whose frames are not 0.5 to"
                        + " 1.5 frames apart");
        check(
                dayTakes >= 0 && dayTakes <= MAX_DAY_TAKES,
                "day must be 0.." + MAX_DAY_TAKES + " takes, got " + dayTakes);
        check(
                dayTakes == 0 || !slateUsername.isEmpty(),
                "day needs --slate-username (an MQTT user with role slate) to publish its slate events");
        check(
                takeLength.toMillis() >= 1 && takeLength.toHours() <= 24,
                "take-seconds must be from 1 ms to 24 h, got " + takeLength);
        check(
                !betweenTakes.isNegative() && betweenTakes.toHours() <= 24,
                "between-takes-seconds must be from 0 to 24 h, got " + betweenTakes);
        check(
                dayMissingCut == 0 || (dayMissingCut >= 1 && dayMissingCut < dayTakes),
                "day-missing-cut must be 0 (off) or a take before the last, 1.." + (dayTakes - 1) + ", got "
                        + dayMissingCut);
    }

    /** The URI schemes Paho's MQTT 3 client connects to. */
    private static boolean validBroker(String uri) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme();
            return scheme != null
                    && List.of("tcp", "ssl", "ws", "wss").contains(scheme)
                    && parsed.getHost() != null
                    && (parsed.getPath() == null || parsed.getPath().isEmpty() || scheme.startsWith("ws"));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Whether {@code frames} frames last at most {@code interval}, exactly: {@code frames * den / num
     * s <= interval}. Products stay below 2^63 below a minute; a minute holds 60 frames at any rate.
     */
    private static boolean framesFit(int frames, FrameRate rate, Duration interval) {
        if (interval.compareTo(Duration.ofMinutes(1)) >= 0) {
            return true;
        }
        return frames * rate.denominator() * 1_000_000_000L <= interval.toNanos() * rate.numerator();
    }

    private static long batchSamplesMax(Duration batchLength, long intervalNanos) {
        return (batchLength.toNanos() + intervalNanos - 1) / intervalNanos;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** {@code pattern} with {@code {n}} replaced by the rig number, zero-padded to 2 digits. */
    public static String substitute(String pattern, int rigNumber) {
        return pattern.replace(RIG_NUMBER_PLACEHOLDER, String.format("%02d", rigNumber));
    }

    /** The nominal sample interval, {@code round(1e9 / rate)} as the contract's {@code dt_ns}. */
    public long sampleIntervalNanos() {
        return Math.round(1e9 / sampleRateHz);
    }

    /** The most samples one IMU message holds. */
    public int maxBatchSamples() {
        return (int) batchSamplesMax(batchLength, sampleIntervalNanos());
    }

    /** The rig id (and MQTT username and client id) of rig number {@code n}. */
    public RigId rigId(int rigNumber) {
        return new RigId(substitute(usernamePattern, rigNumber));
    }

    /** The password of rig number {@code n}; empty for none. */
    public String password(int rigNumber) {
        return substitute(passwordPattern, rigNumber);
    }

    /** Whether this run plays a scripted shooting day with slate events. */
    public boolean hasDay() {
        return dayTakes > 0;
    }

    /**
     * How long the rigs generate data: {@link #duration()}, or with a shooting day at least the
     * day's script (until one second after the last mark), also when the duration is zero.
     */
    public Duration runDuration() {
        if (!hasDay()) {
            return duration;
        }
        Duration day = ShootingDay.scriptLength(this);
        return duration.compareTo(day) >= 0 ? duration : day;
    }

    /** A builder holding the command line's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link SimulatorOptions}; every setter's default is named in its javadoc. */
    public static final class Builder {
        private String brokerUri = "tcp://127.0.0.1:1883";
        private int rigs = 13;
        private int firstRig = 1;
        private int sampleRateHz = 1000;
        private Duration batchLength = Duration.ofMillis(50);
        private Duration duration = Duration.ofSeconds(10);
        private int qos = 1;
        private String usernamePattern = "rig-{n}";
        private String passwordPattern = "";
        private PayloadEncoding encoding = PayloadEncoding.JSON;
        private MotionProfile profile = MotionProfile.MIXED;
        private long seed = 42;
        private int maxInflight = 16;
        private int maxBacklogMessages = 2000;
        private Duration statusInterval = Duration.ofSeconds(5);
        private FrameRate timecodeRate = FrameRate.FPS_25;
        private boolean timecodeDropFrame;
        private Duration timecodeInterval = Duration.ofMillis(1000);
        private int timecodeFrames = 1;
        private Duration keepAlive = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration ackTimeout = Duration.ofSeconds(30);
        private Duration progressInterval = Duration.ofSeconds(10);
        private double clockDriftPpm;
        private double clockJitterMicros;
        private String slateUsername = "";
        private String slatePassword = "";
        private int dayTakes;
        private Duration takeLength = Duration.ofSeconds(20);
        private Duration betweenTakes = Duration.ofSeconds(5);
        private int dayMissingCut;

        private Builder() {}

        /** Default {@code tcp://127.0.0.1:1883}. */
        public Builder brokerUri(String value) {
            this.brokerUri = value;
            return this;
        }

        /** Default 13. */
        public Builder rigs(int value) {
            this.rigs = value;
            return this;
        }

        /** Default 1. */
        public Builder firstRig(int value) {
            this.firstRig = value;
            return this;
        }

        /** Default 1000 Hz. */
        public Builder sampleRateHz(int value) {
            this.sampleRateHz = value;
            return this;
        }

        /** Default 50 ms. */
        public Builder batchLength(Duration value) {
            this.batchLength = value;
            return this;
        }

        /** Default 10 s; zero runs until stopped. */
        public Builder duration(Duration value) {
            this.duration = value;
            return this;
        }

        /** Default 1. */
        public Builder qos(int value) {
            this.qos = value;
            return this;
        }

        /** Default {@code rig-{n}}. */
        public Builder usernamePattern(String value) {
            this.usernamePattern = value;
            return this;
        }

        /** Default empty (no password). */
        public Builder passwordPattern(String value) {
            this.passwordPattern = value;
            return this;
        }

        /** Default JSON. */
        public Builder encoding(PayloadEncoding value) {
            this.encoding = value;
            return this;
        }

        /** Default {@code mixed}. */
        public Builder profile(MotionProfile value) {
            this.profile = value;
            return this;
        }

        /** Default 42. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Default 16. */
        public Builder maxInflight(int value) {
            this.maxInflight = value;
            return this;
        }

        /** Default 2000 messages per rig. */
        public Builder maxBacklogMessages(int value) {
            this.maxBacklogMessages = value;
            return this;
        }

        /** Default 5 s. */
        public Builder statusInterval(Duration value) {
            this.statusInterval = value;
            return this;
        }

        /** Default 25 fps. */
        public Builder timecodeRate(FrameRate value) {
            this.timecodeRate = value;
            return this;
        }

        /** Default false. */
        public Builder timecodeDropFrame(boolean value) {
            this.timecodeDropFrame = value;
            return this;
        }

        /** Default 1 s. */
        public Builder timecodeInterval(Duration value) {
            this.timecodeInterval = value;
            return this;
        }

        /** Default 1: one frame a report, no {@code next_us}. */
        public Builder timecodeFrames(int value) {
            this.timecodeFrames = value;
            return this;
        }

        /** Default 30 s. */
        public Builder keepAlive(Duration value) {
            this.keepAlive = value;
            return this;
        }

        /** Default 10 s. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /** Default 30 s. */
        public Builder ackTimeout(Duration value) {
            this.ackTimeout = value;
            return this;
        }

        /** Default 10 s. */
        public Builder progressInterval(Duration value) {
            this.progressInterval = value;
            return this;
        }

        /** Default 0 ppm: every device clock runs at true time. */
        public Builder clockDriftPpm(double value) {
            this.clockDriftPpm = value;
            return this;
        }

        /** Default 0 us. */
        public Builder clockJitterMicros(double value) {
            this.clockJitterMicros = value;
            return this;
        }

        /** Default empty: no slate events. */
        public Builder slateUsername(String value) {
            this.slateUsername = value;
            return this;
        }

        /** Default empty (no password). */
        public Builder slatePassword(String value) {
            this.slatePassword = value;
            return this;
        }

        /** Default 0: no shooting day. */
        public Builder dayTakes(int value) {
            this.dayTakes = value;
            return this;
        }

        /** Default 20 s. */
        public Builder takeLength(Duration value) {
            this.takeLength = value;
            return this;
        }

        /** Default 5 s. */
        public Builder betweenTakes(Duration value) {
            this.betweenTakes = value;
            return this;
        }

        /** Default 0: every take gets its cut. */
        public Builder dayMissingCut(int value) {
            this.dayMissingCut = value;
            return this;
        }

        /** Validates and builds; throws {@link IllegalArgumentException} naming the bad option. */
        public SimulatorOptions build() {
            return new SimulatorOptions(
                    brokerUri,
                    rigs,
                    firstRig,
                    sampleRateHz,
                    batchLength,
                    duration,
                    qos,
                    usernamePattern,
                    passwordPattern,
                    encoding,
                    profile,
                    seed,
                    maxInflight,
                    maxBacklogMessages,
                    statusInterval,
                    timecodeRate,
                    timecodeDropFrame,
                    timecodeInterval,
                    timecodeFrames,
                    keepAlive,
                    connectTimeout,
                    ackTimeout,
                    progressInterval,
                    clockDriftPpm,
                    clockJitterMicros,
                    slateUsername,
                    slatePassword,
                    dayTakes,
                    takeLength,
                    betweenTakes,
                    dayMissingCut);
        }
    }
}
