package dev.rigtel.collector.timecode;

/**
 * A snapshot of a {@link ClockAligner}: the sync quality of one rig, for the dashboard and meters.
 *
 * @param lock the lock state
 * @param driftPpm {@code (b - 1) * 1e6} of the fit {@code t_tc = a + b * t_dev} (DOMAIN.md section 1):
 *     positive when the device clock runs slow against timecode; 0 before the first fit
 * @param residualRmsNanos RMS of the residuals of the pairs in the fit, the sync quality
 * @param pairsInFit pairs the current fit uses (the window minus rejected outliers)
 * @param outliersRejected reports not used since the aligner was made: off the fit by more than a
 *     frame and not confirmed as a jump, or beyond 3 sigma when they arrived
 * @param lastReportNanos receive time ({@code nowNanos}) of the last timecode report, {@link
 *     Long#MIN_VALUE} if none yet
 */
public record ClockState(
        LockState lock,
        double driftPpm,
        double residualRmsNanos,
        int pairsInFit,
        int outliersRejected,
        long lastReportNanos) {}
