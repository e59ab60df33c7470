package dev.rigtel.collector.ingest;

import dev.rigtel.collector.motion.MotionEvent;
import dev.rigtel.collector.motion.Rollup;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.store.MotionEventPoint;
import dev.rigtel.collector.store.RollupPoint;
import dev.rigtel.collector.store.TakeSummaryPoint;
import dev.rigtel.collector.takes.Take;
import java.util.Locale;

/**
 * What {@link dev.rigtel.collector.motion.RigMotion} and the {@link
 * dev.rigtel.collector.motion.TakeSummarizer} derive, as the store's typed points ({@code imu_1s},
 * {@code motion_event}, {@code take_summary}): one mapping for the collector and for the tools that
 * write a shoot of their own.
 */
public final class MotionPoints {

    private MotionPoints() {}

    /** A rollup of {@code rig} as its {@code imu_1s} point. */
    public static RollupPoint rollup(String rig, Rollup r) {
        return new RollupPoint(
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

    /** An event of {@code rig} as its {@code motion_event} point; its type tag is {@link #type}. */
    public static MotionEventPoint event(String rig, MotionEvent e) {
        return new MotionEventPoint(
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

    /**
     * One rig's summary of a take as its {@code take_summary} point, at the take's start.
     *
     * @param source {@code live} (from the stream), {@code storage} (recomputed) or another producer's name
     */
    public static TakeSummaryPoint summary(String rig, Take take, TakeSummary s, String source) {
        return summary(rig, take.id(), take.startNanos(), s, source);
    }

    /** As {@link #summary(String, Take, TakeSummary, String)}, for a take known by id and start. */
    public static TakeSummaryPoint summary(
            String rig, String takeId, long takeStartNanos, TakeSummary s, String source) {
        return new TakeSummaryPoint(
                rig,
                takeId,
                takeStartNanos,
                source,
                s.durationSeconds(),
                s.samples(),
                s.peakG(),
                s.peakDps(),
                s.peakAngularAccelRadS2(),
                s.impacts(),
                s.maxHic15(),
                s.headTurns(),
                s.whipPans(),
                s.msdvMps15(),
                s.weightedRmsMps2(),
                s.shareAbove30Dps(),
                s.viewerComfort(),
                s.secondsAbove3G());
    }

    /** The {@code type} tag of an event: {@code impact}, {@code head-turn}, {@code whip-pan}, ... */
    public static String type(MotionEvent.Type type) {
        return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
