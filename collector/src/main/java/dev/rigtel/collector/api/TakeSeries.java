package dev.rigtel.collector.api;

import dev.rigtel.collector.imports.ImportService;
import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.takes.Take;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/takes/{id}/series}: one rig's motion in a take at the finest resolution that fits
 * in {@code max_points}: the raw samples if there are few enough, else the 1 s rollups ({@code
 * imu_1s}), else the store's aggregates of the rollups over buckets of whole seconds. Columns, not rows: parallel arrays under {@code t_ns}, for plotting. Where the raw
 * samples are no longer kept ({@code --raw-retention}), the rollups answer; {@code raw_kept} says so.
 */
final class TakeSeries {

    static final int DEFAULT_MAX_POINTS = 2000;
    static final int MIN_MAX_POINTS = 10;
    static final int MAX_MAX_POINTS = 20_000;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private TakeSeries() {}

    /**
     * @throws ApiException 400 for bad parameters, 404 if the rig has neither samples nor rollups in the take
     */
    static Map<String, Object> answer(StoreReads store, Take take, ApiRequest request, long takeEndNanos) {
        int maxPoints = maxPoints(request);
        SampleWindow window = SampleWindow.of(request, take, takeEndNanos);
        String rig = window.rig();
        String source = source(request);
        // Rollups are stamped with the start of their second: the one the window starts in overlaps it.
        long fromSecond = Math.floorDiv(window.fromNanos(), NANOS_PER_SECOND) * NANOS_PER_SECOND;
        long takeStartSecond = Math.floorDiv(take.startNanos(), NANOS_PER_SECOND) * NANOS_PER_SECOND;
        boolean raw = store.imuExists(rig, source, take.startNanos(), takeEndNanos);
        if (!raw && !store.rollupsExist(rig, source, takeStartSecond, takeEndNanos)) {
            throw ApiException.notFound("rig " + rig + (source == null ? "" : " (source " + source + ")")
                    + " has no samples in take " + take.name());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("take_id", take.id());
        out.put("rig", rig);
        if (source != null) {
            out.put("source", source);
        }
        // Raw samples may be gone (--raw-retention) while the rollups stay for the whole shoot.
        out.put("raw_kept", raw);
        if (raw && store.imuCount(rig, source, window.fromNanos(), window.toNanos()) <= maxPoints) {
            raw(store, window, source, out);
        } else if (store.rollupCount(rig, source, fromSecond, window.toNanos()) <= maxPoints) {
            header(out, window, "rollup", 1000L);
            columns(store.rollups(rig, source, fromSecond, window.toNanos()), out);
        } else {
            buckets(store, window, source, fromSecond, maxPoints, out);
        }
        return out;
    }

    /**
     * {@code source=}: {@code rig} (the rig's own points), {@code gopro} (imported from its camera), or
     * absent for both, as before the parameter existed.
     */
    private static String source(ApiRequest request) {
        String source = request.param("source").orElse(null);
        if (source == null || source.isEmpty()) {
            return null;
        }
        if (!source.equals(StoreReads.RIG_SOURCE) && !source.equals(ImportService.SOURCE)) {
            throw ApiException.badRequest("source must be rig or " + ImportService.SOURCE + ", got '" + source + "'");
        }
        return source;
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

    /** The raw samples, streamed: their times are exact. */
    private static void raw(StoreReads store, SampleWindow window, String source, Map<String, Object> out) {
        Columns columns = new Columns(7);
        store.imuSamples(
                window.rig(),
                source,
                window.fromNanos(),
                window.toNanos(),
                (rig, timeNanos, ax, ay, az, gx, gy, gz) -> columns.add(
                        timeNanos, Math.sqrt(ax * ax + ay * ay + az * az) / RigMotion.G0, ax, ay, az, gx, gy, gz));
        header(out, window, "raw", null);
        columns.put(out, "accel_g", "ax_mps2", "ay_mps2", "az_mps2", "gx_dps", "gy_dps", "gz_dps");
    }

    private static void columns(List<StoreReads.Rollup> rollups, Map<String, Object> out) {
        Columns columns = new Columns(4);
        for (StoreReads.Rollup r : rollups) {
            columns.add(r.timeNanos(), r.accelPeakG(), r.accelRmsG(), r.gyroPeakDps(), r.gyroRmsDps());
        }
        columns.put(out, "accel_peak_g", "accel_rms_g", "gyro_peak_dps", "gyro_rms_dps");
    }

    /**
     * Buckets of the smallest whole number of seconds that makes at most {@code maxPoints} of them
     * over the window (the store aligns them to multiples of their length since the epoch): per
     * bucket the largest peak and the mean of the seconds' RMS.
     */
    private static void buckets(
            StoreReads store,
            SampleWindow window,
            String source,
            long fromSecond,
            int maxPoints,
            Map<String, Object> out) {
        long span = window.toNanos() - fromSecond;
        long seconds = Math.max(1, (span + maxPoints * NANOS_PER_SECOND - 1) / (maxPoints * NANOS_PER_SECOND));
        while (buckets(fromSecond, window.toNanos(), seconds * NANOS_PER_SECOND) > maxPoints) {
            seconds++;
        }
        List<StoreReads.Rollup> rows =
                store.rollupBuckets(window.rig(), source, fromSecond, window.toNanos(), seconds * NANOS_PER_SECOND);
        header(out, window, "bucket", seconds * 1000);
        columns(rows, out);
    }

    /** Buckets of {@code length} ns, aligned to the epoch, that [from, to) touches. */
    static long buckets(long fromNanos, long toNanos, long length) {
        return Math.floorDiv(toNanos - 1, length) - Math.floorDiv(fromNanos, length) + 1;
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
