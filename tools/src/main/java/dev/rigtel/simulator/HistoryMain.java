package dev.rigtel.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rigtel.collector.config.DurationConverter;
import dev.rigtel.collector.store.InfluxOptions;
import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.store.SinkException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./rigtel history}: writes a synthetic shoot of many days straight into InfluxDB ({@link
 * ShootHistory}), then prints what it wrote. Exit code 0 when everything was written, 1 when a write
 * failed, 2 for bad options.
 */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        version = "rigtel history 0.1.0",
        sortOptions = false,
        usageHelpWidth = 120,
        description = {
            "Writes a synthetic production into InfluxDB in the collector's schema: every day wearers assigned,"
                    + " takes rolled, cut and marked, with per-second rollups, motion events and take summaries;"
                    + " raw samples for a few takes of the last days. Start a collector on it afterwards to review"
                    + " any day of a long shoot."
        },
        footer = {"", "Exit status: 0 written, 1 a write failed, 2 bad options."})
public final class HistoryMain implements Callable<Integer> {

    @Option(names = "--days", defaultValue = "120", description = "Shooting days. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(
            names = "--takes-per-day",
            defaultValue = "300",
            description = "Takes a day, between 08:00 and 20:00. Default: ${DEFAULT-VALUE}.")
    int takesPerDay;

    @Option(names = "--rigs", defaultValue = "13", description = "Rigs rig-01.. worn. Default: ${DEFAULT-VALUE}.")
    int rigs;

    @Option(
            names = "--take-length",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Mean take length (each 0.5 to 1.5 times it). Default: ${DEFAULT-VALUE}.")
    Duration takeLength;

    @Option(
            names = "--raw-days",
            defaultValue = "2",
            description = "Last days with raw samples for some takes. Default: ${DEFAULT-VALUE}.")
    int rawDays;

    @Option(
            names = "--raw-takes-per-day",
            defaultValue = "5",
            description = "Takes with raw samples on each of those days. Default: ${DEFAULT-VALUE}.")
    int rawTakesPerDay;

    @Option(
            names = "--rate",
            defaultValue = "1000",
            description = "IMU rate of the raw samples, Hz. Default: ${DEFAULT-VALUE}.")
    int rateHz;

    @Option(
            names = "--first-day",
            description = "First shooting day, YYYY-MM-DD. Default: so that the last one is yesterday.")
    LocalDate firstDay;

    @Option(
            names = "--timezone",
            defaultValue = "",
            description = "Zone of the shoot's timecode (the collector's --timezone). Default: this machine's.")
    String timezone;

    @Option(names = "--seed", defaultValue = "1", description = "Same seed, same shoot. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--influx-url",
            defaultValue = "http://127.0.0.1:8086",
            description = "InfluxDB base URL (v1 HTTP API). Default: ${DEFAULT-VALUE}.")
    String influxUrl;

    @Option(names = "--influx-db", defaultValue = "rigtel", description = "Database. Default: ${DEFAULT-VALUE}.")
    String influxDb;

    @Option(
            names = "--influx-rp",
            defaultValue = "",
            description = "Retention policy of all but raw samples (the collector's). Default: empty.")
    String influxRp;

    @Option(
            names = "--influx-raw-rp",
            defaultValue = InfluxOptions.DEFAULT_RAW_RETENTION_POLICY,
            description = "Retention policy of raw samples (the collector's). Default: ${DEFAULT-VALUE}.")
    String influxRawRp;

    @Option(
            names = "--influx-token",
            defaultValue = "",
            description = "InfluxDB 2.x/3.x token (prefer RIGTEL_INFLUX_TOKEN). Default: empty.")
    String influxToken;

    @Option(
            names = "--write-concurrency",
            defaultValue = "2",
            description = "Writes in flight at once, 1-16. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--json", description = "Print what was written as JSON.")
    boolean json;

    private final Clock clock;

    public HistoryMain(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(run(Clock.systemDefaultZone(), args));
    }

    /** Runs the command; returns its exit code. */
    public static int run(Clock clock, String... args) {
        return new CommandLine(new HistoryMain(clock)).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        CommandLine.Model.CommandSpec spec = new CommandLine(this).getCommandSpec();
        ZoneId zone = timezone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(timezone.trim());
        LocalDate first = firstDay != null
                ? firstDay
                : LocalDate.ofInstant(clock.instant(), zone).minusDays(days);
        ShootHistory.Options options;
        try {
            if (concurrency < 1 || concurrency > 16) {
                throw new IllegalArgumentException("--write-concurrency must be 1..16");
            }
            options = new ShootHistory.Options(
                    days, takesPerDay, rigs, takeLength, rawDays, rawTakesPerDay, rateHz, first, zone, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String token = influxToken.isEmpty() ? System.getenv().getOrDefault("RIGTEL_INFLUX_TOKEN", "") : influxToken;
        ShootHistory.Result result;
        try (InfluxStore influx = new InfluxStore(new InfluxOptions(
                influxUrl,
                influxDb,
                influxRp,
                influxRawRp,
                Duration.ZERO,
                "",
                "",
                token,
                InfluxOptions.gzipFor("auto", influxUrl),
                Duration.ofSeconds(60)))) {
            influx.createDatabase();
            influx.createRetentionPolicies();
            result = ShootHistory.write(options, influx, concurrency);
        } catch (SinkException e) {
            System.err.println("history: InfluxDB refused a write (" + e.reason() + "): " + e.getMessage());
            return 1;
        }
        PrintWriter out = new PrintWriter(System.out, true);
        if (json) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("first_day", first.toString());
            answer.put("last_day", first.plusDays(days - 1).toString());
            answer.put("days", result.days());
            answer.put("takes", result.takes());
            answer.put("points", result.points());
            answer.put("points_by_measurement", result.pointsByMeasurement());
            answer.put("seconds", result.elapsed().toMillis() / 1000.0);
            answer.put("take_ids", result.takeIds());
            answer.put("exposures", result.exposures());
            out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(answer));
        } else {
            double seconds = Math.max(0.001, result.elapsed().toMillis() / 1000.0);
            out.printf(
                    "wrote %d days (%s to %s), %d takes, %d points in %.1f s (%.0f points/s) to %s db %s%n",
                    result.days(),
                    first,
                    first.plusDays(days - 1),
                    result.takes(),
                    result.points(),
                    seconds,
                    result.points() / seconds,
                    influxUrl,
                    influxDb);
            result.pointsByMeasurement().forEach((m, n) -> out.printf("  %-14s %,12d points%n", m, n));
        }
        return 0;
    }
}
