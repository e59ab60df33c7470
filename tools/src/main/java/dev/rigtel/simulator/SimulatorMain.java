package dev.rigtel.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rigtel.collector.config.ConfigException;
import dev.rigtel.collector.config.ConfigSources;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.timecode.FrameRate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code simulate} command: parses options (command line, then {@code RIGTEL_*} environment,
 * then config file), runs a {@link Simulator} and prints its summary on stdout. Exit code 0 when
 * every message was sent and (QoS 1) acknowledged, 1 otherwise or when the run failed, 2 for bad
 * options.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        version = "rigtel simulate 0.1.0",
        sortOptions = false,
        usageHelpWidth = 120,
        description = {
            "Simulates head-mounted camera rigs: each publishes IMU batches, timecode and status reports to an"
                    + " MQTT broker or the rigtel collector (wire contract v1), in real time, then prints what was"
                    + " sent and acknowledged. With --day, a slate app also plays a scripted shooting day."
        },
        footer = {
            "",
            "Every option can also be set in the environment as RIGTEL_<OPTION> (upper case, '-' as '_', e.g."
                    + " RIGTEL_BROKER, RIGTEL_RIGS, RIGTEL_BATCH_MS) or as a key in the --config file (rigs=4;"
                    + " RIGTEL_CONFIG names the file). The command line wins over the environment, the environment"
                    + " over the file.",
            "Exit status: 0 all messages sent and acknowledged, 1 not all acknowledged or the run failed, 2 bad"
                    + " options."
        })
