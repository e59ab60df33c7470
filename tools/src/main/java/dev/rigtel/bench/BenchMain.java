package dev.rigtel.bench;

import dev.rigtel.bench.BenchOptions.Part;
import dev.rigtel.simulator.PayloadEncoding;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rigtel bench}: the load harness. Starts InfluxDB, collectors and Mosquitto as processes of
 * their own, drives them from this process and prints the figures as a table on stdout (progress
 * goes to stderr). A benchmark, not a test: exit 0 when every part ran, whether or not its target is
 * met; 1 when a part failed; 2 for bad options.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        version = "rigtel bench 0.1.0",
        sortOptions = false,
        usageHelpWidth = 110,
        description = {
            "Measures the collector as separate processes on this machine and prints a table of figures against"
                    + " their targets:",
            "  throughput   samples/s stored in InfluxDB through MQTT and the collector, against InfluxDB fed the"
                    + " same points straight over HTTP (the ceiling)",
            "  intake       QoS 1 messages/s the collector acknowledges with storage off (--store discard),"
                    + " against Mosquitto given the same publishes",
            "  latency      publish -> PUBACK, -> a live subscriber, -> queryable in InfluxDB, at the nominal load"
                    + " and --load-factor times it, and whether anything is lost",
            "  connections  heap and RSS of the collector per idle rig connection",
            "  resources    collector CPU, wake-ups and heap over a steady nominal day (10 min by default)",
            "  gopro        (only with --only) reading the telemetry of a sparse 4 GB, 12-minute GoPro clip: wall"
                    + " time, bytes read, heap, samples decoded/s",
            "  spool        bytes per IMU sample in the spool and the hours of a 13-rig x 1 kHz outage the default"
                    + " quota holds (no collector, no InfluxDB)",
            "  studio       (only with --only) rigs on an external Mosquitto: end to end with 1 collector (consumer"
                    + " mode) and 1 and 2 collectors of a group (cluster mode); SIGKILL of one: failover time, lost, duplicated",
            ""
        },
        footer = {
            "",
            "Needs influxd and mosquitto (Debian: apt-get install -y influxdb mosquitto). Logs and data go to a"
                    + " temporary directory, removed at the end unless --keep or a part failed.",
            "Example: ./rigtel bench --only latency,resources --duration 60 --resources-duration 120"
        })
