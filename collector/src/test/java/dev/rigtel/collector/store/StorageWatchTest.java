package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.testing.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk used so far, the forecast to the shoot's last day, and when a disk is too small. */
class StorageWatchTest {

    private static final LocalDate FIRST = LocalDate.of(2026, 2, 2);
    private static final long GB = 1_000_000_000L;

    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-02-11T12:00:00Z")); // day 10

    private StorageWatch watch(Path influxDir, Duration rawRetention, Optional<LocalDate> first) {
        return new StorageWatch(
                null,
                new StorageWatch.Plan(first, 120, influxDir),
                rawRetention,
                dir,
                100,
                () -> 7L,
                () -> Optional.of(FIRST),
                ZoneOffset.UTC,
                clock);
    }

    @Test
    void keptDataGrowsByItsDailyMeanUntilTheLastDay() {
        StorageWatch watch = watch(null, Duration.ZERO, Optional.of(FIRST));
        // Day 10 of 120: 10 GB so far, 4 of them raw and kept for good.
        assertThat(watch.forecast(10 * GB, 4 * GB, 10)).isEqualTo(120 * GB);
        assertThat(watch.forecast(-1, -1, 10)).isEqualTo(-1);
    }

    @Test
    void rawSamplesWithARetentionLevelOffAtThatManyDays() {
        StorageWatch watch = watch(null, Duration.ofDays(30), Optional.of(FIRST));
        // Day 10: 6 GB kept for good grows to 72 GB; 4 GB raw is 0.4 GB a day, 30 days' worth at most.
        assertThat(watch.forecast(10 * GB, 4 * GB, 10)).isEqualTo(72 * GB + 12 * GB);
        // Day 60: the raw policy already holds its 30 days.
        assertThat(watch.forecast(60 * GB, 12 * GB, 60)).isEqualTo(96 * GB + 12 * GB);
    }

    @Test
    void aDiskThatWouldFillBeforeTheLastDayWarnsAndOneThatFillsWithinDaysIsCritical() {
        assertThat(StorageWatch.levelOf(500 * GB, 100 * GB, GB)).isEqualTo(StorageWatch.Level.OK);
        assertThat(StorageWatch.levelOf(50 * GB, 100 * GB, GB)).isEqualTo(StorageWatch.Level.WARNING);
        assertThat(StorageWatch.levelOf(3 * GB, 100 * GB, 2 * GB)).isEqualTo(StorageWatch.Level.CRITICAL);
        assertThat(StorageWatch.levelOf(GB / 2, 0, 0)).isEqualTo(StorageWatch.Level.CRITICAL);
    }

    @Test
    void aLocalInfluxDbIsMeasuredInItsFoldersByRetentionPolicy() throws IOException {
        Path influx = dir.resolve("influxdb");
        write(influx.resolve("data/rigtel/raw/3/000000001-000000001.tsm"), 6000);
        write(influx.resolve("wal/rigtel/raw/3/_00001.wal"), 1000);
        write(influx.resolve("data/rigtel/autogen/2/000000001-000000001.tsm"), 2500);
        write(influx.resolve("data/other/autogen/5/000000001-000000001.tsm"), 99_999);
        try (InfluxStore store =
                new InfluxStore(InfluxOptions.of("http://127.0.0.1:1", "rigtel", false, Duration.ofSeconds(1)))) {
            StorageWatch watch = new StorageWatch(
                    store,
                    new StorageWatch.Plan(Optional.empty(), 120, influx),
                    Duration.ZERO,
                    dir,
                    100,
                    () -> 7L,
                    () -> Optional.of(FIRST),
                    ZoneOffset.UTC,
                    clock);

            StorageWatch.Reading r = watch.sample();

            assertThat(r.influxBytes()).isEqualTo(9500);
            assertThat(r.rawBytes()).isEqualTo(7000);
            assertThat(r.firstDay()).isEqualTo(FIRST);
            assertThat(r.shootDay()).isEqualTo(10);
            assertThat(r.forecastBytes()).isEqualTo(9500 * 12);
            assertThat(r.influxFreeBytes()).isPositive();
            assertThat(r.spoolBytes()).isEqualTo(7);
            assertThat(r.message()).contains("day 10 of 120");
            assertThat(watch.last()).isSameAs(r);
        }
    }

    @Test
    void withoutAWayToAskInfluxDbItsUseIsUnknownNotZero() {
        StorageWatch.Reading r = watch(null, Duration.ZERO, Optional.empty()).sample();

        assertThat(r.influxBytes()).isEqualTo(-1);
        assertThat(r.forecastBytes()).isEqualTo(-1);
        assertThat(r.influxFreeBytes()).isEqualTo(-1);
        assertThat(r.message()).contains("not known");
    }

    private static void write(Path file, int bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[bytes]);
    }
}
