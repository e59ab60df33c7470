package dev.rigtel.collector.imports;

import dev.rigtel.collector.ingest.MotionPoints;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.MotionEvent;
import dev.rigtel.collector.motion.MotionSink;
import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.motion.Rollup;
import dev.rigtel.collector.motion.TakeSummarizer;
import dev.rigtel.collector.store.ImportClipPoint;
import dev.rigtel.collector.store.PointBatch;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.store.StoreWrites;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeHistory;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Imports a camera's own IMU telemetry (GoPro GPMF, extracted by {@code ./rigtel import} where the
 * files are) onto a rig, in batches of a clip's samples sent in order.
 *
 * <p>Each batch is stored through the write port with the tag {@code source=gopro} (IMU samples,
 * rollups, motion events; live points have no such tag, which means {@code rig}) and runs through the
 * same analytics as live data: one {@link RigMotion} per clip, configured with the camera's ranges so
 * clipping is flagged where the camera clips, and a {@link TakeSummarizer} per take the clip's samples
 * fall in (the take from the take book, by production time). On the last batch the analytics finish
 * and each take's summary is stored ({@code take_summary}, field {@code source} {@code gopro}) unless
 * the rig already has a summary of its own for that take, which is kept; and per take an {@code
 * import_clip} point records the clip (camera, serial, file, {@code tmcd} start, its samples there),
 * which {@code GET /api/takes/{id}/clips} lists.
 *
 * <p>{@link #accept} returns only once the batch is durable in the spool, like a QoS 1 PUBACK.
 * Points carry their own production times, so a batch sent again overwrites itself. Progress per
 * clip is held in memory ({@link #progress}): an interrupted import resumes from the sample the
 * collector has; after a collector restart (or a failure to make a batch durable) the clip is
 * unknown again and is re-sent from its start, idempotently.
 *
 * <p>Thread-safe: one lock per clip.
 */
public final class ImportService {

    /** The value of the {@code source} tag of imported points. */
    public static final String SOURCE = "gopro";

    /** Most samples in one batch. */
    public static final int MAX_SAMPLES = 20_000;

    /** Clips whose progress is held; the least recently used beyond are forgotten (re-sent whole). */
    static final int MAX_CLIPS = 256;

    private static final long STORE_WAIT_SECONDS = 10;
    private static final Pattern CLIP_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** One take a clip's samples fell in: its wearer on the rig, samples, whether its summary was stored. */
    public record TakeShare(String takeId, String name, String wearer, long samples, String summary) {}

    /**
     * How far the collector has a clip.
     *
     * @param samples samples durable so far, the index the next batch starts at
     * @param complete the last batch was stored
     */
    public record Progress(
            String clip,
            String rig,
            String cameraModel,
            String cameraSerial,
            long samples,
            boolean complete,
            List<TakeShare> takes) {}

    private final class TakeRun {
        final Take take;
        final TakeSummarizer summarizer;
        final String wearer;
        long samples;
        long firstNanos;
        long lastNanos;
        String summary = "pending";

        TakeRun(Take take, TakeSummarizer summarizer, String wearer) {
            this.take = take;
            this.summarizer = summarizer;
            this.wearer = wearer;
        }
    }

    private final class Clip implements MotionSink {
        final String id;
        final String rig;
        final String cameraModel;
        final String cameraSerial;
        final String clipName;
        final String timecode;
        final MotionConfig config;
        final RigMotion motion;
        final Map<String, TakeRun> takes = new LinkedHashMap<>();
        final Map<LocalDate, List<Take>> days = new HashMap<>();
        TakeRun current;
        long received;
        long lastNanos = Long.MIN_VALUE;
        boolean complete;
        /** The batch being filled, while one is. */
        PointBatch points;

        Clip(ClipBatch b) {
            this.id = b.clip();
            this.rig = b.rig();
            this.cameraModel = b.cameraModel();
            this.cameraSerial = b.cameraSerial();
            this.clipName = b.clipName();
            this.timecode = b.timecode();
            this.config = motionConfig.toBuilder()
                    .accelFullScaleG(b.accelFullScaleG())
                    .gyroFullScaleDps(b.gyroFullScaleDps())
                    .build();
            this.motion = new RigMotion(config);
        }

        @Override
        public void rollup(Rollup r) {
            points.rollup(MotionPoints.rollup(rig, r));
        }

        @Override
        public void event(MotionEvent e) {
            points.motionEvent(MotionPoints.event(rig, e));
        }

        TakeRun takeAt(long utcNanos) {
            if (current != null && covers(current.take, utcNanos)) {
                return current;
            }
            LocalDate date = LocalDate.ofInstant(Instant.ofEpochSecond(0, utcNanos), zone);
            for (LocalDate day : List.of(date, date.minusDays(1))) {
                for (Take take : days.computeIfAbsent(day, history::takesOn)) {
                    if (covers(take, utcNanos)) {
                        current = takes.computeIfAbsent(
                                take.id(),
                                id -> new TakeRun(
                                        take,
                                        new TakeSummarizer(config),
                                        history.wearerAt(rig, utcNanos).orElse(null)));
                        return current;
                    }
                }
            }
            current = null;
            return null;
        }

        Progress progress() {
            List<TakeShare> shares = new ArrayList<>();
            for (TakeRun run : takes.values()) {
                shares.add(new TakeShare(run.take.id(), run.take.name(), run.wearer, run.samples, run.summary));
            }
            return new Progress(id, rig, cameraModel, cameraSerial, received, complete, List.copyOf(shares));
        }
    }

    private final StoreWrites writes;
    private final StoreReads reads;
    private final TakeHistory history;
    private final MotionConfig motionConfig;
    private final ZoneId zone;
    private final Map<String, Clip> clips = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Clip> eldest) {
            return size() > MAX_CLIPS;
        }
    };

    /**
     * @param motionConfig the collector's thresholds; each clip's ranges replace its full scales
     * @param zone the zone of the production timeline ({@code --timezone}), where the days of takes turn
     */
    public ImportService(
            StoreWrites writes, StoreReads reads, TakeHistory history, MotionConfig motionConfig, ZoneId zone) {
        this.writes = writes;
        this.reads = reads;
        this.history = history;
        this.motionConfig = motionConfig;
        this.zone = zone;
    }

    /** The zone of the production timeline: a client turns timecode into UTC in it. */
    public ZoneId zone() {
        return zone;
    }

    /** Longest window of a rig's gyro one {@link #rigGyro} read serves. */
    public static final long MAX_GYRO_WINDOW_NANOS = 15 * 60 * 1_000_000_000L;

    /** Bins per second of {@link #rigGyro}. */
    public static final int GYRO_RATE_HZ = 100;

    /**
     * A rig's gyro magnitude, decimated: bin {@code i} covers {@code [startNanos + i * 10 ms,
     * startNanos + (i + 1) * 10 ms)} and holds the mean of {@code |gyro|} (deg/s) of the samples in it,
     * NaN where it has none.
     */
    public record GyroTrace(String rig, long startNanos, int rateHz, double[] magnitudeDps) {}

    /**
     * The rig's stored gyro magnitude in {@code [fromNanos, toNanos)} at {@link #GYRO_RATE_HZ}, for a
     * client that aligns a free-running camera by cross-correlating its own gyro with it. Blocking.
     *
     * @throws ImportRefusedException 400 for a blank rig, an empty window or one longer than {@link
     *     #MAX_GYRO_WINDOW_NANOS}
     */
    public GyroTrace rigGyro(String rig, long fromNanos, long toNanos) throws ImportRefusedException {
        if (rig == null || rig.isBlank()) {
            throw ImportRefusedException.badRequest("rig is required");
        }
        if (toNanos <= fromNanos || toNanos - fromNanos > MAX_GYRO_WINDOW_NANOS) {
            throw ImportRefusedException.badRequest("from < to, at most 15 minutes apart, are required");
        }
        long binNanos = 1_000_000_000L / GYRO_RATE_HZ;
        int bins = (int) ((toNanos - fromNanos + binNanos - 1) / binNanos);
        double[] sums = new double[bins];
        int[] counts = new int[bins];
        // The rig's own board only: a camera imported before must not align the next one to itself.
        reads.imuSamples(rig, StoreReads.RIG_SOURCE, fromNanos, toNanos, (r, t, ax, ay, az, gx, gy, gz) -> {
            int bin = (int) ((t - fromNanos) / binNanos);
            if (bin >= 0 && bin < bins) {
                sums[bin] += Math.sqrt(gx * gx + gy * gy + gz * gz);
                counts[bin]++;
            }
        });
        for (int i = 0; i < bins; i++) {
            sums[i] = counts[i] == 0 ? Double.NaN : sums[i] / counts[i];
        }
        return new GyroTrace(rig, fromNanos, GYRO_RATE_HZ, sums);
    }

    /**
     * A take as an importer places a clip by hand ({@code ./rigtel import --take}): its name and span.
     *
     * @param endNanos null while it rolls
     */
    public record TakeSpan(String id, String name, long startNanos, Long endNanos) {}

    /** The take {@code id}, from the take book (may read storage). */
    public Optional<TakeSpan> take(String id) {
        return history.take(id)
                .map(t -> new TakeSpan(
                        t.id(),
                        t.name(),
                        t.startNanos(),
                        t.endNanos().isPresent() ? t.endNanos().getAsLong() : null));
    }

    /** How far the collector has {@code clip}; empty if it has none of it (send from sample 0). */
    public Optional<Progress> progress(String clip) {
        Clip state;
        synchronized (clips) {
            state = clips.get(clip);
        }
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            return Optional.of(state.progress());
        }
    }

    /**
     * Stores one batch and runs the analytics over its new samples; returns once they are durable.
     * Samples the collector already has (a batch sent again) are skipped.
     *
     * @return the clip's progress after the batch
     * @throws ImportRefusedException 400 for bad input, 409 for a batch that does not follow the
     *     clip's progress, 503 if the spool did not make it durable (send from {@link #progress} again)
     */
    public Progress accept(ClipBatch b) throws ImportRefusedException {
        validate(b);
        Clip clip;
        synchronized (clips) {
            clip = clips.get(b.clip());
            if (clip == null) {
                if (b.first() != 0) {
                    throw ImportRefusedException.outOfOrder(
                            "the collector has no sample of clip " + b.clip() + "; send it from sample 0");
                }
                clip = new Clip(b);
                clips.put(b.clip(), clip);
            }
        }
        synchronized (clip) {
            if (!clip.rig.equals(b.rig())) {
                throw ImportRefusedException.outOfOrder(
                        "clip " + b.clip() + " is being imported on rig " + clip.rig + ", not " + b.rig());
            }
            long end = b.first() + b.samples();
            if (b.first() > clip.received) {
                throw ImportRefusedException.outOfOrder(
                        "the collector has " + clip.received + " samples of clip " + b.clip() + "; send from there");
            }
            if (clip.complete || (end <= clip.received && !(b.last() && end == clip.received))) {
                if (clip.complete && end > clip.received) {
                    throw ImportRefusedException.outOfOrder("clip " + b.clip() + " is complete at " + clip.received
                            + " samples; this batch goes past it");
                }
                return clip.progress(); // all of it already stored
            }
            int skip = (int) (clip.received - b.first());
            long[] times = b.utcNanos();
            if (skip < times.length && times[skip] <= clip.lastNanos) {
                throw ImportRefusedException.badRequest("sample " + clip.received + " of clip " + b.clip()
                        + " is not after the clip's previous sample");
            }
            try {
                store(clip, b, skip);
            } catch (RuntimeException e) {
                // The analytics may have seen samples that were not stored (e.g. the take book could
                // not read a past day): forget the clip, it is sent again whole.
                forget(clip);
                throw e;
            }
            return clip.progress();
        }
    }

    private void store(Clip clip, ClipBatch b, int skip) throws ImportRefusedException {
        int n = b.samples() - skip;
        long[] times = new long[n];
        long[] device = new long[n];
        double[] values = new double[n * 6];
        System.arraycopy(b.utcNanos(), skip, times, 0, n);
        System.arraycopy(b.values(), skip * 6, values, 0, n * 6);
        PointBatch points = writes.batch(n, SOURCE);
        clip.points = points;
        try {
            for (int i = 0; i < n; i++) {
                long t = times[i];
                device[i] = t - b.firstFrameNanos();
                int o = i * 6;
                clip.motion.accept(
                        t, values[o], values[o + 1], values[o + 2], values[o + 3], values[o + 4], values[o + 5], clip);
                TakeRun run = clip.takeAt(t);
                if (run != null) {
                    run.summarizer.accept(
                            t, values[o], values[o + 1], values[o + 2], values[o + 3], values[o + 4], values[o + 5]);
                    if (run.samples++ == 0) {
                        run.firstNanos = t;
                    }
                    run.lastNanos = t;
                }
            }
            points.imu(clip.rig, times, values, device);
            if (b.last()) {
                clip.motion.flush(clip);
                for (TakeRun run : clip.takes.values()) {
                    summarize(clip, run, points);
                    points.importClip(new ImportClipPoint(
                            clip.rig,
                            clip.id,
                            text(clip.clipName),
                            run.take.id(),
                            text(clip.cameraModel),
                            text(clip.cameraSerial),
                            run.firstNanos,
                            run.lastNanos,
                            run.samples,
                            text(clip.timecode)));
                }
            }
        } finally {
            clip.points = null;
        }
        if (n > 0) {
            clip.lastNanos = times[n - 1];
        }
        awaitDurable(clip, points);
        clip.received += n;
        clip.complete = b.last();
    }

    /** Stores the take's summary from the camera, unless the rig has one of its own for the take. */
    private void summarize(Clip clip, TakeRun run, PointBatch points) {
        if (run.take.rolling()) {
            run.summary = "rolling";
            return;
        }
        boolean own = reads.summaries(run.take.startNanos(), run.take.startNanos()).stream()
                .anyMatch(r ->
                        r.rig().equals(clip.rig) && r.takeId().equals(run.take.id()) && !SOURCE.equals(r.source()));
        if (own) {
            run.summary = "rig-kept";
            return;
        }
        points.takeSummary(MotionPoints.summary(clip.rig, run.take, run.summarizer.finish(), SOURCE));
        run.summary = "stored";
    }

    private void awaitDurable(Clip clip, PointBatch points) throws ImportRefusedException {
        CountDownLatch stored = new CountDownLatch(1);
        AtomicBoolean lost = new AtomicBoolean();
        points.offer(stored::countDown, () -> {
            lost.set(true);
            stored.countDown();
        });
        boolean answered;
        try {
            answered = stored.await(STORE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answered = false;
        }
        if (!answered || lost.get()) {
            // The analytics saw samples that may not be stored: forget the clip, it is sent again whole.
            forget(clip);
            throw new ImportRefusedException(
                    503,
                    "not-durable",
                    lost.get()
                            ? "not stored: the spool's disk failed (see /health); send the clip again from its start"
                            : "not yet durable after " + STORE_WAIT_SECONDS + " s; send the clip again from its start");
        }
    }

    private void forget(Clip clip) {
        synchronized (clips) {
            clips.remove(clip.id, clip);
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static boolean covers(Take take, long utcNanos) {
        return utcNanos >= take.startNanos()
                && (take.rolling() || utcNanos < take.endNanos().getAsLong());
    }

    private static void validate(ClipBatch b) throws ImportRefusedException {
        if (b.clip() == null || !CLIP_ID.matcher(b.clip()).matches()) {
            throw ImportRefusedException.badRequest(
                    "clip: 1 to 128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        String rigProblem = b.rig() == null ? "missing" : RigId.rigProblem(b.rig());
        if (rigProblem != null) {
            throw ImportRefusedException.badRequest("rig: " + rigProblem);
        }
        if (b.utcNanos() == null || b.values() == null) {
            throw ImportRefusedException.badRequest("t_ns, accel_mps2 and gyro_dps are required");
        }
        int n = b.utcNanos().length;
        if (n > MAX_SAMPLES) {
            throw ImportRefusedException.badRequest("at most " + MAX_SAMPLES + " samples a batch, not " + n);
        }
        if (n == 0 && !b.last()) {
            throw ImportRefusedException.badRequest("a batch without samples must be the last");
        }
        if (b.values().length != n * 6) {
            throw ImportRefusedException.badRequest("three accel and three gyro values per time");
        }
        if (b.first() < 0) {
            throw ImportRefusedException.badRequest("first: the index of the batch's first sample, 0 or more");
        }
        if (!(b.accelFullScaleG() > 0 && b.accelFullScaleG() < 1000)
                || !(b.gyroFullScaleDps() > 0 && b.gyroFullScaleDps() < 100_000)) {
            throw ImportRefusedException.badRequest(
                    "accel_full_scale_g (0..1000) and gyro_full_scale_dps (0..100000) are required");
        }
        for (int i = 1; i < n; i++) {
            if (b.utcNanos()[i] <= b.utcNanos()[i - 1]) {
                throw ImportRefusedException.badRequest("t_ns must increase: sample " + (b.first() + i) + " does not");
            }
        }
        for (double v : b.values()) {
            if (!Double.isFinite(v)) {
                throw ImportRefusedException.badRequest("values must be finite numbers");
            }
        }
    }
}
