package dev.rigtel.collector.ingest;

import dev.rigtel.collector.motion.MotionEvent;
import dev.rigtel.collector.motion.Rollup;
import dev.rigtel.collector.store.Schema;
import java.util.Locale;

/**
 * What {@link dev.rigtel.collector.motion.RigMotion} derives, as the points the collector stores
 * ({@code imu_1s}, {@code motion_event}): one encoding for the live path, the synthetic shoot and the
 * storage bench.
 */
public final class MotionPoints {

    private MotionPoints() {}

    /** Appends a rollup's {@code imu_1s} point. */
    public static void rollup(StringBuilder lines, String rig, Rollup r) {
        Schema.rollup(
                lines,
                rig,
                r.secondStartNanos(),
                r.accelPeakG(),
                r.accelRmsG(),
                r.gyroPeakDps(),
                r.gyroRmsDps(),
                r.samples(),
                r.expectedSamples(),
                r.gaps());
    }

    /** Appends an event's {@code motion_event} point; its type tag is {@link #type}. */
    public static void event(StringBuilder lines, String rig, MotionEvent e) {
        Schema.motionEvent(
                lines,
                rig,
                type(e.type()),
                e.onsetNanos(),
                e.endNanos(),
                e.peak(),
                e.angleDeg(),
                e.direction(),
                e.hic15(),
                e.missingSamples(),
                e.axis());
    }

    /** The {@code type} tag of an event: {@code impact}, {@code head-turn}, {@code whip-pan}, ... */
    public static String type(MotionEvent.Type type) {
        return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
