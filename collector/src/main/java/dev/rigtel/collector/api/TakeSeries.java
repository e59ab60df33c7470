package dev.rigtel.collector.api;

import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.store.Influxql;
import dev.rigtel.collector.store.Schema;
import dev.rigtel.collector.takes.Take;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.influxdb.dto.QueryResult;

/**
 * {@code GET /api/takes/{id}/series}: one rig's motion in a take at the finest resolution that fits
 * in {@code max_points}: the raw samples if there are few enough, else the 1 s rollups ({@code
 * imu_1s}), else InfluxDB's {@code GROUP BY time(...)} aggregates of the rollups over buckets of
 * whole seconds. Columns, not rows: parallel arrays under {@code t_ns}, for plotting. Where the raw
 * samples are no longer kept ({@code --raw-retention}), the rollups answer; {@code raw_kept} says so.
 */
final class TakeSeries {

    static final int DEFAULT_MAX_POINTS = 2000;
    static final int MIN_MAX_POINTS = 10;
    static final int MAX_MAX_POINTS = 20_000;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int CHUNK_ROWS = 10_000;

    private TakeSeries() {}

    /**
     * @throws ApiException 400 for bad parameters, 404 if the rig has neither samples nor rollups in the take
     */
    static Map<String, Object> answer(InfluxStore influx, Take take, ApiRequest request, long takeEndNanos) {
        int maxPoints = maxPoints(request);
        SampleWindow window = SampleWindow.of(request, take, takeEndNanos);
        // Rollups are stamped with the start of their second: the one the window starts in overlaps it.
        long fromSecond = Math.floorDiv(window.fromNanos(), NANOS_PER_SECOND) * NANOS_PER_SECOND;
        String rollupWhere = "rig = " + Influxql.literal(window.rig()) + " AND time >= " + fromSecond + " AND time < "
                + window.toNanos();
        long takeStartSecond = Math.floorDiv(take.startNanos(), NANOS_PER_SECOND) * NANOS_PER_SECOND;
        List<QueryResult.Result> counts = influx.query("SELECT count(ax) FROM " + influx.from(Schema.IMU) + " WHERE "
                + window.wholeTake() + "; SELECT count(ax) FROM " + influx.from(Schema.IMU) + " WHERE " + window.where()
                + "; SELECT count(acc_peak_g) FROM " + influx.from(Schema.IMU_1S) + " WHERE " + rollupWhere
                + "; SELECT count(acc_peak_g) FROM " + influx.from(Schema.IMU_1S) + " WHERE rig = "
                + Influxql.literal(window.rig()) + " AND time >= " + takeStartSecond + " AND time < " + takeEndNanos);
        boolean raw = count(counts, 0) > 0;
        if (!raw && count(counts, 3) == 0) {
            throw ApiException.notFound("rig " + window.rig() + " has no samples in take " + take.name());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("take_id", take.id());
        out.put("rig", window.rig());
        // Raw samples may be gone (--raw-retention) while the rollups stay for the whole shoot.
        out.put("raw_kept", raw);
        if (raw && count(counts, 1) <= maxPoints) {
            raw(influx, window, out);
        } else if (count(counts, 2) <= maxPoints) {
            rollups(influx, window, rollupWhere, out);
        } else {
            buckets(influx, window, fromSecond, maxPoints, out);
        }
        return out;
    }

    private static int maxPoints(ApiRequest request) {
        String value = request.param("max_points").orElse(Integer.toString(DEFAULT_MAX_POINTS));
        int maxPoints;
        try {
            maxPoints = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            maxPoints = -1;
        }
        if (maxPoints < MIN_MAX_POINTS || maxPoints > MAX_MAX_POINTS) {
            throw ApiException.badRequest("max_points must be an integer " + MIN_MAX_POINTS + ".." + MAX_MAX_POINTS
                    + ", got '" + value + "'");
        }
        return maxPoints;
    }

    private static void header(Map<String, Object> out, SampleWindow window, String resolution, Long bucketMs) {
        out.put("resolution", resolution);
        out.put("bucket_ms", bucketMs);
        out.put("from_ns", window.fromNanos());
        out.put("to_ns", window.toNanos());
    }

    /** The raw samples, read in chunks: their times come as exact RFC 3339 text that way. */
    private static void raw(InfluxStore influx, SampleWindow window, Map<String, Object> out) {
        Columns columns = new Columns(7);
        influx.queryChunked(
                "SELECT ax, ay, az, gx, gy, gz FROM " + influx.from(Schema.IMU) + " WHERE " + window.where(),
                CHUNK_ROWS,
                series -> {
                    for (List<Object> row : series.getValues()) {
                        double ax = number(row.get(1));
                        double ay = number(row.get(2));
                        double az = number(row.get(3));
                        columns.add(
                                time(row.get(0)),
                                Math.sqrt(ax * ax + ay * ay + az * az) / RigMotion.G0,
                                ax,
                                ay,
                                az,
                                number(row.get(4)),
                                number(row.get(5)),
                                number(row.get(6)));
                    }
                });
        header(out, window, "raw", null);
        columns.put(out, "accel_g", "ax_mps2", "ay_mps2", "az_mps2", "gx_dps", "gy_dps", "gz_dps");
    }

    private static void rollups(InfluxStore influx, SampleWindow window, String where, Map<String, Object> out) {
        Columns columns = new Columns(4);
        read(
                influx,
                "SELECT acc_peak_g, acc_rms_g, gyro_peak_dps, gyro_rms_dps FROM " + influx.from(Schema.IMU_1S)
                        + " WHERE " + where,
                NANOS_PER_SECOND,
                columns);
        header(out, window, "rollup", 1000L);
        columns.put(out, "accel_peak_g", "accel_rms_g", "gyro_peak_dps", "gyro_rms_dps");
    }

    /**
     * Buckets of the smallest whole number of seconds that makes at most {@code maxPoints} of them
     * over the window (InfluxDB aligns them to multiples of their length since the epoch): per
     * bucket the largest peak and the mean of the seconds' RMS.
     */
    private static void buckets(
            InfluxStore influx, SampleWindow window, long fromSecond, int maxPoints, Map<String, Object> out) {
        long span = window.toNanos() - fromSecond;
        long seconds = Math.max(1, (span + maxPoints * NANOS_PER_SECOND - 1) / (maxPoints * NANOS_PER_SECOND));
        while (buckets(fromSecond, window.toNanos(), seconds * NANOS_PER_SECOND) > maxPoints) {
            seconds++;
        }
        Columns columns = new Columns(4);
        read(
                influx,
                "SELECT max(acc_peak_g), mean(acc_rms_g), max(gyro_peak_dps), mean(gyro_rms_dps) FROM "
                        + influx.from(Schema.IMU_1S) + " WHERE rig = " + Influxql.literal(window.rig())
                        + " AND time >= "
                        + fromSecond + " AND time < " + window.toNanos() + " GROUP BY time(" + seconds
                        + "s) fill(none)",
                seconds * NANOS_PER_SECOND,
                columns);
        header(out, window, "bucket", seconds * 1000);
        columns.put(out, "accel_peak_g", "accel_rms_g", "gyro_peak_dps", "gyro_rms_dps");
    }

    /** Buckets of {@code length} ns, aligned to the epoch, that [from, to) touches. */
    static long buckets(long fromNanos, long toNanos, long length) {
        return Math.floorDiv(toNanos - 1, length) - Math.floorDiv(fromNanos, length) + 1;
    }

    /**
     * Reads rows of time and four figures. Their times are multiples of {@code step} (whole seconds),
     * which a JSON double holds exactly; rounding to the step only guards that.
     */
    private static void read(InfluxStore influx, String query, long step, Columns columns) {
        for (QueryResult.Result result : influx.query(query)) {
            if (result.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series series : result.getSeries()) {
                for (List<Object> row : series.getValues()) {
                    if (row.get(1) == null) {
                        continue;
                    }
                    long t = Math.round(number(row.get(0)) / step) * step;
                    columns.add(t, number(row.get(1)), number(row.get(2)), number(row.get(3)), number(row.get(4)));
                }
            }
        }
    }

    private static long count(List<QueryResult.Result> results, int statement) {
        if (statement >= results.size() || results.get(statement).getSeries() == null) {
            return 0;
        }
        List<List<Object>> values = results.get(statement).getSeries().get(0).getValues();
        return values.isEmpty() ? 0 : (long) number(values.get(0).get(1));
    }

    static long time(Object value) {
        if (value instanceof String text) {
            Instant t = Instant.parse(text);
            return t.getEpochSecond() * NANOS_PER_SECOND + t.getNano();
        }
        return ((Number) value).longValue();
    }

    private static double number(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    /** Growing parallel arrays: a time and {@code width} figures per row. */
    private static final class Columns {
        private long[] times = new long[256];
        private double[][] values;
        private int rows;

        Columns(int width) {
            values = new double[width][256];
        }

        void add(long time, double... figures) {
            if (rows == times.length) {
                times = java.util.Arrays.copyOf(times, rows * 2);
                for (int i = 0; i < values.length; i++) {
                    values[i] = java.util.Arrays.copyOf(values[i], rows * 2);
                }
            }
            times[rows] = time;
            for (int i = 0; i < values.length; i++) {
                values[i][rows] = figures[i];
            }
            rows++;
        }

        void put(Map<String, Object> out, String... names) {
            out.put("t_ns", java.util.Arrays.copyOf(times, rows));
            for (int i = 0; i < names.length; i++) {
                out.put(names[i], java.util.Arrays.copyOf(values[i], rows));
            }
        }
    }
}
