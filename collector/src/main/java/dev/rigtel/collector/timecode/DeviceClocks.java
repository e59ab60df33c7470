package dev.rigtel.collector.timecode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * the boot starts after the rig's newest stored sample.
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

    public DeviceClocks(Clock clock, AlignerOptions alignerOptions) {
        this.clock = clock;
        this.alignerOptions = alignerOptions;
    }

    private BootClock boot(String rig, String boot) {
        BootClock state = boots.computeIfAbsent(new BootKey(rig, boot), k -> new BootClock(rig, boot));
        currentBoot.put(rig, state);
        return state;
    }

    /**
     * Feeds a timecode report: the frame starting at {@code timecodeUtcNanos} began at
     * {@code deviceNanos} on the rig's clock. Returns the alerts it raised.
     */
    public List<ClockAlert> timecode(String rig, String boot, long deviceNanos, long timecodeUtcNanos, FrameRate rate) {
        BootClock state = boot(rig, boot);
        synchronized (state) {
            if (state.aligner == null || state.rate != rate) {
                state.aligner = new ClockAligner(alignerOptions, rate);
                state.rate = rate;
            }
            return state.aligner.observe(deviceNanos, timecodeUtcNanos, nowNanos());
        }
    }

    /** Maps device times (ascending) of one message to production time. */
    public Mapping map(String rig, String boot, long[] deviceNanos) {
        BootClock state = boot(rig, boot);
        long[] utc = new long[deviceNanos.length];
        List<Segment> created = List.of();
        synchronized (state) {
            Segment segment = null;
            for (int i = 0; i < deviceNanos.length; i++) {
                if (segment == null || !segment.covers(deviceNanos[i])) {
                    Map.Entry<Long, Segment> before = state.segments.floorEntry(deviceNanos[i]);
                    segment = before != null && before.getValue().covers(deviceNanos[i]) ? before.getValue() : null;
                    if (segment == null) {
                        segment = newSegment(state, deviceNanos[i], deviceNanos[deviceNanos.length - 1]);
                        state.segments.put(segment.startDeviceNanos(), segment);
                        if (created.isEmpty()) {
                            created = new ArrayList<>(2);
                        }
                        created.add(segment);
                    }
                }
                utc[i] = segment.utcNanos(deviceNanos[i]);
            }
        }
        if (utc.length > 0) {
            latestNanos.merge(rig, utc[utc.length - 1], Math::max);
        }
        return new Mapping(utc, created);
    }

    /** A segment for {@code deviceNanos}, which no segment covers: on a 1 s grid, never overlapping. */
    private Segment newSegment(BootClock state, long deviceNanos, long lastDeviceNanos) {
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
        if (aligner != null) {
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
            long fromNow = nowNanos() - lastDeviceNanos;
            Long latest = latestNanos.get(state.rig);
            state.anchorNanos = latest == null ? fromNow : Math.max(fromNow, latest + MIN_STEP_NANOS - startDevice);
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

    /** Restores the newest stored sample time of a rig (at start, from storage). */
    public void restoreLatest(String rig, long utcNanos) {
        latestNanos.merge(rig, utcNanos, Math::max);
    }

    public int segmentCount() {
        return boots.values().stream().mapToInt(b -> b.segments.size()).sum();
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
