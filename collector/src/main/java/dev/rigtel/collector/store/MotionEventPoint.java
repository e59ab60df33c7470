package dev.rigtel.collector.store;

/**
 * A motion event, at its onset. A figure that is not finite is left out, as are an empty {@code
 * direction} or {@code axis} and no {@code missingSamples}.
 *
 * @param type {@code impact}, {@code head-turn}, {@code whip-pan}, {@code clipping} or {@code dropout}
 */
public record MotionEventPoint(
        String rig,
        String type,
        long onsetNanos,
        long endNanos,
        double peak,
        double angleDeg,
        String direction,
        double hic15,
        long missingSamples,
        String axis) {}
