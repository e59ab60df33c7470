package dev.rigtel.importer;

import dev.rigtel.gopro.clip.ClipTelemetry;
import dev.rigtel.gopro.clip.ClipTimecode;
import dev.rigtel.gopro.clip.SensorStream;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A clip's camera IMU as the collector stores it: one sample per time of the faster of {@code ACCL}
 * and {@code GYRO} (the other interpolated linearly at that time, held at its ends), on the
 * production timeline (the clip's {@code tmcd} label on the shooting date, in the collector's zone),
 * in the collector's units: accel m/s^2 (gravity included), gyro deg/s (GPMF gives rad/s). Values
 * are rounded to 1e-4 m/s^2 and 1e-3 deg/s (far below the sensors' resolution), so requests stay
 * small and a re-import sends the very same numbers.
 *
 * @param firstFrameNanos production time of the clip's first video frame (UTC ns)
 * @param utcNanos each sample's production time
 * @param accelMps2 three per sample
 * @param gyroDps three per sample
 * @param accelFullScaleG where the accelerometer clips (8 g if the file does not say)
 * @param gyroFullScaleDps where the gyroscope clips (2000 deg/s if the file does not say)
 */
public record ClipSamples(
        long firstFrameNanos,
        long[] utcNanos,
        double[] accelMps2,
        double[] gyroDps,
        double accelFullScaleG,
        double gyroFullScaleDps) {

    static final double G0 = 9.80665;
    static final double DEFAULT_ACCEL_FULL_SCALE_G = 8;
    static final double DEFAULT_GYRO_FULL_SCALE_DPS = 2000;

    public int samples() {
        return utcNanos.length;
    }

    /**
     * @throws IllegalArgumentException if the clip has no {@code ACCL} and {@code GYRO} of three axes,
     *     or no timecode
     */
    public static ClipSamples of(ClipTelemetry clip, LocalDate shootingDay, ZoneId zone) {
        ClipTimecode timecode = clip.timecode()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no timecode track: the clip cannot be placed on the production timeline"));
        long midnight = shootingDay.atStartOfDay(zone).toEpochSecond() * 1_000_000_000L;
        return build(clip, t -> midnight + timecode.timeOfDayNanosAt(t));
    }

    /**
     * The clip placed by an alignment rather than its timecode: its first frame at {@code
     * firstFrameNanos} (UTC), each sample at its time from the first frame after it.
     *
     * @throws IllegalArgumentException if the clip has no {@code ACCL} and {@code GYRO} of three axes
     */
    public static ClipSamples aligned(ClipTelemetry clip, long firstFrameNanos) {
        return build(clip, t -> firstFrameNanos + t);
    }

    /** The clip's production time of the clip's first frame, by its timecode on the day in the zone. */
    static long timecodeFirstFrameNanos(ClipTimecode timecode, LocalDate shootingDay, ZoneId zone) {
        return shootingDay.atStartOfDay(zone).toEpochSecond() * 1_000_000_000L + timecode.timeOfDayNanosAt(0);
    }

    private static ClipSamples build(ClipTelemetry clip, java.util.function.LongUnaryOperator utcAt) {
        SensorStream accel = clip.stream("ACCL")
                .filter(s -> s.axes() == 3 && s.samples() > 0)
                .orElseThrow(() -> new IllegalArgumentException("no ACCL stream"));
        SensorStream gyro = clip.stream("GYRO")
                .filter(s -> s.axes() == 3 && s.samples() > 0)
                .orElseThrow(() -> new IllegalArgumentException("no GYRO stream"));
        SensorStream base = gyro.rateHz() > accel.rateHz() ? gyro : accel;
        int n = base.samples();
        long[] utc = new long[n];
        double[] a = new double[3 * n];
        double[] g = new double[3 * n];
        long previous = Long.MIN_VALUE;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            long t = base.sampleNanos()[i];
            long at = utcAt.applyAsLong(t);
            if (at <= previous) {
                continue; // a repeated time (payload boundary): the collector needs them increasing
            }
            previous = at;
            utc[kept] = at;
            for (int axis = 0; axis < 3; axis++) {
                a[3 * kept + axis] = round(interpolate(accel, t, axis), 1e4);
                g[3 * kept + axis] = round(Math.toDegrees(interpolate(gyro, t, axis)), 1e3);
            }
            kept++;
        }
        return new ClipSamples(
                utcAt.applyAsLong(0),
                java.util.Arrays.copyOf(utc, kept),
                java.util.Arrays.copyOf(a, 3 * kept),
                java.util.Arrays.copyOf(g, 3 * kept),
                Double.isFinite(accel.fullScale()) ? accel.fullScale() / G0 : DEFAULT_ACCEL_FULL_SCALE_G,
                Double.isFinite(gyro.fullScale()) ? Math.toDegrees(gyro.fullScale()) : DEFAULT_GYRO_FULL_SCALE_DPS);
    }

    /** The stream's value of {@code axis} at {@code t} (ns from the first frame), linear, held at its ends. */
    static double interpolate(SensorStream s, long t, int axis) {
        long[] times = s.sampleNanos();
        int hi = java.util.Arrays.binarySearch(times, t);
        if (hi >= 0) {
            return s.value(hi, axis);
        }
        hi = -hi - 1;
        if (hi == 0) {
            return s.value(0, axis);
        }
        if (hi >= times.length) {
            return s.value(times.length - 1, axis);
        }
        int lo = hi - 1;
        double f = (double) (t - times[lo]) / (times[hi] - times[lo]);
        return s.value(lo, axis) + f * (s.value(hi, axis) - s.value(lo, axis));
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }
}
