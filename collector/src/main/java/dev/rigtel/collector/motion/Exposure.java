package dev.rigtel.collector.motion;

import java.util.List;

/**
 * One wearer's exposure over a day, like the rolling-window alerts of sports impact systems
 * (DOMAIN.md section 4: count of impacts above threshold, cumulative dose, time above thresholds),
 * from the {@link TakeSummary}s of the takes they wore a rig in and, for the time above 3 g, the
 * per-second {@link Rollup}s of those rigs over those takes.
 *
 * @param impactsOverThreshold impacts over {@code impactThresholdG} (10 g) in all takes
 * @param maxHic15 the largest HIC15 of any take, 0 without impacts (a screening index, see {@link Hic})
 * @param msdvTotal root-sum-square of the takes' MSDVs, m/s^1.5: doses of successive exposures add in
 *     squares, as MSDV = (integral a_wf^2 dt)^(1/2) over the whole exposure (ISO 2631-1 section 9.2)
 * @param secondsAbove30Dps sum over takes of {@code shareAbove30Dps * durationSeconds}
 * @param secondsAbove3G UTC seconds whose rollup peak resultant is over {@link #ACCEL_THRESHOLD_G} (a
 *     second with one sample over 3 g counts whole: an upper bound of the time above). Without rollups
 *     it is 0 if no take peaked over 3 g and {@code NaN} (unknown) otherwise
 * @param takes number of takes
 */
public record Exposure(
        int impactsOverThreshold,
        double maxHic15,
        double msdvTotal,
        double secondsAbove30Dps,
        double secondsAbove3G,
        int takes) {

    /** Resultant, gravity included, counted in {@link #secondsAbove3G()} (ours, DOMAIN.md section 4). */
    public static final double ACCEL_THRESHOLD_G = 3.0;

    /** Exposure from take summaries alone; see {@link #secondsAbove3G()} for what that leaves unknown. */
    public static Exposure of(List<TakeSummary> takes) {
        boolean over = takes.stream().anyMatch(t -> t.peakG() > ACCEL_THRESHOLD_G);
        return of(takes, over ? Double.NaN : 0);
    }

    /**
     * Exposure from take summaries plus the per-second rollups of the worn rigs during those takes.
     *
     * @param rollups the rollups of the wearer's rig(s) within the takes, each second once
     */
    public static Exposure of(List<TakeSummary> takes, List<Rollup> rollups) {
        long seconds =
                rollups.stream().filter(r -> r.accelPeakG() > ACCEL_THRESHOLD_G).count();
        return of(takes, (double) seconds);
    }

    private static Exposure of(List<TakeSummary> takes, double secondsAbove3G) {
        int impacts = 0;
        double maxHic = 0;
        double msdvSq = 0;
        double above30 = 0;
        for (TakeSummary t : takes) {
            impacts += t.impacts();
            if (t.maxHic15() > maxHic) {
                maxHic = t.maxHic15();
            }
            msdvSq += t.msdvMps15() * t.msdvMps15();
            above30 += t.shareAbove30Dps() * t.durationSeconds();
        }
        return new Exposure(impacts, maxHic, Math.sqrt(msdvSq), above30, secondsAbove3G, takes.size());
    }
}
