package dev.rigtel.collector.motion;

import java.util.List;

/**
 * One wearer's exposure over a day or a whole shoot, like the rolling-window alerts of sports impact systems
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

    /**
     * Exposure from take summaries alone: the time above 3 g from their {@link
     * TakeSummary#secondsAbove3G()}; where a summary does not know it, see {@link #secondsAbove3G()}.
     */
    public static Exposure of(List<TakeSummary> takes) {
        double seconds = 0;
        for (TakeSummary t : takes) {
            if (t.secondsAbove3G() >= 0) {
                seconds += t.secondsAbove3G();
            } else if (t.peakG() > ACCEL_THRESHOLD_G) {
                seconds = Double.NaN;
            }
        }
        return of(takes, seconds);
    }

    /**
     * Exposure from sums over take summaries (what InfluxDB adds up over a whole shoot).
     *
     * @param msdvSquares sum of the takes' MSDV squared
     * @param secondsAbove3G sum of the takes' seconds above 3 g, NaN if unknown for some take that
     *     peaked over 3 g
     */
    public static Exposure ofSums(
            int takes,
            int impactsOverThreshold,
            double maxHic15,
            double msdvSquares,
            double secondsAbove30Dps,
            double secondsAbove3G) {
        return new Exposure(
                impactsOverThreshold, maxHic15, Math.sqrt(msdvSquares), secondsAbove30Dps, secondsAbove3G, takes);
    }

    /** No takes at all. */
    public static final Exposure NONE = new Exposure(0, 0, 0, 0, 0, 0);

    /** This exposure and {@code other} together, e.g. two days: doses add in squares, the rest adds up. */
    public Exposure plus(Exposure other) {
        return new Exposure(
                impactsOverThreshold + other.impactsOverThreshold,
                Math.max(maxHic15, other.maxHic15),
                Math.sqrt(msdvTotal * msdvTotal + other.msdvTotal * other.msdvTotal),
                secondsAbove30Dps + other.secondsAbove30Dps,
                secondsAbove3G + other.secondsAbove3G,
                takes + other.takes);
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
