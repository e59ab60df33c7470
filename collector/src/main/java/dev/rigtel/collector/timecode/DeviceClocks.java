package dev.rigtel.collector.timecode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps every rig's device clock to production time (UTC nanoseconds of the shoot's timecode), in a
 * way that is the same for a message whatever order and however often it arrives.
 *
 * <p>Each {@code (rig, boot)} has a {@link ClockAligner} fed by its timecode reports. Samples are
 * not mapped through the live fit directly: device time is cut into segments, and the first time a
 * segment is needed its mapping is frozen from the fit at that moment ({@code start + rate *
 * (device - segmentStart)}) and persisted by the caller (measurement {@code rig_clock}). A segment
 * lasts {@link #SEGMENT_NANOS} once the fit spans {@link #MATURE_SPAN_NANOS} of device time, and
 * {@link #YOUNG_SEGMENT_NANOS} before that, so a young fit's slope is not extrapolated far. A batch re-sent after a reconnect or a restart therefore lands on exactly the
 * timestamps it had, and overwrites itself instead of being stored twice. Before a rig has
 * timecode lock, a segment extrapolates the boot's previous segment, or else uses the boot's
 * anchor: the collector's UTC clock at the first message of the boot, moved later if needed so
 * the boot starts after the rig's newest stored sample (unless that sample lies more than {@link
 * #MAX_ANCHOR_LEAD} ahead of the collector's clock). A boot whose segments were restored ({@link
 * #restore}: a restart, or a cluster partition taken over) extrapolates its newest earlier segment
 * until this process's own fit is mature, instead of jumping to a young fit.
 *
 * <p>Implausible time is refused, not mapped ({@link ImplausibleTimeException}): a message whose
 * device time ran more than {@link #MAX_DEVICE_LEAD} ahead of the collector's clock since the boot's
 * previous message (a device timer that jumped), a message that would be stored more than {@link
 * #MAX_AHEAD} ahead of both the collector's clock and the rig's timecode, and a timecode report more
 * than {@link #MAX_TIMECODE_AHEAD} ahead of the collector's clock. Nothing of a refused message is
 * kept, so it cannot move the boot's timeline, the rig's newest sample or a later boot's anchor; a
 * rig whose timer jumped has the rest of that boot refused, until it boots again. Each refusal
 * carries an {@link ClockAlert.Type#IMPLAUSIBLE_TIME} alert, at most one a minute per rig.
 *
 * <p>Thread-safe: each boot's state is guarded by its own lock.
 */
public final class DeviceClocks {

    /** Length of a frozen mapping segment in device time once the fit is mature: 10 s. */
    public static final long SEGMENT_NANOS = 10_000_000_000L;

    /** Length of a segment while the fit spans less than {@link #MATURE_SPAN_NANOS}: 1 s. */
    public static final long YOUNG_SEGMENT_NANOS = 1_000_000_000L;

    /** Span of device time the fit must cover before segments grow to {@link #SEGMENT_NANOS}. */
    public static final long MATURE_SPAN_NANOS = 20_000_000_000L;

    /** Larger than the error of a nanosecond time read back through JSON as a double (256 ns). */
    private static final long MIN_STEP_NANOS = 1_000;

    /**
     * How far a message's device time may run ahead of the collector's clock since the boot's
     * previous message: 10 min. A device clock is a monotonic timer from boot (firmware-notes) that
     * drifts tens of ppm; it never runs ahead of the collector's clock by minutes unless it jumped.
     * The slack covers the collector's own clock being stepped back (NTP) by up to that much.
     */
    public static final Duration MAX_DEVICE_LEAD = Duration.ofMinutes(10);

    /**
     * How far ahead of both the collector's clock and the rig's timecode (its newest report, moved on
     * by the collector's clock since) a sample or status may be stored: 1 h. Caps what jumps each
     * within {@link #MAX_DEVICE_LEAD} could add up to, and catches a jump in the first message after
     * a restart (no previous message to compare with; an old segment extrapolated).
     */
    public static final Duration MAX_AHEAD = Duration.ofHours(1);

    /**
     * How far ahead of the collector's clock a timecode report may put the rig: 25 h. A report
     * without a date is dated closest to now (within 12 h); one with a date may be of today at any
     * time of day (24 h ahead at most, plus an hour for a daylight-saving day), not later.
     */
    public static final Duration MAX_TIMECODE_AHEAD = Duration.ofHours(25);

    /**
     * A rig's newest stored sample moves a new boot's anchor only if it lies at most this far ahead
     * of the collector's clock: 10 min (a timecode generator a little ahead of the clock). One further
     * ahead is a sample no new boot should be made to follow (a poisoned one, or timecode hours away
     * from the clock), and the boot starts on the collector's clock.
     */
    public static final Duration MAX_ANCHOR_LEAD = Duration.ofMinutes(10);

    /** At most one {@link ClockAlert.Type#IMPLAUSIBLE_TIME} alert a minute per rig. */
    private static final long ALERT_INTERVAL_NANOS = 60_000_000_000L;

    /** A frozen mapping of one segment of one boot's device clock. */
    public record Segment(
            String rig,
            String boot,
            long startDeviceNanos,
            long lengthNanos,
            long startNanos,
            double rate,
            LockState lock,
            double driftPpm,
            double residualRmsNanos) {

        public long utcNanos(long deviceNanos) {
            return startNanos + Math.round((deviceNanos - startDeviceNanos) * rate);
        }

        boolean covers(long deviceNanos) {
            return deviceNanos >= startDeviceNanos && deviceNanos - startDeviceNanos < lengthNanos;
        }
    }

    /** The clock state of a rig's current boot, for the API and dashboards. */
    public record RigClockState(String rig, String boot, ClockState clock, Optional<FrameRate> rate) {}

    /** Timestamps for device times, and the segments that were created for them (to persist). */
    public record Mapping(long[] utcNanos, List<Segment> created) {}

    private record BootKey(String rig, String boot) {}

    private static final class BootClock {
        final String rig;
        final String boot;
        final TreeMap<Long, Segment> segments = new TreeMap<>();
        long anchorNanos = Long.MIN_VALUE;
        ClockAligner aligner;
        FrameRate rate;
        /** Device time of the newest message accepted in this boot, and the collector's clock then. */
        long newestDeviceNanos = Long.MIN_VALUE;

        long newestAtNanos;
        /** Production time of the newest timecode report accepted in this boot, and the clock then. */
        long timecodeNanos = Long.MIN_VALUE;

        long timecodeDeviceNanos = Long.MIN_VALUE;
        long timecodeAtNanos;
        /**
         * Segments of this boot were restored before this process saw any of its timecode (a restart,
         * or a partition taken over from another collector): until this process's own fit is mature,
         * new segments extrapolate the newest earlier one rather than follow a young fit, so the
         * boot's timeline goes on where the previous mapper left it.
         */
        boolean inherited;

        BootClock(String rig, String boot) {
            this.rig = rig;
            this.boot = boot;
        }
    }

    private final Clock clock;
    private final AlignerOptions alignerOptions;
    private final Map<BootKey, BootClock> boots = new ConcurrentHashMap<>();
    private final Map<String, BootClock> currentBoot = new ConcurrentHashMap<>();
    private final Map<String, Long> latestNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> lastAlertNanos = new ConcurrentHashMap<>();

    public DeviceClocks(Clock clock, AlignerOptions alignerOptions) {
        this.clock = clock;
        this.alignerOptions = alignerOptions;
    }

    /** The state of a boot; it becomes the rig's current boot only once a message of it is accepted. */
    private BootClock boot(String rig, String boot) {
        return boots.computeIfAbsent(new BootKey(rig, boot), k -> new BootClock(rig, boot));
    }

    /**
     * Feeds a timecode report: the frame starting at {@code timecodeUtcNanos} began at
     * {@code deviceNanos} on the rig's clock. Returns the alerts it raised.
     *
     * @throws ImplausibleTimeException if its device time jumped ahead ({@link #MAX_DEVICE_LEAD}) or it
     *     puts the rig more than {@link #MAX_TIMECODE_AHEAD} ahead of the collector's clock; the report
     *     is then not used
     */
    public List<ClockAlert> timecode(String rig, String boot, long deviceNanos, long timecodeUtcNanos, FrameRate rate)
            throws ImplausibleTimeException {
        return timecode(rig, boot, new long[] {deviceNanos}, new long[] {timecodeUtcNanos}, rate);
    }

    /**
     * Feeds the frames of one timecode report (a batched report pairs several): frame {@code i},
     * starting at {@code timecodeUtcNanos[i]}, began at {@code deviceNanos[i]}; both ascending. The
     * report is checked whole before any frame of it is used, so it is used or refused whole.
     *
     * @throws ImplausibleTimeException as {@link #timecode(String, String, long, long, FrameRate)}, for
     *     any of its frames
     */
    public List<ClockAlert> timecode(
            String rig, String boot, long[] deviceNanos, long[] timecodeUtcNanos, FrameRate rate)
            throws ImplausibleTimeException {
        long now = nowNanos();
        BootClock state = boot(rig, boot);
        int last = deviceNanos.length - 1;
        List<ClockAlert> alerts = List.of();
        synchronized (state) {
            // The last frame has the latest device and production times of the report.
            checkDeviceLead(state, deviceNanos[last], now);
            long aheadNanos = saturatedSubtract(timecodeUtcNanos[last], now);
            if (aheadNanos > MAX_TIMECODE_AHEAD.toNanos()) {
                throw refused(
                        rig,
                        now,
                        aheadNanos,
                        "timecode report puts the rig " + describe(aheadNanos)
                                + " ahead of the collector's clock (at most " + MAX_TIMECODE_AHEAD.toHours()
                                + " h: its shooting date may be today, not later)");
            }
            if (state.aligner == null || state.rate != rate) {
                state.aligner = new ClockAligner(alignerOptions, rate);
                state.rate = rate;
            }
            alerts = state.aligner.observe(deviceNanos, timecodeUtcNanos, now);
            if (deviceNanos[last] > state.timecodeDeviceNanos) {
                state.timecodeDeviceNanos = deviceNanos[last];
                state.timecodeNanos = timecodeUtcNanos[last];
                state.timecodeAtNanos = now;
            }
            accepted(state, deviceNanos[last], now);
        }
        if (currentBoot.get(rig) != state) {
            currentBoot.put(rig, state); // a write only when the boot changed: this runs for every message
        }
        return alerts;
    }

    /**
     * Maps device times (ascending) of one message to production time.
     *
     * @throws ImplausibleTimeException if its device time jumped ahead ({@link #MAX_DEVICE_LEAD}) or it
     *     would be stored more than {@link #MAX_AHEAD} ahead of both the collector's clock and the
     *     rig's timecode; nothing of it is kept then
     */
    public Mapping map(String rig, String boot, long[] deviceNanos) throws ImplausibleTimeException {
        if (deviceNanos.length == 0) {
            return new Mapping(new long[0], List.of());
        }
        long now = nowNanos();
        BootClock state = boot(rig, boot);
        long[] utc = new long[deviceNanos.length];
        List<Segment> created = List.of();
        long lastDevice = deviceNanos[deviceNanos.length - 1];
        synchronized (state) {
            checkDeviceLead(state, lastDevice, now);
            long anchorBefore = state.anchorNanos;
            Segment segment = null;
            long newest = Long.MIN_VALUE;
            for (int i = 0; i < deviceNanos.length; i++) {
                if (segment == null || !segment.covers(deviceNanos[i])) {
                    Map.Entry<Long, Segment> before = state.segments.floorEntry(deviceNanos[i]);
                    segment = before != null && before.getValue().covers(deviceNanos[i]) ? before.getValue() : null;
                    if (segment == null) {
                        segment = newSegment(state, deviceNanos[i], lastDevice, now);
                        state.segments.put(segment.startDeviceNanos(), segment);
                        if (created.isEmpty()) {
                            created = new ArrayList<>(2);
                        }
                        created.add(segment);
                    }
                }
                utc[i] = segment.utcNanos(deviceNanos[i]);
                newest = Math.max(newest, utc[i]);
            }
            long aheadNanos = saturatedSubtract(newest, aheadReference(state, now));
            if (aheadNanos > MAX_AHEAD.toNanos()) {
                // Undo what this message made, so that it leaves no trace in the boot's timeline.
                for (Segment s : created) {
                    state.segments.remove(s.startDeviceNanos(), s);
                }
                state.anchorNanos = anchorBefore;
                throw refused(
                        rig,
                        now,
                        aheadNanos,
                        "it would be stored " + describe(aheadNanos) + " ahead of the collector's clock and the rig's "
                                + "timecode (at most " + MAX_AHEAD.toMinutes() + " min)");
            }
            accepted(state, lastDevice, now);
        }
        if (currentBoot.get(rig) != state) {
            currentBoot.put(rig, state); // a write only when the boot changed: this runs for every message
        }
        latestNanos.merge(rig, utc[utc.length - 1], Math::max);
        return new Mapping(utc, created);
    }

    /**
     * Refuses a message whose device time {@code deviceNanos} ran more than {@link #MAX_DEVICE_LEAD}
     * ahead of the collector's clock since the boot's previous message.
     */
    private void checkDeviceLead(BootClock state, long deviceNanos, long now) throws ImplausibleTimeException {
        if (state.newestDeviceNanos == Long.MIN_VALUE) {
            return;
        }
        long leadNanos =
                saturatedSubtract(saturatedSubtract(deviceNanos, state.newestDeviceNanos), now - state.newestAtNanos);
        if (leadNanos > MAX_DEVICE_LEAD.toNanos()) {
            throw refused(
                    state.rig,
                    now,
                    leadNanos,
                    "device time jumped " + describe(leadNanos) + " ahead of the collector's clock since the rig's "
                            + "previous message in boot " + state.boot + " (at most " + MAX_DEVICE_LEAD.toMinutes()
                            + " min)");
        }
    }

    /** The later of the collector's clock and the boot's timecode now (its newest report moved on). */
    private static long aheadReference(BootClock state, long now) {
        if (state.timecodeNanos == Long.MIN_VALUE) {
            return now;
        }
        return Math.max(now, state.timecodeNanos + (now - state.timecodeAtNanos));
    }

    private static void accepted(BootClock state, long deviceNanos, long now) {
        if (deviceNanos > state.newestDeviceNanos) {
            state.newestDeviceNanos = deviceNanos;
            state.newestAtNanos = now;
        }
    }

    /** The refusal, with an alert unless one was raised for the rig within the last minute. */
    private ImplausibleTimeException refused(String rig, long now, long aheadNanos, String why) {
        String message = why + ": message refused";
        boolean[] due = {false};
        lastAlertNanos.compute(rig, (r, last) -> {
            due[0] = last == null || now - last >= ALERT_INTERVAL_NANOS;
            return due[0] ? now : last;
        });
        List<ClockAlert> alerts = due[0]
                ? List.of(new ClockAlert(ClockAlert.Type.IMPLAUSIBLE_TIME, message, aheadNanos / 1e9))
                : List.of();
        return new ImplausibleTimeException(message, alerts);
    }

    private static String describe(long nanos) {
        double seconds = nanos / 1e9;
        double days = seconds / 86_400;
        if (days >= 730) {
            return String.format(Locale.ROOT, "%.0f s (%.1f years)", seconds, days / 365.25);
        }
        return days >= 2
                ? String.format(Locale.ROOT, "%.0f s (%.1f days)", seconds, days)
                : String.format(Locale.ROOT, "%.0f s", seconds);
    }

    /** {@code a - b}, clamped to the long range instead of wrapping. */
    private static long saturatedSubtract(long a, long b) {
        long r = a - b;
        // Overflow only if a and b have different signs and the result's sign differs from a's.
        if (((a ^ b) & (a ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /** A segment for {@code deviceNanos}, which no segment covers: on a 1 s grid, never overlapping. */
    private Segment newSegment(BootClock state, long deviceNanos, long lastDeviceNanos, long now) {
        long startDevice = Math.floorDiv(deviceNanos, YOUNG_SEGMENT_NANOS) * YOUNG_SEGMENT_NANOS;
        Map.Entry<Long, Segment> previousEntry = state.segments.lowerEntry(deviceNanos);
        if (previousEntry != null) {
            Segment p = previousEntry.getValue();
            startDevice = Math.max(startDevice, p.startDeviceNanos() + p.lengthNanos());
        }
        ClockAligner aligner = state.aligner;
        // Unlocked and young segments are short, so that the next one can follow a fit as soon as it
        // forms; only a fit spanning MATURE_SPAN_NANOS is trusted to extrapolate over a long one.
        boolean mature = aligner != null && aligner.hasFit() && aligner.fitSpanNanos() >= MATURE_SPAN_NANOS;
        long length = mature ? SEGMENT_NANOS : YOUNG_SEGMENT_NANOS;
        Long next = state.segments.higherKey(startDevice);
        if (next != null) {
            length = Math.min(length, next - startDevice);
        }
        boolean holdInherited = state.inherited && !mature && previousEntry != null;
        if (aligner != null && !holdInherited) {
            OptionalLong start = aligner.toProductionNanos(startDevice);
            if (start.isPresent()) {
                ClockState s = aligner.state();
                return new Segment(
                        state.rig,
                        state.boot,
                        startDevice,
                        length,
                        start.getAsLong(),
                        1 + s.driftPpm() * 1e-6,
                        s.lock(),
                        s.driftPpm(),
                        s.residualRmsNanos());
            }
        }
        if (previousEntry != null) {
            Segment previous = previousEntry.getValue();
            return new Segment(
                    state.rig,
                    state.boot,
                    startDevice,
                    length,
                    previous.utcNanos(startDevice),
                    previous.rate(),
                    LockState.HOLDOVER,
                    previous.driftPpm(),
                    previous.residualRmsNanos());
        }
        if (state.anchorNanos == Long.MIN_VALUE) {
            long fromNow = now - lastDeviceNanos;
            Long latest = latestNanos.get(state.rig);
            // After the rig's newest sample, unless that lies far ahead of the collector's clock:
            // a new boot must not inherit a poisoned timeline (MAX_ANCHOR_LEAD).
            boolean follow = latest != null && latest - now <= MAX_ANCHOR_LEAD.toNanos();
            state.anchorNanos = follow ? Math.max(fromNow, latest + MIN_STEP_NANOS - startDevice) : fromNow;
        }
        return new Segment(
                state.rig,
                state.boot,
                startDevice,
                length,
                state.anchorNanos + startDevice,
                1.0,
                LockState.UNLOCKED,
                0,
                0);
    }

    /** Loss-of-timecode detection; call about once a second. Returns alerts per rig. */
    public Map<String, List<ClockAlert>> tick() {
        long now = nowNanos();
        Map<String, List<ClockAlert>> alerts = new TreeMap<>();
        for (BootClock state : currentBoot.values()) {
            synchronized (state) {
                if (state.aligner != null) {
                    List<ClockAlert> raised = state.aligner.tick(now);
                    if (!raised.isEmpty()) {
                        alerts.put(state.rig, raised);
                    }
                }
            }
        }
        return alerts;
    }

    /** The clock state of every rig's current boot. */
    public List<RigClockState> states() {
        List<RigClockState> states = new ArrayList<>();
        for (BootClock state : currentBoot.values()) {
            synchronized (state) {
                ClockState clockState = state.aligner == null
                        ? new ClockState(LockState.UNLOCKED, 0, 0, 0, 0, 0)
                        : state.aligner.state();
                states.add(new RigClockState(state.rig, state.boot, clockState, Optional.ofNullable(state.rate)));
            }
        }
        states.sort(java.util.Comparator.comparing(RigClockState::rig));
        return states;
    }

    /**
     * The lock state of {@code rig}'s current boot: {@link LockState#UNLOCKED} for a rig without a
     * timecode report in this boot (or not known at all). Cheap enough for every report.
     */
    public LockState lock(String rig) {
        BootClock state = currentBoot.get(rig);
        if (state == null) {
            return LockState.UNLOCKED;
        }
        synchronized (state) {
            return state.aligner == null ? LockState.UNLOCKED : state.aligner.lock();
        }
    }

    /**
     * Restores a persisted segment (from storage or the spool, at start or later while storage was
     * away). One that overlaps a segment already held, made since start, is skipped: that one has
     * mapped samples already.
     *
     * @return true if it was restored
     */
    public boolean restore(Segment segment) {
        BootClock state = boots.computeIfAbsent(
                new BootKey(segment.rig(), segment.boot()), k -> new BootClock(segment.rig(), segment.boot()));
        synchronized (state) {
            // Held segments never overlap each other, so the last one starting before this one's end
            // is the only one that can overlap it.
            Map.Entry<Long, Segment> before =
                    state.segments.floorEntry(segment.startDeviceNanos() + segment.lengthNanos() - 1);
            if (before != null && before.getKey() + before.getValue().lengthNanos() > segment.startDeviceNanos()) {
                return false;
            }
            state.segments.put(segment.startDeviceNanos(), segment);
            if (state.aligner == null) {
                state.inherited = true;
            }
            return true;
        }
    }

    /**
     * Forgets the segments that ended before {@code utcNanos} on the production timeline, and the
     * boots left without any but each rig's current one, so that a collector running for a whole
     * shoot holds only its recent days. A batch re-sent from before then is mapped afresh.
     *
     * @return how many segments were forgotten
     */
    public int evictBefore(long utcNanos) {
        int forgotten = 0;
        for (Map.Entry<BootKey, BootClock> entry : boots.entrySet()) {
            BootClock state = entry.getValue();
            synchronized (state) {
                int before = state.segments.size();
                state.segments.values().removeIf(s -> s.utcNanos(s.startDeviceNanos() + s.lengthNanos()) < utcNanos);
                forgotten += before - state.segments.size();
                if (state.segments.isEmpty() && currentBoot.get(state.rig) != state) {
                    boots.remove(entry.getKey(), state);
                }
            }
        }
        return forgotten;
    }

    /**
     * Restores the newest stored sample time of a rig (at start, from storage), unless it lies more
     * than {@link #MAX_ANCHOR_LEAD} ahead of the collector's clock: a new boot is never anchored after
     * that (a sample stored far ahead before such samples were refused, say).
     *
     * @return false if it was ignored for that
     */
    public boolean restoreLatest(String rig, long utcNanos) {
        if (utcNanos - nowNanos() > MAX_ANCHOR_LEAD.toNanos()) {
            return false;
        }
        latestNanos.merge(rig, utcNanos, Math::max);
        return true;
    }

    public int segmentCount() {
        return boots.values().stream().mapToInt(b -> b.segments.size()).sum();
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