public final class BenchMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(BenchMain.class);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--only",
            paramLabel = "PART",
            split = ",",
            description = "Run only these parts: throughput, intake, latency, connections, resources, history, storage,"
                    + " gopro, spool, studio (default: all but history and storage, which take minutes of their own,"
                    + " gopro and studio).")
    private List<String> only;

    @Option(
            names = "--rigs",
            paramLabel = "N",
            defaultValue = "13",
            description =
                    "Rigs of the nominal load; also the connections of throughput and intake (default: ${DEFAULT-VALUE}).")
    private int rigs;

    @Option(
            names = "--rate",
            paramLabel = "HZ",
            defaultValue = "1000",
            description = "IMU samples per second of each rig (default: ${DEFAULT-VALUE}).")
    private int rateHz;

    @Option(
            names = "--batch-ms",
            paramLabel = "MS",
            defaultValue = "20",
            description = "Milliseconds of samples per IMU batch (default: ${DEFAULT-VALUE}).")
    private int batchMillis;

    @Option(
            names = "--load-factor",
            paramLabel = "X",
            defaultValue = "10",
            description = "The heavy latency run has X times --rigs rigs (default: ${DEFAULT-VALUE}); 1 skips it.")
    private int loadFactor;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "Length of each timed run: intake (each broker), latency (each load); resources has"
                    + " --resources-duration (default: ${DEFAULT-VALUE}).")
    private int durationSeconds;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "1300000",
            description = "Samples of the throughput part, through the collector and straight to InfluxDB"
                    + " (default: ${DEFAULT-VALUE}).")
    private long samples;

    @Option(
            names = "--connections",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Idle rig connections of the connections part (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(
            names = "--window",
            paramLabel = "N",
            defaultValue = "16",
            description = "Unacknowledged QoS 1 messages per connection (default: ${DEFAULT-VALUE}).")
    private int window;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "1",
            description = "Event loop threads of the load generator (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(
            names = "--encoding",
            paramLabel = "json|cbor|packed",
            defaultValue = "json",
            description = "Payload encoding (default: ${DEFAULT-VALUE}).")
    private String encoding;

    @Option(
            names = "--ceiling-writers",
            paramLabel = "N",
            defaultValue = "0",
            description = "Concurrent HTTP writers of the ceiling; 0 takes the best of 1, 2 and 4 writers, each"
                    + " with plain and gzip bodies, on a third of the points each (default: ${DEFAULT-VALUE}).")
    private int ceilingWriters;

    @Option(
            names = "--write-batch-points",
            paramLabel = "N",
            defaultValue = "5000",
            description = "Points per InfluxDB write, the collector's and the ceiling's (default: ${DEFAULT-VALUE}).")
    private int writeBatchPoints;

    @Option(
            names = "--keep-alive",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "MQTT keep-alive of the idle connections (default: ${DEFAULT-VALUE}).")
    private int keepAliveSeconds;

    @Option(
            names = "--hold",
            paramLabel = "SECONDS",
            defaultValue = "40",
            description =
                    "How long the idle connections stay open before they are measured (default: ${DEFAULT-VALUE}).")
    private int holdSeconds;

    @Option(
            names = "--warmup",
            paramLabel = "SECONDS",
            defaultValue = "15",
            description = "Load before throughput, intake and latency are measured, for the collector's JIT (the"
                    + " throughput warm-up comes from other rigs); latencies of that time are reported apart"
                    + " (default: ${DEFAULT-VALUE}).")
    private int warmupSeconds;

    @Option(
            names = "--settle",
            paramLabel = "SECONDS",
            defaultValue = "120",
            description = "Nominal load before resources are measured: at a low rate the JIT is still compiling"
                    + " after a minute (default: ${DEFAULT-VALUE}).")
    private int settleSeconds;

    @Option(
            names = "--resources-duration",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "How long resources measures the nominal day (IMU, timecode every frame, status, slate"
                    + " events) after --settle: a steady state, not a burst (default: ${DEFAULT-VALUE}).")
    private int resourcesSeconds;

    @Option(
            names = "--timecode-frames",
            paramLabel = "N",
            defaultValue = "5",
            description = "Timecode frames a report in the resources part: every frame is reported, N to a"
                    + " message (1: a message a frame; 5: a batched report every 200 ms, as firmware-notes"
                    + " recommends) (default: ${DEFAULT-VALUE}).")
    private int timecodeFrames;

    @Option(
            names = "--watch-rigs",
            paramLabel = "N",
            defaultValue = "13",
            description = "Rigs whose batches the latency runs follow to the live subscriber and into InfluxDB"
                    + " (default: ${DEFAULT-VALUE}).")
    private int watchRigs;

    @Option(
            names = "--collector-java-opts",
            paramLabel = "OPTS",
            defaultValue = "",
            description = "JVM options of the collector processes, e.g. '-Xmx512m' (default: none).")
    private String collectorJavaOpts;

    @Option(
            names = "--collector-args",
            paramLabel = "ARGS",
            defaultValue = "",
            description = "Extra options of every collector, e.g. '--spool-fsync none' (default: none).")
    private String collectorArgs;

    @Option(
            names = "--jfr",
            description =
                    "Record a JFR profile of each collector (settings=profile) into the work directory; implies --keep.")
    private boolean jfr;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Where logs, data and profiles go (default: a new temporary directory).")
    private Path workDir;

    @Option(
            names = "--history-days",
            paramLabel = "N",
            defaultValue = "120",
            description =
                    "history: days of the synthetic shoot (a tenth of it is measured too) (default: ${DEFAULT-VALUE}).")
    private int historyDays;

    @Option(
            names = "--history-takes",
            paramLabel = "N",
            defaultValue = "300",
            description = "history: takes a day (default: ${DEFAULT-VALUE}).")
    private int historyTakes;

    @Option(
            names = "--history-rigs",
            paramLabel = "N",
            defaultValue = "13",
            description = "history: rigs (default: ${DEFAULT-VALUE}).")
    private int historyRigs;

    @Option(
            names = "--storage-rig-hours",
            paramLabel = "H",
            defaultValue = "2",
            description = "storage: rig-hours of raw 1 kHz samples written and measured (default: ${DEFAULT-VALUE}).")
    private double storageRigHours;

    @Option(
            names = "--storage-day-hours",
            paramLabel = "H",
            defaultValue = "10",
            description =
                    "storage: hours a rig streams on a shooting day, for the per-day figure (default: ${DEFAULT-VALUE}).")
    private double storageDayHours;

    @Option(names = "--keep", description = "Keep the work directory afterwards.")
    private boolean keep;

    @Option(
            names = "--jar",
            paramLabel = "FILE",
            description = "The collector jar (default: the one this runs from; ./rigtel passes it).")
    private Path jar;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "The repository, for scripts/influxd-local.sh (default: ./rigtel passes it).")
    private Path root;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        BenchOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path work = options.workDir() != null ? options.workDir() : Files.createTempDirectory("rigtel-bench-");
        Files.createDirectories(work);
        Services services = new Services(options.root(), options.jar(), work);
        BenchReport report = new BenchReport();
        Thread hook = new Thread(
                () -> {
                    log.info("stopping everything the bench started; logs and data stay in {}", work);
                    services.close();
                },
                "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean failed = false;
        try {
            log.info("work directory {}", work);
            new Bench(options, services, report).run();
        } catch (Exception e) {
            failed = true;
            log.error("the bench failed: {}", e.toString(), e);
        } finally {
            services.close();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        out.println();
        out.println(machine(options));
        out.println();
        report.print(out);
        if (failed || options.keep() || options.jfr()) {
            out.println();
            out.println("logs, data and profiles: " + work);
        } else if (options.workDir() == null) {
            deleteTree(work);
        }
        out.flush();
        return failed ? 1 : 0;
    }

    BenchOptions options() {
        Set<Part> parts = Part.defaults();
        if (only != null && !only.isEmpty()) {
            parts = EnumSet.noneOf(Part.class);
            for (String label : only) {
                parts.add(Part.fromLabel(label));
            }
        }
        PayloadEncoding payloadEncoding = PayloadEncoding.fromLabel(encoding)
                .orElseThrow(() -> new IllegalArgumentException("--encoding must be json, cbor or packed"));
        Path jarFile = jar != null ? jar : defaultJar();
        Path repo = root != null ? root : Path.of(System.getProperty("rigtel.root", "."));
        if (!Files.isRegularFile(repo.resolve("scripts/influxd-local.sh"))) {
            throw new IllegalArgumentException("no scripts/influxd-local.sh under " + repo.toAbsolutePath()
                    + ": run it as ./rigtel bench, or give --root");
        }
        List<String> jvmOptions = collectorJavaOpts.isBlank()
                ? List.of()
                : Arrays.asList(collectorJavaOpts.trim().split("\\s+"));
        return new BenchOptions(
                parts,
                rigs,
                rateHz,
                batchMillis,
                loadFactor,
                durationSeconds,
                samples,
                connections,
                window,
                threads,
                payloadEncoding,
                ceilingWriters,
                writeBatchPoints,
                keepAliveSeconds,
                holdSeconds,
                warmupSeconds,
                settleSeconds,
                resourcesSeconds,
                timecodeFrames,
                watchRigs,
                jvmOptions,
                collectorArgs.isBlank()
                        ? List.of()
                        : Arrays.asList(collectorArgs.trim().split("\\s+")),
                jfr,
                repo.toAbsolutePath(),
                jarFile.toAbsolutePath(),
                workDir,
                keep,
                new BenchOptions.Shoot(historyDays, historyTakes, historyRigs, storageRigHours, storageDayHours));
    }

    private static Path defaultJar() {
        String property = System.getProperty("rigtel.jar");
        if (property != null) {
            return Path.of(property);
        }
        try {
            return Path.of(BenchMain.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (java.net.URISyntaxException | SecurityException e) {
            throw new IllegalArgumentException("cannot tell where the collector jar is: give --jar");
        }
    }

    /** One paragraph on the machine and the options, printed above the table. */
    private static String machine(BenchOptions o) {
        String cpu = "?";
        String memory = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("?");
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(
                            Locale.ROOT, "%.0f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .findFirst()
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            // Not Linux, or an unusual /proc: the table is still worth printing.
        }
        return String.format(
                Locale.ROOT,
                "machine: %d cores (%s), %s, %s %s, Java %s; open files %d%n"
                        + "options: --rigs %d --rate %d --batch-ms %d --load-factor %d --duration %d --samples %d"
                        + " --connections %d --window %d --threads %d --encoding %s --ceiling-writers %d"
                        + " --write-batch-points %d --warmup %d --settle %d --resources-duration %d"
                        + " --timecode-frames %d%s",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                memory,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"),
                Bench.openFileLimit(),
                o.rigs(),
                o.rateHz(),
                o.batchMillis(),
                o.loadFactor(),
                o.durationSeconds(),
                o.samples(),
                o.connections(),
                o.window(),
                o.threads(),
                o.encoding().label(),
                o.ceilingWriters(),
                o.writeBatchPoints(),
                o.warmupSeconds(),
                o.settleSeconds(),
                o.resourcesSeconds(),
                o.timecodeFrames(),
                o.collectorArgs().isEmpty() ? "" : " --collector-args '" + String.join(" ", o.collectorArgs()) + "'");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
