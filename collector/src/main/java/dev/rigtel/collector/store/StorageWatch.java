package dev.rigtel.collector.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disk used by the shoot so far, the forecast to its last day, and whether InfluxDB's disk or the
 * spool's would fill first.
 *
 * <p>What InfluxDB holds comes from its own count ({@code SHOW STATS}: each shard's TSM and WAL
 * bytes, by retention policy; InfluxDB 1.x), or from its data folder when the collector is told
 * where it is ({@code --influx-data-dir}, a local InfluxDB of any version, which also gives the free
 * space of its disk). The forecast assumes the rest of the shoot grows as the days so far did: the
 * bytes of everything kept for good grow by their daily mean; raw samples kept for {@code
 * --raw-retention} level off at that many days' worth.
 *
 * <p>Blocking (a query, a walk of a folder): call {@link #sample} from a scheduler thread, about once
 * a minute.
 */
public final class StorageWatch {

    private static final Logger log = LoggerFactory.getLogger(StorageWatch.class);

    /** Free space below which a disk is critical whatever the forecast: the spool's next hours. */
    static final long CRITICAL_FREE_BYTES = 1L << 30;

    /** A disk that fills within this many days is critical. */
    static final int CRITICAL_DAYS = 2;

    /**
     * The shoot the forecast is for.
     *
     * @param firstDay the first shooting day; empty: the date of the first slate event stored
     * @param days how many days the shoot runs (the reference production: 120)
     * @param influxDataDir where a local InfluxDB keeps its files; null when it is elsewhere
     */
    public record Plan(Optional<LocalDate> firstDay, int days, Path influxDataDir) {
        public Plan {
            Objects.requireNonNull(firstDay, "firstDay");
            if (days < 1 || days > 3650) {
                throw new IllegalArgumentException("--shoot-days must be 1..3650, not " + days);
            }
        }
    }

    /** How close a disk is to full. */
    public enum Level {
        OK,
        /** It would fill before the shoot's last day. */
        WARNING,
        /** It fills within {@link #CRITICAL_DAYS} days, or has less than 1 GiB left. */
        CRITICAL
    }

    /**
     * One look at the disks.
     *
     * @param influxBytes what InfluxDB holds of this database, -1 if it cannot tell
     * @param rawBytes of which raw samples (their retention policy), -1 if unknown
     * @param influxFreeBytes free space on InfluxDB's disk, -1 if unknown (not local)
     * @param spoolBytes the collector's spool on disk
     * @param spoolFreeBytes free space on the spool's disk
     * @param shootDay today's day of the shoot, 1 on its first day
     * @param forecastBytes what InfluxDB will hold on the shoot's last day, -1 if unknown
     * @param level the worse of both disks
     * @param message for people: what fills, and when
     */
    public record Reading(
            Instant at,
            long influxBytes,
            long rawBytes,
            long influxFreeBytes,
            long spoolBytes,
            long spoolFreeBytes,
            LocalDate firstDay,
            int shootDay,
            int shootDays,
            long forecastBytes,
            Level level,
            String message) {}

    private final InfluxStore influx;
    private final Plan plan;
    private final Duration rawRetention;
    private final Path spoolDir;
    private final Supplier<Long> spoolBytes;
    private final Supplier<Optional<LocalDate>> firstSlateDay;
    private final ZoneId zone;
    private final Clock clock;
    private final long spoolQuotaBytes;
    private volatile Reading last;

    /**
     * @param influx null with {@code --store discard}
     * @param firstSlateDay the date of the first slate event stored (blocking), when the plan has no
     *     first day
     */
    public StorageWatch(
            InfluxStore influx,
            Plan plan,
            Duration rawRetention,
            Path spoolDir,
            long spoolQuotaBytes,
            Supplier<Long> spoolBytes,
            Supplier<Optional<LocalDate>> firstSlateDay,
            ZoneId zone,
            Clock clock) {
        this.influx = influx;
        this.plan = plan;
        this.rawRetention = rawRetention;
        this.spoolDir = spoolDir;
        this.spoolQuotaBytes = spoolQuotaBytes;
        this.spoolBytes = spoolBytes;
        this.firstSlateDay = firstSlateDay;
        this.zone = zone;
        this.clock = clock;
    }

    /** The last reading, null before the first {@link #sample}. */
    public Reading last() {
        return last;
    }

    /** Looks at the disks now. Never throws: what it cannot read is unknown (-1). */
    public Reading sample() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        LocalDate first = plan.firstDay().orElseGet(() -> firstDay(today));
        int shootDay = (int) Math.max(1, ChronoUnit.DAYS.between(first, today) + 1);
        long[] influxBytes = influxBytes();
        long influxFree = plan.influxDataDir() == null ? -1 : usable(plan.influxDataDir());
        long spoolFree = usable(spoolDir);
        long forecast = forecast(influxBytes[0], influxBytes[1], shootDay);
        Level level = Level.OK;
        StringBuilder message = new StringBuilder();
        if (influxBytes[0] < 0) {
            message.append("InfluxDB's use is not known (SHOW STATS not served; give --influx-data-dir)");
        } else {
            message.append(String.format(
                    java.util.Locale.ROOT,
                    "InfluxDB holds %s on day %d of %d, %s by the last day",
                    bytes(influxBytes[0]),
                    Math.min(shootDay, plan.days()),
                    plan.days(),
                    bytes(forecast)));
        }
        long growth = forecast < 0 || influxBytes[0] < 0 ? 0 : Math.max(0, forecast - influxBytes[0]);
        int daysLeft = Math.max(0, plan.days() - shootDay);
        long perDay = daysLeft == 0 ? 0 : growth / daysLeft;
        if (influxFree >= 0) {
            Level disk = levelOf(influxFree, growth, perDay);
            if (disk != Level.OK) {
                message.append("; InfluxDB's disk has ")
                        .append(bytes(influxFree))
                        .append(" free")
                        .append(
                                disk == Level.CRITICAL
                                        ? " and fills within days"
                                        : ", too little for the rest of the shoot");
            }
            level = worse(level, disk);
        }
        // The spool needs room for its quota (an outage's worth of points); on InfluxDB's disk, for
        // InfluxDB's growth as well.
        boolean shared = influxFree >= 0 && sameDisk(spoolDir, plan.influxDataDir());
        long spoolNeeds = spoolQuotaBytes + (shared ? growth : 0);
        Level spool =
                spoolFree < CRITICAL_FREE_BYTES ? Level.CRITICAL : spoolFree < spoolNeeds ? Level.WARNING : Level.OK;
        if (spool != Level.OK) {
            message.append("; the spool's disk has ")
                    .append(bytes(spoolFree))
                    .append(" free")
                    .append(
                            spool == Level.CRITICAL
                                    ? ": nearly full"
                                    : ", less than its quota and what InfluxDB still needs");
        }
        level = worse(level, spool);
        Reading reading = new Reading(
                clock.instant(),
                influxBytes[0],
                influxBytes[1],
                influxFree,
                spoolBytes.get(),
                spoolFree,
                first,
                shootDay,
                plan.days(),
                forecast,
                level,
                message.toString());
        last = reading;
        return reading;
    }

    /** A disk's level with {@code free} bytes, {@code growth} more to come by the last day, {@code perDay} a day. */
    static Level levelOf(long free, long growth, long perDay) {
        if (free < CRITICAL_FREE_BYTES || (perDay > 0 && free < perDay * CRITICAL_DAYS)) {
            return Level.CRITICAL;
        }
        return free < growth ? Level.WARNING : Level.OK;
    }

    private static Level worse(Level a, Level b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * InfluxDB's bytes on the last day: what is kept for good grows by its mean per day so far; raw
     * samples with a retention level off at that many days' worth.
     */
    long forecast(long total, long raw, int shootDay) {
        if (total < 0) {
            return -1;
        }
        int elapsed = Math.min(shootDay, plan.days());
        long rawBytes = Math.max(0, raw);
        long kept = total - rawBytes;
        long keptAtEnd = kept * plan.days() / elapsed;
        long rawAtEnd;
        if (rawRetention.isZero()) {
            rawAtEnd = rawBytes * plan.days() / elapsed;
        } else {
            long retentionDays = Math.max(1, rawRetention.toDays());
            long rawPerDay = rawBytes / Math.min(elapsed, retentionDays);
            rawAtEnd = rawPerDay * Math.min(retentionDays, plan.days());
        }
        return keptAtEnd + rawAtEnd;
    }

    /** {total, raw}; -1 where unknown. */
    private long[] influxBytes() {
        if (plan.influxDataDir() != null) {
            long[] local = localBytes(plan.influxDataDir());
            if (local != null) {
                return local;
            }
        }
        if (influx == null) {
            return new long[] {-1, -1};
        }
        try {
            long total = 0;
            long raw = 0;
            boolean any = false;
            for (QueryResult.Result result : influx.query("SHOW STATS FOR 'shard'")) {
                if (result.getSeries() == null) {
                    continue;
                }
                for (QueryResult.Series series : result.getSeries()) {
                    Map<String, String> tags = series.getTags();
                    if (tags == null || !influx.options().database().equals(tags.get("database"))) {
                        continue;
                    }
                    int column = series.getColumns().indexOf("diskBytes");
                    if (column < 0 || series.getValues().isEmpty()) {
                        continue;
                    }
                    long bytes = ((Number) series.getValues().get(0).get(column)).longValue();
                    total += bytes;
                    if (influx.options().rawRetentionPolicy().equals(tags.get("retentionPolicy"))) {
                        raw += bytes;
                    }
                    any = true;
                }
            }
            return any ? new long[] {total, raw} : new long[] {0, 0};
        } catch (RuntimeException e) {
            log.debug("SHOW STATS not answered: {}", e.getMessage());
            return new long[] {-1, -1};
        }
    }

    /**
     * A local InfluxDB's bytes from its folders: 1.x keeps each database in {@code data/<db>/<rp>}
     * and {@code wal/<db>/<rp>}; another layout counts whole (raw unknown). Null if unreadable.
     */
    private long[] localBytes(Path dir) {
        String database = influx == null ? null : influx.options().database();
        Path data = database == null ? null : dir.resolve("data").resolve(database);
        if (data != null && Files.isDirectory(data)) {
            Path wal = dir.resolve("wal").resolve(database);
            String rawPolicy = influx.options().rawRetentionPolicy();
            long[] sizes = {size(data), size(wal), size(data.resolve(rawPolicy)), size(wal.resolve(rawPolicy))};
            for (long size : sizes) {
                if (size < 0) {
                    return null;
                }
            }
            return new long[] {sizes[0] + sizes[1], sizes[2] + sizes[3]};
        }
        if (database != null && Files.isDirectory(dir.resolve("data")) && Files.isDirectory(dir.resolve("wal"))) {
            return new long[] {0, 0}; // a 1.x layout without the database yet: nothing written
        }
        long all = size(dir);
        return all < 0 ? null : new long[] {all, -1};
    }

    private LocalDate firstDay(LocalDate today) {
        try {
            return firstSlateDay.get().orElse(today);
        } catch (RuntimeException e) {
            return today;
        }
    }

    /** Bytes of the files under {@code dir}: 0 if there is none, -1 if it cannot be read. */
    private static long size(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0; // compacted away while we looked
                        }
                    })
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static long usable(Path dir) {
        try {
            return Files.getFileStore(existing(dir)).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean sameDisk(Path a, Path b) {
        try {
            FileStore x = Files.getFileStore(existing(a));
            FileStore y = Files.getFileStore(existing(b));
            return x.equals(y);
        } catch (IOException e) {
            return false;
        }
    }

    private static Path existing(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? dir : p;
    }

    /** E.g. {@code 12.3 GB}. */
    static String bytes(long bytes) {
        if (bytes < 0) {
            return "unknown";
        }
        List<String> units = List.of("B", "kB", "MB", "GB", "TB", "PB");
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < units.size() - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0
                ? bytes + " B"
                : String.format(
                        java.util.Locale.ROOT,
                        value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s",
                        value,
                        units.get(unit));
    }
}
