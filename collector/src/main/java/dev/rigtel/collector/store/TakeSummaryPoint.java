package dev.rigtel.collector.store;

/**
 * One rig's motion summary of one take, at the take's start. A figure that is not finite is left
 * out, as is {@code secondsAbove3G} below 0 (unknown).
 *
 * @param source {@code live} (from the stream), {@code storage} (recomputed) or another producer's name
 */
public record TakeSummaryPoint(
        String rig,
        String takeId,
        long takeStartNanos,
        String source,
        double durationSeconds,
        long samples,
        double peakG,
        double peakDps,
        double peakAngularAccelRadS2,
        int impacts,
        double maxHic15,
        int headTurns,
        int whipPans,
        double msdvMps15,
        double weightedRmsMps2,
        double shareAbove30Dps,
        double viewerComfort,
        int secondsAbove3G) {}
