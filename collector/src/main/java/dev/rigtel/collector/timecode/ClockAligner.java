package dev.rigtel.collector.timecode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Maps one rig's device clock to production time ({@link DatedTimecode#utcNanos}) for one boot of
 * the rig, from its timecode reports ("frame X began at device time t"). Following DOMAIN.md
 * section 1 it fits {@code t_tc = a + b * t_dev} by least squares over a sliding window of (device
 * time, timecode time) pairs, rejects outliers (residual over one frame, or over 3 sigma) and
 * refits, so a crystal drifting tens of ppm stays within a fraction of a millisecond over a take.
 *
 * <p>How reports are used:
 *
 * <ul>
 *   <li>Once fitted, a report off the fit by more than one frame is held back. If {@link
 *       AlignerOptions#jumpConfirmations()} consecutive such reports agree with each other within a
 *       frame, the timecode jumped (re-jam, new generator): the old window is dropped, the fit
 *       restarts from them and {@link ClockAlert.Type#TIMECODE_JUMP} is raised. Otherwise they were
 *       outliers: counted, never used.
 *   <li>Reports within a frame join the window; the fit leaves out those beyond {@code min(1 frame,
 *       3 * max(sigma, 0.2 ms))} of it (outliers: counted). The 0.2 ms floor keeps perfect data from
 *       rejecting itself. {@value #STEP_CONFIRMATIONS} consecutive such outliers on one side are a
 *       step smaller than a frame (a re-jam): the window restarts from them and {@code
 *       TIMECODE_JUMP} is raised with the fraction of a frame.
 *   <li>The slope has a weak prior (the last well-determined drift, 0 at first, 50 ppm wide) so a
 *       window of a few pairs spanning a fraction of a second cannot produce a wild slope; with a
 *       second of reports or more the data outweighs it. After a jump the drift carries over: the
 *       crystal did not change, only the timecode.
 *   <li>Duplicate or re-ordered reports (device time not after the newest seen) are ignored.
 * </ul>
 *
 * <p>Lock: {@link LockState#UNLOCKED} until the fit holds {@link AlignerOptions#minPairs()} pairs,
 * then {@link LockState#LOCKED}; no report for {@link AlignerOptions#lossTimeout()} makes it {@link
 * LockState#HOLDOVER} ({@code TIMECODE_LOST}; the mapping extrapolates the last fit), and for {@link
 * AlignerOptions#holdoverLimit()} {@link LockState#UNLOCKED} ({@code TIMECODE_UNLOCKED}). Locking again
 * after a loss raises {@code TIMECODE_RESTORED}. {@code DRIFT} is raised once when the drift would
 * put a once-synced rig half a frame off within {@link AlignerOptions#takeLength()} ({@code ppm *
 * 1e-6 * seconds * fps >= 0.5}), once the slope is known to a tenth of that; it re-arms below 80 %
 * of the threshold.
 *
 * <p>Numerics: pairs are kept as {@code long} nanoseconds and fitted in doubles relative to the
 * window's first pair, and the fit is of the offset {@code t_tc - t_dev} (microseconds to
 * milliseconds) against device time, never of raw 1e18 ns values; {@link #toProductionNanos} adds
 * the {@code long} parts exactly, so its arithmetic error is below a nanosecond.
 *
 * <p>Cost: {@link #toProductionNanos} is O(1) and allocation-free (it runs for every IMU sample).
 * {@link #observe} refits the window in one pass over at most {@link AlignerOptions#maxPairs()}
 * pairs (about 7 us for 2000 pairs on a laptop core), once per report however many frames it pairs,
 * and allocates only when it raises an alert.
 *
 * <p>Not thread-safe: feed one rig's reports in order from one thread at a time. All {@code
 * nowNanos} arguments come from one clock of the caller's (e.g. UTC nanoseconds of receipt).
 */
public final class ClockAligner {

    /** Lower bound of sigma for the 3-sigma rejection, so perfect data is not rejected. */
    static final double SIGMA_FLOOR_NANOS = 200_000;

    /** Width of the slope prior: crystals stay within about +-50 ppm (DOMAIN.md section 1). */
    static final double DRIFT_PRIOR_WIDTH = 50e-6;

    /** The prior follows the fitted slope once the slope is known this well. */
    private static final double PRIOR_UPDATE_STD_ERR = 2e-6;

    private static final double NANOS_PER_SECOND = 1e9;

    /**
     * Consecutive reports beyond 3 sigma on one side that make a step smaller than a frame. Gaussian
     * jitter does that with probability 0.00135^16, i.e. never.
     */
    static final int STEP_CONFIRMATIONS = 16;

    /** Windows up to this size are clipped from scratch at every refit; it costs little. */
    private static final int SMALL_WINDOW = 64;

    private final AlignerOptions options;
    private final double frameNanos;
    private final long windowNanos;
    private final long lossTimeoutNanos;
    private final long holdoverLimitNanos;
    private final double driftThresholdPpm;

    // The window: a ring buffer of pairs, oldest at head.
    private final long[] deviceNanos;
    private final long[] tcNanos;
    private final double[] residuals;
    private int head;
    private int size;

    // Consecutive reports off the fit by more than a frame.
    private final long[] pendingDeviceNanos;
    private final long[] pendingTcNanos;
    private final double[] pendingResidualNanos;
    private int pendingCount;

    // The published fit: production = refTcNanos + d + round(alphaNanos + gamma * d), d = device - refDeviceNanos.
    private boolean fitted;
    private long refDeviceNanos;
    private long refTcNanos;
    private double alphaNanos;
    private double gamma;

    private double priorGamma;
    private double solvedAlpha;
    private double solvedGamma;
    private double keptCentredSxx;
    private boolean windowHasFit;
    /** Pairs appended since the last refit: {@link #refitFresh} judges them. */
    private int unfittedPairs;

    private int rejectedRun;
    private double rejectedRunSign;
    private long rejectedRunStartNanos;
    private double rejectionThreshold = Double.POSITIVE_INFINITY;
    private double residualRmsNanos;
    private double slopeStdErr = Double.POSITIVE_INFINITY;
    private int pairsInFit;
    private int outliersRejected;

    private LockState lock = LockState.UNLOCKED;
    private boolean everLocked;
    private boolean driftArmed = true;
    private long lastReportNanos = Long.MIN_VALUE;
    private long lastReportBeforeLossNanos;
    private long newestDeviceNanos = Long.MIN_VALUE;

    /**
     * @param options window, thresholds and timeouts
     * @param rate the frame rate of the rig's timecode; one frame is the outlier and jump threshold
     */
    public ClockAligner(AlignerOptions options, FrameRate rate) {
        this.options = Objects.requireNonNull(options, "options");
        Objects.requireNonNull(rate, "rate");
        this.frameNanos = rate.frameNanos();
        this.windowNanos = options.window().toNanos();
        this.lossTimeoutNanos = options.lossTimeout().toNanos();
        this.holdoverLimitNanos = options.holdoverLimit().toNanos();
        // ppm * 1e-6 * takeSeconds * fps >= 0.5 frame (DOMAIN.md section 1, drift).
        this.driftThresholdPpm =
                0.5 / (options.takeLength().toNanos() / NANOS_PER_SECOND * rate.framesPerSecond()) * 1e6;
        this.deviceNanos = new long[options.maxPairs()];
        this.tcNanos = new long[options.maxPairs()];
        this.residuals = new double[options.maxPairs()];
        this.pendingDeviceNanos = new long[options.jumpConfirmations()];
        this.pendingTcNanos = new long[options.jumpConfirmations()];
        this.pendingResidualNanos = new double[options.jumpConfirmations()];
    }

    /**
     * Adds a timecode report and refits.
     *
     * @param deviceNanos device time at which the frame began ({@code t_us * 1000})
     * @param timecodeUtcNanos production time of that frame, {@link DatedTimecode#utcNanos}
     * @param nowNanos when the report was received, for loss detection
     * @return the alerts this report raised (silence transitions first, as {@link #tick} would), often
     *     none
     */
    public List<ClockAlert> observe(long deviceNanos, long timecodeUtcNanos, long nowNanos) {
        List<ClockAlert> alerts = offer(deviceNanos, timecodeUtcNanos, nowNanos, tick(nowNanos));
        return refitFresh(nowNanos, alerts);
    }

    /**
     * Adds the frames of one batched report (frame {@code i} began at {@code deviceNanos[i]}) and refits
     * once for all of them, not once a frame: a refit passes over the whole window (1,500 pairs for a
     * minute at 25 fps), and a rig reporting five frames a message would otherwise pay five passes.
     * Each frame is judged as {@link #observe(long, long, long)} would judge it, against the fit
     * before the report (it moves by nanoseconds within one); until the first lock, and before a frame
     * off the fit by more than a frame (a jump), the frames before it are fitted first.
     *
     * @return the alerts the report raised, often none
     */
    public List<ClockAlert> observe(long[] deviceNanos, long[] timecodeUtcNanos, long nowNanos) {
        if (deviceNanos.length != timecodeUtcNanos.length) {
            throw new IllegalArgumentException("device and timecode times differ in length: " + deviceNanos.length
                    + " and " + timecodeUtcNanos.length);
        }
        List<ClockAlert> alerts = tick(nowNanos);
        for (int i = 0; i < deviceNanos.length; i++) {
            alerts = offer(deviceNanos[i], timecodeUtcNanos[i], nowNanos, alerts);
        }
        return refitFresh(nowNanos, alerts);
    }

    /**
     * One frame of a report: ignored if not newer than the newest, held back if off the fit by more
     * than a frame ({@link #offFit}), else appended to the window for the next {@link #refitFresh}.
     */
    private List<ClockAlert> offer(long deviceNanos, long timecodeUtcNanos, long nowNanos, List<ClockAlert> alerts) {
        if (deviceNanos <= newestDeviceNanos) {
            return alerts; // a duplicate or re-ordered report: the window already covers this time
        }
        newestDeviceNanos = deviceNanos;
        lastReportNanos = nowNanos;

        if (fitted) {
            double residual = (double) (timecodeUtcNanos - map(deviceNanos));
            if (Math.abs(residual) > frameNanos) {
                // A jump restarts the window: the frames before this one are fitted and judged first.
                alerts = refitFresh(nowNanos, alerts);
                return offFit(deviceNanos, timecodeUtcNanos, residual, nowNanos, alerts);
            }
            outliersRejected += pendingCount; // the off-fit reports before this one were not a jump
            pendingCount = 0;
        }
        evictFor(deviceNanos);
        append(deviceNanos, timecodeUtcNanos);
        unfittedPairs++;
        // Until the first lock every frame is fitted at once: the lock is taken at the frame that
        // completes it, and the frames after it are judged against that fit.
        return fitted ? alerts : refitFresh(nowNanos, alerts);
    }

    /**
     * Refits for the pairs appended since the last refit and judges each against the new fit's
     * threshold: one beyond it is an outlier, and {@value #STEP_CONFIRMATIONS} of them in a row on one
     * side are a step ({@link #subFrameStep}).
     */
    private List<ClockAlert> refitFresh(long nowNanos, List<ClockAlert> alerts) {
        // A report longer than the window (in pairs or in time) evicted its own first frames.
        int fresh = Math.min(unfittedPairs, size);
        if (fresh == 0) {
            unfittedPairs = 0;
            return alerts;
        }
        unfittedPairs = 0;
        boolean published = refit();
        int capacity = residuals.length;
        for (int k = size - fresh; k < size; k++) {
            double residual = residuals[(head + k) % capacity];
            if (!published || Math.abs(residual) <= rejectionThreshold) {
                rejectedRun = 0;
                continue;
            }
            outliersRejected++;
            if (rejectedRun > 0 && Math.signum(residual) == rejectedRunSign) {
                rejectedRun++;
            } else {
                rejectedRun = 1;
                rejectedRunSign = Math.signum(residual);
                rejectedRunStartNanos = deviceNanos[(head + k) % capacity];
            }
            if (rejectedRun >= STEP_CONFIRMATIONS) {
                // The window restarts at the run, with the report's later frames in it.
                alerts = subFrameStep(alerts);
                break;
            }
        }
        return afterRefit(nowNanos, alerts);
    }

    /**
     * Advances the lock state for silence: LOCKED becomes HOLDOVER after {@link
     * AlignerOptions#lossTimeout()} without a report, HOLDOVER becomes UNLOCKED after {@link
     * AlignerOptions#holdoverLimit()}. Call it periodically (e.g. once a second).
     *
     * @return the alerts raised, often none
     */
    public List<ClockAlert> tick(long nowNanos) {
        List<ClockAlert> alerts = List.of();
        if (lastReportNanos == Long.MIN_VALUE) {
            return alerts;
        }
        long silenceNanos = nowNanos - lastReportNanos;
        if (lock == LockState.LOCKED && silenceNanos > lossTimeoutNanos) {
            lock = LockState.HOLDOVER;
            lastReportBeforeLossNanos = lastReportNanos;
            alerts = add(
                    alerts,
                    ClockAlert.Type.TIMECODE_LOST,
                    String.format(
                            "no timecode report for %.1f s: holding over on a drift of %.2f ppm",
                            silenceNanos / NANOS_PER_SECOND, driftPpm()),
                    silenceNanos / NANOS_PER_SECOND);
        }
        if (lock == LockState.HOLDOVER && silenceNanos > holdoverLimitNanos) {
            lock = LockState.UNLOCKED;
            alerts = add(
                    alerts,
                    ClockAlert.Type.TIMECODE_UNLOCKED,
                    String.format(
                            "no timecode report for %.1f s: holdover limit %s reached, unlocked",
                            silenceNanos / NANOS_PER_SECOND, options.holdoverLimit()),
                    silenceNanos / NANOS_PER_SECOND);
        }
        return alerts;
    }

    /**
     * Production time (UTC nanoseconds, as {@link DatedTimecode#utcNanos}) of a device time: {@code a
     * + b * deviceNanos} of the current fit, extrapolated in HOLDOVER and UNLOCKED. Empty until the
     * first lock. O(1); on the per-sample path prefer {@link #toProductionNanos(long, long)}, which
     * cannot allocate.
     */
    public OptionalLong toProductionNanos(long deviceNanos) {
        return fitted ? OptionalLong.of(map(deviceNanos)) : OptionalLong.empty();
    }

    /**
     * As {@link #toProductionNanos(long)}, but {@code unfittedNanos} until the first lock (e.g. the
     * boot anchor's {@code DeviceClocks.Anchor.utcNanos(deviceNanos)}). O(1), allocation-free.
     */
    public long toProductionNanos(long deviceNanos, long unfittedNanos) {
        return fitted ? map(deviceNanos) : unfittedNanos;
    }

    /** True once the first lock has produced a fit; {@link #toProductionNanos(long)} is then present. */
    public boolean hasFit() {
        return fitted;
    }

    /** Device time between the oldest and newest pair in the window; how far the fit's slope reaches. */
    public long fitSpanNanos() {
        return size < 2 ? 0 : deviceNanos[(head + size - 1) % deviceNanos.length] - deviceNanos[head];
    }

    /** The current lock state; as {@code state().lock()} without building the snapshot. */
    public LockState lock() {
        return lock;
    }

    /** The current lock state, drift and fit quality. */
    public ClockState state() {
        return new ClockState(lock, driftPpm(), residualRmsNanos, pairsInFit, outliersRejected, lastReportNanos);
    }

    public AlignerOptions options() {
        return options;
    }

    private long map(long deviceNanos) {
        long d = deviceNanos - refDeviceNanos;
        return refTcNanos + d + Math.round(alphaNanos + gamma * d);
    }

    private double driftPpm() {
        return gamma * 1e6;
    }

    private List<ClockAlert> offFit(
            long deviceNanos, long timecodeUtcNanos, double residual, long nowNanos, List<ClockAlert> alerts) {
        for (int i = 0; i < pendingCount; i++) {
            if (Math.abs(pendingResidualNanos[i] - residual) > frameNanos) {
                outliersRejected += pendingCount; // they disagree with this one: not one jump
                pendingCount = 0;
                break;
            }
        }
        pendingDeviceNanos[pendingCount] = deviceNanos;
        pendingTcNanos[pendingCount] = timecodeUtcNanos;
        pendingResidualNanos[pendingCount] = residual;
        pendingCount++;
        if (pendingCount < pendingDeviceNanos.length) {
            return alerts;
        }
        double sum = 0;
        for (int i = 0; i < pendingCount; i++) {
            sum += pendingResidualNanos[i];
        }
        double jumpFrames = sum / pendingCount / frameNanos;
        // The crystal did not change, only the timecode: keep the drift as the slope prior.
        priorGamma = gamma;
        size = 0;
        head = 0;
        windowHasFit = false;
        rejectedRun = 0;
        for (int i = 0; i < pendingCount; i++) {
            append(pendingDeviceNanos[i], pendingTcNanos[i]);
        }
        pendingCount = 0;
        refit();
        alerts = add(
                alerts,
                ClockAlert.Type.TIMECODE_JUMP,
                String.format(
                        "timecode jumped by %+.2f frames (%+.3f s) against the device clock; refitting",
                        jumpFrames, jumpFrames * frameNanos / NANOS_PER_SECOND),
                jumpFrames);
        return afterRefit(nowNanos, alerts);
    }

    /**
     * A run of reports all beyond 3 sigma on the same side, yet within a frame: the timecode stepped by
     * less than a frame (a re-jam). Restart the window from the run, as for a jump.
     */
    private List<ClockAlert> subFrameStep(List<ClockAlert> alerts) {
        double sum = 0;
        int count = 0;
        while (deviceNanos[head] < rejectedRunStartNanos) {
            head = head + 1 == deviceNanos.length ? 0 : head + 1;
            size--;
        }
        for (int k = 0, i = head; k < size; k++, i = i + 1 == deviceNanos.length ? 0 : i + 1) {
            sum += residuals[i];
            count++;
        }
        double stepFrames = sum / count / frameNanos;
        outliersRejected -= rejectedRun; // they are the new timeline, not outliers
        rejectedRun = 0;
        priorGamma = gamma;
        windowHasFit = false;
        refit();
        return add(
                alerts,
                ClockAlert.Type.TIMECODE_JUMP,
                String.format(
                        "timecode stepped by %+.2f frames (%+.3f ms) against the device clock; refitting",
                        stepFrames, stepFrames * frameNanos / 1e6),
                stepFrames);
    }

    private void evictFor(long newDeviceNanos) {
        while (size > 0 && (size == deviceNanos.length || newDeviceNanos - deviceNanos[head] > windowNanos)) {
            head = (head + 1) % deviceNanos.length;
            size--;
        }
    }

    private void append(long device, long tc) {
        int at = (head + size) % deviceNanos.length;
        deviceNanos[at] = device;
        tcNanos[at] = tc;
        size++;
    }

    /**
     * Least squares of the offset {@code r = (tc - tc0) - (dev - dev0)} against {@code x = dev - dev0},
     * relative to the window's first pair, without the pairs beyond {@code min(1 frame, 3 *
     * max(sigma, floor))} of the fit. A window that grew from the previous fit (the usual case) is
     * refitted in one pass: pairs are judged against the previous fit and its threshold, and sigma
     * comes from the pairs kept. A new window (first pairs, after a jump) or a small one is clipped
     * from scratch by {@link #clipFromScratch}.
     *
     * @return false if no fit came of it (nothing agrees, a jump inside the first pairs): the last fit stays
     */
    private boolean refit() {
        double sigmaPrior = Math.max(residualRmsNanos, SIGMA_FLOOR_NANOS);
        double lambda = sigmaPrior * sigmaPrior / (DRIFT_PRIOR_WIDTH * DRIFT_PRIOR_WIDTH);
        if (!windowHasFit || size <= SMALL_WINDOW) {
            return clipFromScratch(lambda);
        }
        int capacity = deviceNanos.length;
        long dev0 = deviceNanos[head];
        long tc0 = tcNanos[head];
        double threshold = rejectionThreshold;
        int kept = 0;
        double sx = 0, sr = 0, sxx = 0, sxr = 0, srr = 0;
        for (int k = 0, i = head; k < size; k++, i = i + 1 == capacity ? 0 : i + 1) {
            long dx = deviceNanos[i] - dev0;
            double r = (tcNanos[i] - tc0) - dx;
            long dxPrevious = deviceNanos[i] - refDeviceNanos;
            double residual = ((tcNanos[i] - refTcNanos) - dxPrevious) - (alphaNanos + gamma * dxPrevious);
            residuals[i] = residual;
            if (Math.abs(residual) <= threshold) {
                double x = dx;
                sx += x;
                sr += r;
                sxx += x * x;
                sxr += x * r;
                srr += r * r;
                kept++;
            }
        }
        if (kept == 0) {
            return clipFromScratch(lambda);
        }
        solve(kept, sx, sr, sxx, sxr, lambda);
        double a = solvedAlpha;
        double b = solvedGamma;
        // Sum of (r - a - b x)^2 expanded; the terms are at most a few ms squared, so no precision is lost.
        double sumSquares = srr - 2 * a * sr - 2 * b * sxr + kept * a * a + 2 * a * b * sx + b * b * sxx;
        double rms = Math.sqrt(Math.max(0, sumSquares) / kept);
        publish(dev0, tc0, a, b, rms, kept, clipThreshold(rms), lambda);
        return true;
    }

    /**
     * Iterated sigma clipping from scratch: fit every pair; refit without those beyond the threshold;
     * take sigma again from the pairs kept and refit once more. The second round keeps one large
     * outlier from inflating sigma and letting other outliers in.
     */
    private boolean clipFromScratch(double lambda) {
        fitKept(Double.POSITIVE_INFINITY, lambda);
        double threshold = clipThreshold(residualsAndRms(Double.POSITIVE_INFINITY));
        if (fitKept(threshold, lambda) == 0) {
            return false; // nothing agrees (a jump inside the first pairs): keep the last fit, wait for more
        }
        threshold = clipThreshold(residualsAndRms(threshold));
        int kept = fitKept(threshold, lambda);
        if (kept == 0) {
            return false;
        }
        double alpha = solvedAlpha;
        double slope = solvedGamma;
        double rms = rmsOfFinalFit(threshold, alpha, slope);
        publish(deviceNanos[head], tcNanos[head], alpha, slope, rms, kept, threshold, lambda);
        return true;
    }

    private void publish(
            long dev0, long tc0, double alpha, double slope, double rms, int kept, double threshold, double lambda) {
        refDeviceNanos = dev0;
        refTcNanos = tc0;
        alphaNanos = alpha;
        gamma = slope;
        residualRmsNanos = rms;
        pairsInFit = kept;
        // The pairs just added are judged against this threshold (their residuals are in residuals).
        rejectionThreshold = threshold;
        windowHasFit = true;
        double sigma = Math.max(rms, SIGMA_FLOOR_NANOS);
        slopeStdErr = sigma / Math.sqrt(keptCentredSxx + lambda);
        if (slopeStdErr <= PRIOR_UPDATE_STD_ERR) {
            priorGamma = slope;
        }
        if (kept >= options.minPairs()) {
            fitted = true;
        }
    }

    private double clipThreshold(double sigmaNanos) {
        return Math.min(frameNanos, 3 * Math.max(sigmaNanos, SIGMA_FLOOR_NANOS));
    }

    /**
     * Fits the pairs whose {@link #residuals} are within {@code threshold} (all of them for
     * infinity) into {@link #solvedAlpha} and {@link #solvedGamma}; returns how many it used.
     */
    private int fitKept(double threshold, double lambda) {
        int capacity = deviceNanos.length;
        long dev0 = deviceNanos[head];
        long tc0 = tcNanos[head];
        int kept = 0;
        double sx = 0, sr = 0, sxx = 0, sxr = 0;
        for (int k = 0, i = head; k < size; k++, i = i + 1 == capacity ? 0 : i + 1) {
            if (threshold == Double.POSITIVE_INFINITY || Math.abs(residuals[i]) <= threshold) {
                long dx = deviceNanos[i] - dev0;
                double x = dx;
                double r = (tcNanos[i] - tc0) - dx;
                sx += x;
                sr += r;
                sxx += x * x;
                sxr += x * r;
                kept++;
            }
        }
        if (kept > 0) {
            solve(kept, sx, sr, sxx, sxr, lambda);
        }
        return kept;
    }

    /**
     * Least squares from sums, with a prior on the slope (ridge towards {@link #priorGamma}, weight
     * sigma^2 / width^2), into {@link #solvedAlpha} and {@link #solvedGamma}.
     */
    private void solve(int kept, double sx, double sr, double sxx, double sxr, double lambda) {
        double meanX = sx / kept;
        double meanR = sr / kept;
        keptCentredSxx = sxx - sx * meanX;
        double centredSxr = sxr - sx * meanR;
        double slope = (centredSxr + lambda * priorGamma) / (keptCentredSxx + lambda);
        solvedAlpha = meanR - slope * meanX;
        solvedGamma = slope;
    }

    /**
     * Stores every pair's residual against the solved fit in {@link #residuals}; returns the RMS over
     * the pairs that were within {@code threshold} of the previous fit.
     */
    private double residualsAndRms(double threshold) {
        int capacity = deviceNanos.length;
        long dev0 = deviceNanos[head];
        long tc0 = tcNanos[head];
        double sumSquares = 0;
        int kept = 0;
        for (int k = 0, i = head; k < size; k++, i = i + 1 == capacity ? 0 : i + 1) {
            long dx = deviceNanos[i] - dev0;
            double residual = ((tcNanos[i] - tc0) - dx) - (solvedAlpha + solvedGamma * dx);
            if (threshold == Double.POSITIVE_INFINITY || Math.abs(residuals[i]) <= threshold) {
                sumSquares += residual * residual;
                kept++;
            }
            residuals[i] = residual;
        }
        return kept == 0 ? 0 : Math.sqrt(sumSquares / kept);
    }

    private double rmsOfFinalFit(double threshold, double alpha, double slope) {
        int capacity = deviceNanos.length;
        long dev0 = deviceNanos[head];
        long tc0 = tcNanos[head];
        double sumSquares = 0;
        int kept = 0;
        for (int k = 0, i = head; k < size; k++, i = i + 1 == capacity ? 0 : i + 1) {
            if (Math.abs(residuals[i]) <= threshold) {
                long dx = deviceNanos[i] - dev0;
                double residual = ((tcNanos[i] - tc0) - dx) - (alpha + slope * dx);
                sumSquares += residual * residual;
                kept++;
            }
        }
        return Math.sqrt(sumSquares / kept);
    }

    private List<ClockAlert> afterRefit(long nowNanos, List<ClockAlert> alerts) {
        if (lock != LockState.LOCKED && pairsInFit >= options.minPairs()) {
            lock = LockState.LOCKED;
            if (everLocked) {
                long silenceNanos = nowNanos - lastReportBeforeLossNanos;
                alerts = add(
                        alerts,
                        ClockAlert.Type.TIMECODE_RESTORED,
                        String.format(
                                "timecode locked again %.1f s after the last report before the loss; drift %.2f ppm",
                                silenceNanos / NANOS_PER_SECOND, driftPpm()),
                        silenceNanos / NANOS_PER_SECOND);
            }
            everLocked = true;
        }
        if (lock == LockState.LOCKED) {
            double driftPpm = Math.abs(driftPpm());
            if (driftArmed && driftPpm >= driftThresholdPpm && slopeStdErr * 1e6 <= driftThresholdPpm / 10) {
                driftArmed = false;
                alerts = add(
                        alerts,
                        ClockAlert.Type.DRIFT,
                        String.format(
                                "device clock drifts %.1f ppm: %.2f frames over a %d s take if synced once",
                                driftPpm(),
                                driftPpm / driftThresholdPpm * 0.5,
                                options.takeLength().toSeconds()),
                        driftPpm());
            } else if (!driftArmed && driftPpm < 0.8 * driftThresholdPpm) {
                driftArmed = true;
            }
        }
        return alerts;
    }

    private static List<ClockAlert> add(List<ClockAlert> alerts, ClockAlert.Type type, String message, double value) {
        List<ClockAlert> grown = alerts.isEmpty() ? new ArrayList<>(2) : alerts;
        grown.add(new ClockAlert(type, message, value));
        return grown;
    }
}
