package dev.rigtel.collector.motion;

/**
 * What one rig went through during one take, from {@link TakeSummarizer}.
 *
 * @param durationSeconds last sample - first sample + one median interval (the span the samples
 *     cover)
 * @param samples samples accepted
 * @param peakG peak resultant acceleration in g, gravity included (DOMAIN.md section 4)
 * @param peakDps peak angular speed |omega| after bias removal, deg/s
 * @param peakAngularAccelRadS2 peak |d omega / dt| in rad/s^2 of the gyro smoothed by a first-order
 *     low-pass at {@code angularAccelLowPassHz}; flags only, never diagnoses (McIntosh 2014 50 %
 *     concussion values are around 4000 rad/s^2, DOMAIN.md section 4)
 * @param impacts impact events (resultant over {@code impactThresholdG})
 * @param maxHic15 largest HIC15 of those impacts, 0 without impacts; a screening index (see {@link Hic})
 * @param headTurns head-turn events
 * @param whipPans whip-pan events
 * @param msdvMps15 motion sickness dose value {@code (integral a_wf^2 dt)^(1/2)}, m/s^1.5 (ISO 2631-1
 *     section 9.2), with {@code a_wf} the vertical acceleration (along the estimated up vector, minus
 *     g0) weighted by {@link WfWeighting}; about MSDV/3 percent of unadapted adults may vomit
 * @param weightedRmsMps2 RMS of {@code a_wf}, m/s^2
 * @param shareAbove30Dps fraction of samples with |omega| over {@code comfortThresholdDps} (30 deg/s)
 * @param viewerComfort 0..100, ours: {@code 100 * (1 - mean over samples of clamp((|omega| - 30) /
 *     (120 - 30), 0, 1))} with {@code comfortThresholdDps} (30 deg/s, provocative, Lo and So 2001) and
 *     {@code comfortSaturationDps} (120 deg/s). It rests on the camera's angular speed because the
 *     image's angular speed matters most to viewers (Ujike); 100 means the camera never turned faster
 *     than 30 deg/s, 0 that it always turned faster than 120 deg/s
 * @param secondsAbove3G the take's UTC seconds whose per-second rollup peaked over {@link
 *     Exposure#ACCEL_THRESHOLD_G} (a second with one sample over 3 g counts whole); -1 where unknown
 *     (a summary stored before it was kept)
 */
public record TakeSummary(
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