public final class SimulatorMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(SimulatorMain.class);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Java properties file of option defaults, keys named like the options without '--'.")
    private Path config;

    @Option(
            names = "--broker",
            paramLabel = "URI",
            defaultValue = "tcp://127.0.0.1:1883",
            description = "MQTT broker or collector, tcp://HOST:PORT or ssl://HOST:PORT (default: ${DEFAULT-VALUE}).")
    private String broker;

    @Option(
            names = "--rigs",
            paramLabel = "N",
            defaultValue = "13",
            description = "Number of rigs, 1..1000 (default: ${DEFAULT-VALUE}).")
    private int rigs;

    @Option(
            names = "--first-rig",
            paramLabel = "N",
            defaultValue = "1",
            description = "Number {n} of the first rig (default: ${DEFAULT-VALUE}).")
    private int firstRig;

    @Option(
            names = "--rate",
            paramLabel = "HZ",
            defaultValue = "1000",
            description = "IMU sample rate in Hz, 1..4000 (default: ${DEFAULT-VALUE} Hz).")
    private int rateHz;

    @Option(
            names = "--batch-ms",
            paramLabel = "MS",
            defaultValue = "50",
            description =
                    "Milliseconds of samples per IMU message, one sample interval..1000 (default: ${DEFAULT-VALUE} ms).")
    private long batchMillis;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Seconds of data to send; 0 runs until Ctrl-C/SIGTERM, then prints the summary; with --day"
                    + " at least until the day's script is over (default: ${DEFAULT-VALUE} s).")
    private long durationSeconds;

    @Option(
            names = "--qos",
            paramLabel = "0|1",
            defaultValue = "1",
            description = "MQTT QoS of every message, 0 or 1 (default: ${DEFAULT-VALUE}).")
    private int qos;

    @Option(
            names = "--username",
            paramLabel = "PATTERN",
            defaultValue = "rig-{n}",
            description = "MQTT username and rig id (used in the topic rigtel/v1/{rig}/imu); {n} is replaced by the"
                    + " zero-padded 2-digit rig number (default: ${DEFAULT-VALUE}, i.e. rig-01).")
    private String username;

    @Option(
            names = "--password",
            paramLabel = "PATTERN",
            defaultValue = "",
            description = "MQTT password, {n} replaced as in --username; empty sends no password (default: none).")
    private String password;

    @Option(
            names = "--encoding",
            paramLabel = "json|cbor",
            defaultValue = "json",
            converter = EncodingConverter.class,
            completionCandidates = EncodingLabels.class,
            description = "Payload encoding: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private PayloadEncoding encoding;

    @Option(
            names = "--profile",
            paramLabel = "PROFILE",
            defaultValue = "mixed",
            converter = ProfileConverter.class,
            completionCandidates = ProfileLabels.class,
            description = "Motion profile: ${COMPLETION-CANDIDATES}. 'mixed' gives each rig the others in turn, 10 s"
                    + " each, rigs offset from each other (default: ${DEFAULT-VALUE}).")
    private MotionProfile profile;

    @Option(
            names = "--seed",
            paramLabel = "LONG",
            defaultValue = "42",
            description = "Seed of the motion, device clocks (start, drift, jitter), batteries and the shooting day's"
                    + " script; same seed, same samples"
                    + " (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(
            names = "--inflight",
            paramLabel = "N",
            defaultValue = "16",
            description = "Most unacknowledged QoS 1 messages per rig (default: ${DEFAULT-VALUE}).")
    private int inflight;

    @Option(
            names = "--status-interval",
            paramLabel = "SECONDS",
            defaultValue = "5",
            description =
                    "Seconds between status reports, one is also sent at the start (default: ${DEFAULT-VALUE} s).")
    private long statusIntervalSeconds;

    @Option(
            names = "--tc-rate",
            paramLabel = "FPS",
            defaultValue = "25",
            converter = FrameRateConverter.class,
            completionCandidates = FrameRateLabels.class,
            description = "Timecode frame rate: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE} fps).")
    private FrameRate timecodeRate;

    @Option(
            names = "--tc-drop-frame",
            paramLabel = "true|false",
            defaultValue = "false",
            arity = "0..1",
            description = "Drop-frame timecode labels, only at 29.97 and 59.94 (default: ${DEFAULT-VALUE}).")
    private boolean timecodeDropFrame;

    @Option(
            names = "--tc-interval-ms",
            paramLabel = "MS",
            defaultValue = "1000",
            description = "Milliseconds between timecode reports, e.g. 40 for every frame at 25 fps"
                    + " (default: ${DEFAULT-VALUE} ms).")
    private long timecodeIntervalMillis;

    @Option(
            names = "--tc-frames",
            paramLabel = "N",
            defaultValue = "1",
            description = "Frames paired in each timecode report, 1..60: above 1 a batched report (tc and t_us the"
                    + " oldest frame, next_us the others), e.g. 5 at 25 fps with --tc-interval-ms 200. The N frames"
                    + " must last no longer than the interval; with N > 1 --clock-jitter-us is at most a twentieth"
                    + " of a frame (default: ${DEFAULT-VALUE}, one frame a report).")
    private int timecodeFrames;

    @Option(
            names = "--clock-drift-ppm",
            paramLabel = "PPM",
            defaultValue = "0",
            description = "Crystal drift of the rigs' device clocks against true time (timecode), 0..1000 ppm: each rig"
                    + " drifts by a seeded amount in [-PPM, +PPM], rig 1 by exactly +PPM. The summary lists each"
                    + " rig's clock_drift_ppm (default: ${DEFAULT-VALUE} ppm).")
    private double clockDriftPpm;

    @Option(
            names = "--clock-jitter-us",
            paramLabel = "US",
            defaultValue = "0",
            description =
                    "Gaussian jitter (standard deviation) of the device time t_us in each timecode report, seeded,"
                            + " 0..100000 us (default: ${DEFAULT-VALUE} us).")
    private double clockJitterMicros;

    @Option(
            names = "--slate-username",
            paramLabel = "USER",
            defaultValue = "",
            description = "MQTT user with role slate that publishes the shooting day's slate events on rigtel/v1/slate"
                    + " (client id slate-sim); needed by --day (default: none, no slate events).")
    private String slateUsername;

    @Option(
            names = "--slate-password",
            paramLabel = "PASSWORD",
            defaultValue = "",
            description = "Password of the slate user; empty sends no password (default: none).")
    private String slatePassword;

    @Option(
            names = "--day",
            paramLabel = "TAKES",
            defaultValue = "0",
            description = "Play a scripted shooting day of TAKES takes while the rigs publish, 0..999: wearers assigned"
                    + " to the rigs (again every 3rd take), then for each take a roll, a cut and a mark. The run"
                    + " lasts at least until 1 s after the last mark, also with --duration 0; 0 = no day"
                    + " (default: ${DEFAULT-VALUE} takes).")
    private int dayTakes;

    @Option(
            names = "--take-seconds",
            paramLabel = "SECONDS",
            defaultValue = "20",
            description = "Seconds from each roll to its cut (default: ${DEFAULT-VALUE} s).")
    private long takeSeconds;

    @Option(
            names = "--between-takes-seconds",
            paramLabel = "SECONDS",
            defaultValue = "5",
            description = "Seconds from a take's mark (0.5 s after its cut) to the next roll (default: ${DEFAULT-VALUE}"
                    + " s).")
    private long betweenTakesSeconds;

    @Option(
            names = "--day-missing-cut",
            paramLabel = "TAKE",
            defaultValue = "0",
            description = "Leave out the cut of take TAKE of the day (1-based, before the last), so that the next roll"
                    + " closes it; 0 = off (default: ${DEFAULT-VALUE}).")
    private int dayMissingCut;

    @Option(
            names = "--json",
            paramLabel = "true|false",
            defaultValue = "false",
            arity = "0..1",
            description = "Print the summary as JSON on stdout, and nothing else there (default: ${DEFAULT-VALUE};"
                    + " a readable table).")
    private boolean json;

    @Option(
            names = "--keep-alive",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "MQTT keep-alive in seconds, 0 = off (default: ${DEFAULT-VALUE} s).")
    private long keepAliveSeconds;

    @Option(
            names = "--connect-timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Seconds each rig's first connection may take (default: ${DEFAULT-VALUE} s).")
    private long connectTimeoutSeconds;

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv()));
    }

    /** Parses and runs; returns the exit code. */
    static int execute(String[] args, Map<String, String> env) {
        return commandLine(args, env, null, null);
    }

    static int commandLine(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new SimulatorMain());
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        try {
            ConfigSources sources = ConfigSources.from(args, env);
            cl.setDefaultValueProvider(sources);
            sources.checkFileKeys(cl.getCommandSpec());
        } catch (ConfigException e) {
            cl.getErr().println(e.getMessage());
            cl.getErr().flush();
            return cl.getCommandSpec().exitCodeOnInvalidInput();
        }
        return cl.execute(args);
    }

    /** The parsed options; bad combinations are reported as picocli parameter errors (exit 2). */
    SimulatorOptions options() {
        try {
            return SimulatorOptions.builder()
                    .brokerUri(broker)
                    .rigs(rigs)
                    .firstRig(firstRig)
                    .sampleRateHz(rateHz)
                    .batchLength(Duration.ofMillis(batchMillis))
                    .duration(Duration.ofSeconds(durationSeconds))
                    .qos(qos)
                    .usernamePattern(username)
                    .passwordPattern(password)
                    .encoding(encoding)
                    .profile(profile)
                    .seed(seed)
                    .maxInflight(inflight)
                    .statusInterval(Duration.ofSeconds(statusIntervalSeconds))
                    .timecodeRate(timecodeRate)
                    .timecodeDropFrame(timecodeDropFrame)
                    .timecodeInterval(Duration.ofMillis(timecodeIntervalMillis))
                    .timecodeFrames(timecodeFrames)
                    .clockDriftPpm(clockDriftPpm)
                    .clockJitterMicros(clockJitterMicros)
                    .slateUsername(slateUsername)
                    .slatePassword(slatePassword)
                    .dayTakes(dayTakes)
                    .takeLength(Duration.ofSeconds(takeSeconds))
                    .betweenTakes(Duration.ofSeconds(betweenTakesSeconds))
                    .dayMissingCut(dayMissingCut)
                    .keepAlive(Duration.ofSeconds(keepAliveSeconds))
                    .connectTimeout(Duration.ofSeconds(connectTimeoutSeconds))
                    .build();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws JsonProcessingException {
        SimulatorOptions options = options();
        Simulator simulator = new Simulator(options, Clock.systemUTC());
        AtomicInteger exitCode = new AtomicInteger(1);
        CountDownLatch printed = new CountDownLatch(1);
        // Ctrl-C / SIGTERM end generation; the run then drains and prints its summary. The hook waits
        // for that and halts with the run's own exit code (a plain exit would report the signal).
        Thread hook = new Thread(
                () -> {
                    simulator.stop();
                    try {
                        if (printed.await(options.ackTimeout().toSeconds() + 30, TimeUnit.SECONDS)) {
                            Runtime.getRuntime().halt(exitCode.get());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            SimulationSummary summary = simulator.run();
            print(summary);
            exitCode.set(summary.allAcknowledged() ? 0 : 1);
            return exitCode.get();
        } catch (SimulationException e) {
            log.error("{}", e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running and halts with exitCode.
            }
        }
    }

    private void print(SimulationSummary summary) throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(WireMapper.create()
                    .mapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(summary));
        } else {
            out.print(summary.toTable());
        }
        out.flush();
    }

    static final class ProfileConverter implements CommandLine.ITypeConverter<MotionProfile> {
        @Override
        public MotionProfile convert(String value) {
            return MotionProfile.fromLabel(value)
                    .orElseThrow(() -> new CommandLine.TypeConversionException(
                            "unknown profile '" + value + "', expected one of " + MotionProfile.labels()));
        }
    }

    static final class ProfileLabels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(MotionProfile.values())
                    .map(MotionProfile::label)
                    .iterator();
        }
    }

    static final class EncodingConverter implements CommandLine.ITypeConverter<PayloadEncoding> {
        @Override
        public PayloadEncoding convert(String value) {
            return PayloadEncoding.fromLabel(value)
                    .orElseThrow(() -> new CommandLine.TypeConversionException(
                            "unknown encoding '" + value + "', expected json, cbor or packed"));
        }
    }

    static final class EncodingLabels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(PayloadEncoding.values())
                    .map(PayloadEncoding::label)
                    .iterator();
        }
    }

    static final class FrameRateConverter implements CommandLine.ITypeConverter<FrameRate> {
        @Override
        public FrameRate convert(String value) {
            return FrameRate.fromLabel(value.trim())
                    .orElseThrow(() -> new CommandLine.TypeConversionException("unknown timecode rate '" + value
                            + "', expected one of " + String.join(", ", new FrameRateLabels())));
        }
    }

    static final class FrameRateLabels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(FrameRate.values()).map(FrameRate::label).iterator();
        }
    }
}
