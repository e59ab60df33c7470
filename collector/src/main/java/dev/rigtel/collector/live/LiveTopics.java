package dev.rigtel.collector.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.rigtel.collector.ingest.IngestEvents;
import dev.rigtel.collector.ingest.RigStatus;
import dev.rigtel.collector.ingest.TraceBins;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.live.json.LiveAlertJson;
import dev.rigtel.collector.live.json.LiveEventJson;
import dev.rigtel.collector.live.json.LiveMotionJson;
import dev.rigtel.collector.live.json.LiveStateJson;
import dev.rigtel.collector.live.json.LiveTakeJson;
import dev.rigtel.collector.live.json.LiveTraceJson;
import dev.rigtel.collector.motion.MotionEvent;
import dev.rigtel.collector.motion.Rollup;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeBook;
import dev.rigtel.collector.timecode.ClockAlert;
import dev.rigtel.collector.timecode.LockState;
import dev.rigtel.common.log.RateLimitedLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live topics of contract v1 (firmware-notes/live-topics.md): what rigtel derives, as JSON on
 * MQTT topics that any client on set can follow without InfluxDB. Encodes with the process's one
 * mapper and hands each message to a {@link LiveOutlet}; with {@link LiveOutlet#NONE} it encodes
 * nothing. Field names are snake_case ({@code time_nanos}, {@code timecode_lock}), like the rig
 * topics and the HTTP API: the {@code Live*Json} records name them so.
 *
 * <ul>
 *   <li>{@code rigtel/v1/live/{rig}/state}, QoS 1, retained: online, last status, timecode lock,
 *       rolling take, wearer. Published at once when online, lock, take or wearer change; a status
 *       report alone publishes at most once per {@link #STATE_INTERVAL} per rig, and {@link #tick}
 *       publishes one that had to wait.
 *   <li>{@code rigtel/v1/live/{rig}/motion}, QoS 0: one per closed UTC second of the rig's stream,
 *       at most one a second on average per rig (a token bucket of {@link #MOTION_BURST}).
 *   <li>{@code rigtel/v1/live/{rig}/trace}, QoS 0: the rig's samples in 20 ms bins (peak g, mean
 *       yaw rate) for live plots, right after a batch was accepted, at most one every {@link
 *       dev.rigtel.collector.ingest.MotionTracker#TRACE_INTERVAL_MILLIS} ms per rig; not made while
 *       nobody subscribes to it ({@link LiveOutlet#wanted}).
 *   <li>{@code rigtel/v1/live/{rig}/event}, QoS 1: each motion event.
 *   <li>{@code rigtel/v1/live/{rig}/alert}, QoS 1: each clock alert, and each snooze of impact alerts
 *       until cut ({@code {rig}} is {@code *} for every rig).
 *   <li>{@code rigtel/v1/live/takes}, QoS 1, retained: a take started or ended.
 * </ul>
 *
 * <p>Thread-safe: each rig's live state is guarded by its own lock, held while its messages are
 * encoded and handed on, so that a rig's messages leave in the order they were made and the last
 * retained state is the newest. The take messages are guarded by one lock, taken before any rig's.
 * Nothing here blocks; a failure to encode or publish is logged (once a minute) and never reaches
 * the ingest path.
 */
public final class LiveTopics implements IngestEvents {

    private static final Logger log = LoggerFactory.getLogger(LiveTopics.class);

    /** Contract version, the {@code v} of every payload and the {@code v1} of every topic. */
    public static final int VERSION = 1;

    /** Every live topic starts with this. */
    public static final String PREFIX = "rigtel/v1/live/";

    /** The retained latest take event. */
    public static final String TAKES_TOPIC = PREFIX + "takes";
    /** The type of the alert that tells of a snooze until cut (no clock alert). */
    public static final String SNOOZE_ALERT = "snooze-until-cut";

    /** Least time between two state messages of a rig that only a status report changed. */
    public static final Duration STATE_INTERVAL = Duration.ofSeconds(1);

    /**
     * Motion messages a rig may send back to back. One message a second refills it, so the long-run
     * rate is at most one a second; 2 rather than 1 so that a rollup that arrives a little early
     * (batches jitter) is not dropped, while a backlog re-sent after a reconnect (many closed seconds
     * at once, all stored anyway) yields only a couple.
     */
    public static final int MOTION_BURST = 2;

    private static final int QOS_0 = 0;
    private static final int QOS_1 = 1;
    private static final long STATE_INTERVAL_NANOS = STATE_INTERVAL.toNanos();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NEVER = Long.MIN_VALUE;

    /** One rig's live state; guarded by itself. */
    private static final class RigLive {
        final String rig;
        final String stateTopic;
        final String motionTopic;
        final String traceTopic;
        final String eventTopic;
        final String alertTopic;
        /** True once the transport told of a connection: from then on only it makes a rig online. */
        boolean tracked;

        int connections;
        boolean online;
        long sinceNanos;
        RigStatus status;
        long statusNanos;
        LockState lock = LockState.UNLOCKED;
        /** Take id and wearer of the last state message, to tell when they change. */
        String publishedTakeId;

        String publishedWearer;
        long statePublishedNanos = NEVER;
        boolean statePending;
        double motionTokens = MOTION_BURST;
        long motionRefilledNanos = NEVER;

        RigLive(String rig, long sinceNanos) {
            this.rig = rig;
            this.sinceNanos = sinceNanos;
            this.stateTopic = PREFIX + rig + "/state";
            this.motionTopic = PREFIX + rig + "/motion";
            this.traceTopic = PREFIX + rig + "/trace";
            this.eventTopic = PREFIX + rig + "/event";
            this.alertTopic = PREFIX + rig + "/alert";
        }
    }

    private final LiveOutlet outlet;
    private final boolean enabled;
    private final TakeBook takes;
    private final Clock clock;
    private final ObjectWriter stateWriter;
    private final ObjectWriter motionWriter;
    private final ObjectWriter traceWriter;
    private final ObjectWriter eventWriter;
    private final ObjectWriter alertWriter;
    private final ObjectWriter takeWriter;
    private final RateLimitedLog failures;
    private final Map<String, RigLive> rigs = new ConcurrentHashMap<>();

    private final Object takeLock = new Object();
    /** The take of the last take message; guarded by {@link #takeLock}. */
    private Take publishedTake;

    /**
     * @param outlet where messages go; {@link LiveOutlet#NONE} turns live topics off
     * @param wire the process's one mapper
     * @param takes the take book the ingest path fills, read for the rolling take and wearers
     * @param clock the collector's clock: {@code since}, {@code time} of states and alerts, rate limits
     */
    public LiveTopics(LiveOutlet outlet, WireMapper wire, TakeBook takes, Clock clock) {
        this.outlet = outlet;
        this.enabled = outlet != LiveOutlet.NONE;
        this.takes = takes;
        this.clock = clock;
        this.stateWriter = wire.mapper().writerFor(LiveStateJson.class);
        this.motionWriter = wire.mapper().writerFor(LiveMotionJson.class);
        this.traceWriter = wire.mapper().writerFor(LiveTraceJson.class);
        this.eventWriter = wire.mapper().writerFor(LiveEventJson.class);
        this.alertWriter = wire.mapper().writerFor(LiveAlertJson.class);
        this.takeWriter = wire.mapper().writerFor(LiveTakeJson.class);
        this.failures = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
    }

    /** A connection of {@code rig} opened: online (if it was not) and its state published. */
    @Override
    public void connected(String rig) {
        if (!enabled) {
            return;
        }
        RigLive r = rig(rig);
        synchronized (r) {
            r.tracked = true;
            r.connections++;
            if (!r.online) {
                r.online = true;
                r.sinceNanos = nowNanos();
                publishState(r, true);
            }
        }
    }

    /**
     * A connection of {@code rig} closed: offline once its last connection closed (a session
     * taken over by a new connection closes the old one after the new one opened).
     */
    @Override
    public void disconnected(String rig) {
        if (!enabled) {
            return;
        }
        RigLive r = rig(rig);
        synchronized (r) {
            r.tracked = true;
            r.connections = Math.max(0, r.connections - 1);
            if (r.connections == 0 && r.online) {
                r.online = false;
                r.sinceNanos = nowNanos();
                publishState(r, true);
            }
        }
    }

    /**
     * A message of {@code rig} arrived. Until the transport reports connections ({@link
     * #connected}), a rig that sends is online.
     */
    @Override
    public void seen(String rig) {
        if (!enabled) {
            return;
        }
        RigLive r = rig(rig);
        synchronized (r) {
            if (!r.tracked && !r.online) {
                r.online = true;
                r.sinceNanos = nowNanos();
                publishState(r, true);
            }
        }
    }

    /** A status report, stored at {@code utcNanos}: the state, at most once per {@link #STATE_INTERVAL}. */
    @Override
    public void status(RigStatus status, long utcNanos) {
        if (!enabled) {
            return;
        }
        RigLive r = rig(status.rig().value());
        synchronized (r) {
            r.status = status;
            r.statusNanos = utcNanos;
            publishState(r, false);
        }
    }

    /** The rig's current timecode lock; the state is published if it changed. */
    @Override
    public void lock(String rig, LockState lock) {
        if (!enabled) {
            return;
        }
        RigLive r = rig(rig);
        synchronized (r) {
            if (r.lock != lock) {
                r.lock = lock;
                publishState(r, true);
            }
        }
    }

    /** A clock alert raised at {@code atNanos} (the collector's clock). */
    @Override
    public void alert(String rig, ClockAlert alert, long atNanos) {
        if (!enabled) {
            return;
        }
        double value = alert.value();
        Double jumpFrames = alert.type() == ClockAlert.Type.TIMECODE_JUMP ? finite(value) : null;
        Double driftPpm = alert.type() == ClockAlert.Type.DRIFT ? finite(value) : null;
        Double aheadSeconds = alert.type() == ClockAlert.Type.IMPLAUSIBLE_TIME ? finite(value) : null;
        Double silenceSeconds = jumpFrames == null && driftPpm == null && aheadSeconds == null ? finite(value) : null;
        RigLive r = rig(rig);
        synchronized (r) {
            publish(
                    r.alertTopic,
                    alertWriter,
                    new LiveAlertJson(
                            VERSION,
                            rig,
                            alert.type().tag(),
                            alert.message(),
                            iso(atNanos),
                            atNanos,
                            jumpFrames,
                            silenceSeconds,
                            driftPpm,
                            aheadSeconds),
                    QOS_1,
                    false);
        }
    }

    /** Impact alerts snoozed until the rolling take is cut: on {@code rigtel/v1/live/{rig}/alert}. */
    @Override
    public void snooze(SlateEvent.Snooze snooze) {
        if (!enabled) {
            return;
        }
        long atNanos = clock.millis() * 1_000_000L;
        Optional<Take> rolling = takes.rolling();
        String what = snooze.rig().equals(SlateEvent.Snooze.ALL_RIGS) ? "every rig" : snooze.rig();
        publish(
                PREFIX + snooze.rig() + "/alert",
                alertWriter,
                new LiveAlertJson(
                        VERSION,
                        snooze.rig(),
                        SNOOZE_ALERT,
                        "impact alerts of " + what + " snoozed until "
                                + rolling.map(t -> t.name() + " is cut").orElse("the next cut"),
                        iso(atNanos),
                        atNanos,
                        null,
                        null,
                        null,
                        null,
                        rolling.map(Take::id).orElse(null)),
                QOS_1,
                false);
    }

    /**
     * A closed second of the rig's stream, with the low-passed yaw rate at the sample that closed it.
     * Dropped when the rig has used up its {@link #MOTION_BURST}: it is stored all the same.
     */
    @Override
    public void rollup(String rig, Rollup rollup, double yawRateDps) {
        if (!enabled) {
            return;
        }
        RigLive r = rig(rig);
        synchronized (r) {
            long now = nowNanos();
            if (r.motionRefilledNanos != NEVER) {
                double refill = (double) (now - r.motionRefilledNanos) / NANOS_PER_SECOND;
                r.motionTokens = Math.min(MOTION_BURST, r.motionTokens + Math.max(0, refill));
            }
            r.motionRefilledNanos = now;
            if (r.motionTokens < 1) {
                return;
            }
            r.motionTokens -= 1;
            publish(
                    r.motionTopic,
                    motionWriter,
                    new LiveMotionJson(
                            VERSION,
                            rig,
                            iso(rollup.secondStartNanos()),
                            rollup.secondStartNanos(),
                            rollup.accelPeakG(),
                            rollup.accelRmsG(),
                            rollup.gyroPeakDps(),
                            rollup.gyroRmsDps(),
                            yawRateDps,
                            rollup.samples(),
                            rollup.expectedSamples(),
                            rollup.gaps()),
                    QOS_0,
                    false);
        }
    }

    /** False with {@link LiveOutlet#NONE}: nothing is published, so nothing need be prepared. */
    @Override
    public boolean enabled() {
        return enabled;
    }

    /**
     * A rig's new samples in 20 ms bins, right after a batch was accepted (the motion tracker sends
     * at most one every {@link dev.rigtel.collector.ingest.MotionTracker#TRACE_INTERVAL_MILLIS} ms
     * per rig, with the bins of the batches since the last); not retained.
     *
     * @param receivedMillis when the newest of those batches arrived, collector clock
     */
    @Override
    public void trace(String rig, long receivedMillis, TraceBins bins) {
        if (!enabled) {
            return;
        }
        RigLive r = rig(rig);
        if (!outlet.wanted(r.traceTopic)) {
            return;
        }
        LiveTraceJson json =
                new LiveTraceJson(VERSION, rig, receivedMillis, bins.starts(), bins.peakG(), bins.meanYawRateDps());
        synchronized (r) {
            publish(r.traceTopic, traceWriter, json, QOS_0, false);
        }
    }

    /** A completed motion event; the fields that do not apply to its type are null. */
    @Override
    public void event(String rig, MotionEvent e) {
        if (!enabled) {
            return;
        }
        MotionEvent.Type type = e.type();
        boolean turn = type == MotionEvent.Type.HEAD_TURN || type == MotionEvent.Type.WHIP_PAN;
        boolean clipping = type == MotionEvent.Type.CLIPPING;
        boolean accelAxis = clipping && e.axis().startsWith("a");
        LiveEventJson json = new LiveEventJson(
                VERSION,
                rig,
                type.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                iso(e.onsetNanos()),
                e.onsetNanos(),
                iso(e.endNanos()),
                e.endNanos(),
                type == MotionEvent.Type.IMPACT ? finite(e.peak()) : null,
                type == MotionEvent.Type.IMPACT ? finite(e.hic15()) : null,
                turn ? finite(e.peak()) : null,
                turn ? finite(e.angleDeg()) : null,
                turn ? e.direction() : null,
                clipping ? e.axis() : null,
                accelAxis ? finite(e.peak()) : null,
                clipping && !accelAxis ? finite(e.peak()) : null,
                type == MotionEvent.Type.DROPOUT ? e.missingSamples() : null);
        RigLive r = rig(rig);
        synchronized (r) {
            publish(r.eventTopic, eventWriter, json, QOS_1, false);
        }
    }

    /**
     * The take book changed (a slate event): publishes the take that started or ended, if one did,
     * and the state of every rig whose rolling take or wearer changed.
     */
    @Override
    public void takesChanged() {
        if (!enabled) {
            return;
        }
        synchronized (takeLock) {
            publishTakes();
        }
        for (RigLive r : rigs.values()) {
            synchronized (r) {
                if (!sameTakeAndWearer(r)) {
                    publishState(r, true);
                }
            }
        }
    }

    /**
     * Call about once a second: publishes a state that waited for {@link #STATE_INTERVAL}, and one
     * whose lock changed with time alone (timecode lost); and at the first call, the latest take of
     * a book restored from storage.
     *
     * @param locks the current lock state of a rig
     */
    @Override
    public void tick(Function<String, LockState> locks) {
        if (!enabled) {
            return;
        }
        synchronized (takeLock) {
            if (publishedTake == null) {
                publishTakes();
            }
        }
        long now = nowNanos();
        for (RigLive r : rigs.values()) {
            LockState lock = locks.apply(r.rig);
            synchronized (r) {
                if (r.lock != lock) {
                    r.lock = lock;
                    publishState(r, true);
                } else if (r.statePending && now - r.statePublishedNanos >= STATE_INTERVAL_NANOS) {
                    publishState(r, true);
                }
            }
        }
    }

    private RigLive rig(String rig) {
        RigLive r = rigs.get(rig);
        return r != null ? r : rigs.computeIfAbsent(rig, k -> new RigLive(k, nowNanos()));
    }

    /** Publishes the state of {@code r} now, or (not forced, too soon) marks it pending. Hold r's lock. */
    private void publishState(RigLive r, boolean force) {
        long now = nowNanos();
        if (!force && r.statePublishedNanos != NEVER && now - r.statePublishedNanos < STATE_INTERVAL_NANOS) {
            r.statePending = true;
            return;
        }
        Optional<Take> rolling = takes.rolling();
        String wearer = takes.wearerAt(r.rig, Long.MAX_VALUE).orElse(null);
        r.publishedTakeId = rolling.map(Take::id).orElse(null);
        r.publishedWearer = wearer;
        r.statePublishedNanos = now;
        r.statePending = false;
        LiveStateJson json = new LiveStateJson(
                VERSION,
                r.rig,
                iso(now),
                now,
                r.online,
                iso(r.sinceNanos),
                r.sinceNanos,
                r.lock.name().toLowerCase(Locale.ROOT),
                r.status == null ? null : statusJson(r.status, r.statusNanos),
                rolling.map(LiveTopics::takeRef).orElse(null),
                wearer);
        publish(r.stateTopic, stateWriter, json, QOS_1, true);
    }

    /** True if the rolling take and the wearer are those of r's last state message. Hold r's lock. */
    private boolean sameTakeAndWearer(RigLive r) {
        if (r.statePublishedNanos == NEVER) {
            return true; // nothing published yet: its first state will carry both
        }
        String takeId = takes.rolling().map(Take::id).orElse(null);
        String wearer = takes.wearerAt(r.rig, Long.MAX_VALUE).orElse(null);
        return Objects.equals(takeId, r.publishedTakeId) && Objects.equals(wearer, r.publishedWearer);
    }

    /**
     * Publishes the latest take if it started or ended since the last take message; first the end of
     * the take that message announced, if a roll ended it without a cut. Hold {@link #takeLock}.
     */
    private void publishTakes() {
        Optional<Take> latest = takes.latest();
        if (latest.isEmpty()) {
            return;
        }
        Take take = latest.get();
        Take previous = publishedTake;
        if (previous != null && previous.rolling() && !previous.id().equals(take.id())) {
            takes.take(previous.id()).filter(t -> !t.rolling()).ifPresent(this::publishTake);
        }
        if (previous == null
                || !previous.id().equals(take.id())
                || previous.rolling() != take.rolling()
                || !previous.endNanos().equals(take.endNanos())) {
            publishTake(take);
        }
    }

    private void publishTake(Take take) {
        publishedTake = take;
        List<String> online = new ArrayList<>();
        for (RigLive r : rigs.values()) {
            synchronized (r) {
                if (r.online) {
                    online.add(r.rig);
                }
            }
        }
        online.sort(null);
        TreeSet<LiveTakeJson.Wearer> wearers = new TreeSet<>(
                Comparator.comparing(LiveTakeJson.Wearer::rig).thenComparing(LiveTakeJson.Wearer::person));
        for (Take.Wearing w : take.wearers()) {
            wearers.add(new LiveTakeJson.Wearer(w.rig(), w.person()));
        }
        LiveTakeJson json = new LiveTakeJson(
                VERSION,
                take.rolling() ? "started" : "ended",
                take.id(),
                take.name(),
                take.date().toString(),
                take.scene(),
                take.shot(),
                take.take(),
                take.cameraRoll().isEmpty() ? null : take.cameraRoll(),
                take.rate(),
                iso(take.startNanos()),
                take.startNanos(),
                take.startLabel(),
                take.rolling() ? null : iso(take.endNanos().getAsLong()),
                take.rolling() ? null : take.endNanos().getAsLong(),
                take.endLabel().orElse(null),
                take.closedByNextRoll(),
                List.copyOf(online),
                List.copyOf(wearers),
                take.stunt());
        publish(TAKES_TOPIC, takeWriter, json, QOS_1, true);
    }

    private static LiveStateJson.Status statusJson(RigStatus s, long utcNanos) {
        return new LiveStateJson.Status(
                iso(utcNanos),
                utcNanos,
                s.boot(),
                s.batteryPercent().isPresent() ? s.batteryPercent().getAsDouble() : null,
                s.batteryVolts().isPresent() ? s.batteryVolts().getAsDouble() : null,
                s.temperatureCelsius().isPresent() ? s.temperatureCelsius().getAsDouble() : null,
                s.wifiRssiDbm().isPresent() ? s.wifiRssiDbm().getAsInt() : null,
                s.recording().orElse(null),
                s.imuRateHz().isPresent() ? s.imuRateHz().getAsDouble() : null,
                s.accelRangeG().isPresent() ? s.accelRangeG().getAsInt() : null,
                s.gyroRangeDps().isPresent() ? s.gyroRangeDps().getAsInt() : null,
                s.firmware().orElse(null));
    }

    private static LiveStateJson.TakeRef takeRef(Take take) {
        return new LiveStateJson.TakeRef(
                take.id(),
                take.name(),
                take.scene(),
                take.shot(),
                take.take(),
                iso(take.startNanos()),
                take.startNanos());
    }

    private void publish(String topic, ObjectWriter writer, Object json, int qos, boolean retain) {
        byte[] payload;
        try {
            payload = writer.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            failures.warn("encode/" + json.getClass().getSimpleName(), "could not encode {}: {}", topic, e.toString());
            return;
        }
        try {
            outlet.publish(topic, payload, qos, retain);
        } catch (RuntimeException e) {
            // The broker's problem must not become the rig's: its data is stored all the same.
            failures.warn("publish", "live outlet failed on {}: {}", topic, e.toString());
        }
    }

    /** JSON has no NaN or Infinity: such a figure is null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** ISO-8601 UTC, e.g. {@code 2026-11-21T14:03:27.040Z}. */
    static String iso(long utcNanos) {
        return Instant.ofEpochSecond(
                        Math.floorDiv(utcNanos, NANOS_PER_SECOND), Math.floorMod(utcNanos, NANOS_PER_SECOND))
                .toString();
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
    }
}
