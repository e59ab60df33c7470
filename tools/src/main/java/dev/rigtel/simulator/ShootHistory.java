package dev.rigtel.simulator;

import dev.rigtel.collector.ingest.MotionPoints;
import dev.rigtel.collector.motion.Exposure;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.MotionEvent;
import dev.rigtel.collector.motion.MotionSink;
import dev.rigtel.collector.motion.Rollup;
import dev.rigtel.collector.motion.TakeSummarizer;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.store.LineEncoder;
import dev.rigtel.collector.store.Measurements;
import dev.rigtel.collector.store.MotionEventPoint;
import dev.rigtel.collector.store.PointSink;
import dev.rigtel.collector.store.RollupPoint;
import dev.rigtel.collector.store.SinkException;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.SlatePoints;
import dev.rigtel.collector.takes.TakeMark;
import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.FrameRate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A synthetic shoot of many days, written straight into storage in the collector's schema, so that
 * a collector can be started on a history as long as a real production's and its answers timed
 * (./rigtel history, ./rigtel bench --only history). Deterministic for a seed.
 *
 * <p>Every day: each rig assigned a wearer in the morning, {@code takesPerDay} takes between 08:00
 * and 20:00 (about 3 % without a cut, a third marked), a few wearer changes between takes (stunt
 * doubles), and for every take and rig its per-second rollups, motion events and summary. Raw 1 kHz
 * samples only for {@code rawTakesPerDay} takes of the last {@code rawDays} days: those takes go
 * through the collector's own {@link TakeSummarizer}, so their summaries, rollups and events are
 * what the collector would have derived; the others are drawn from the intensity of what the wearer
 * does in the take (standing, walking, running, fighting, a fall, whip pans), consistent with each
 * other (a summary's impacts are its impact events, its time above 3 g its rollups over 3 g).
 */
public final class ShootHistory {

    /** The crew who wear the rigs: the simulator's stunt team and three doubles. */
    public static final List<String> PEOPLE;

    static {
        List<String> people = new ArrayList<>(ShootingDay.PEOPLE);
        people.addAll(List.of("Nadia Flores", "Owen Price", "Yara Haddad"));
        PEOPLE = List.copyOf(people);
    }

    private static final long S = 1_000_000_000L;
    private static final int BATCH_POINTS = 5000;
    private static final long FRAME_NANOS = 40_000_000L;

    /**
     * @param firstDay the first shooting day; the shoot runs {@code days} consecutive days from it
     * @param takeLength the mean take length (each is 0.5 to 1.5 times it)
     */
    public record Options(
            int days,
            int takesPerDay,
            int rigs,
            Duration takeLength,
            int rawDays,
            int rawTakesPerDay,
            int rateHz,
            LocalDate firstDay,
            ZoneId zone,
            long seed) {

        public Options {
            check(days >= 1 && days <= 1000, "days must be 1..1000");
            check(takesPerDay >= 1 && takesPerDay <= 1000, "takes per day must be 1..1000");
            check(rigs >= 1 && rigs <= 99, "rigs must be 1..99");
            check(rigs <= PEOPLE.size() - 2, "at most " + (PEOPLE.size() - 2) + " rigs (two people stand by)");
            check(
                    !takeLength.isNegative() && takeLength.compareTo(Duration.ofSeconds(2)) >= 0,
                    "takes must last at least 2 s");
            check(
                    takeLength
                                    .multipliedBy(3)
                                    .dividedBy(2)
                                    .multipliedBy(takesPerDay)
                                    .compareTo(Duration.ofHours(12))
                            <= 0,
                    "takes per day x 1.5 x take length must fit in the 12 h shooting day");
            check(rawDays >= 0 && rawDays <= days, "raw days must be 0..days");
            check(rawTakesPerDay >= 0 && rawTakesPerDay <= takesPerDay, "raw takes per day must be 0..takes per day");
            check(rateHz >= 10 && rateHz <= 4000, "rate must be 10..4000 Hz");
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * What was written.
     *
     * @param exposures per person, the exposure of the takes whose rig they wore at the roll (what
     *     the collector's {@code /api/people/{person}/exposure} should answer for the whole shoot)
     * @param takeIds the id of one take per day, by day
     */
    public record Result(
            int days,
            long takes,
            long points,
            Map<String, Long> pointsByMeasurement,
            Map<String, Exposure> exposures,
            Map<LocalDate, List<String>> takeIds,
            Duration elapsed) {}

    private final Options options;
    private final PointSink sink;
    private final ExecutorService writers;
    private final Semaphore inFlight;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Map<String, Long> points = new TreeMap<>();
    private final Map<String, Exposure> exposures = new TreeMap<>();
    private final Map<LocalDate, List<String>> takeIds = new TreeMap<>();
    private final SplittableRandom random;
    private final LineEncoder batch = new LineEncoder(1 << 20);
    private long takes;

    private ShootHistory(Options options, PointSink sink, int concurrency) {
        this.options = options;
        this.sink = sink;
        this.writers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "history-writer");
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new Semaphore(concurrency);
        this.random = new SplittableRandom(options.seed());
    }

    /**
     * Writes the whole shoot through {@code sink}, {@code concurrency} batches at a time.
     *
     * @throws SinkException the first write that failed (the rest is not written)
     */
    public static Result write(Options options, PointSink sink, int concurrency)
            throws SinkException, InterruptedException {
        ShootHistory history = new ShootHistory(options, sink, concurrency);
        long started = System.nanoTime();
        try {
            for (int d = 0; d < options.days(); d++) {
                history.day(d);
            }
            history.flush();
            history.writers.shutdown();
            history.writers.awaitTermination(1, TimeUnit.HOURS);
        } finally {
            history.writers.shutdownNow();
        }
        if (history.failure.get() instanceof SinkException e) {
            throw e;
        }
        if (history.failure.get() != null) {
            throw new SinkException("failed", false, history.failure.get().toString(), history.failure.get());
        }
        long total = history.points.values().stream().mapToLong(Long::longValue).sum();
        return new Result(
                options.days(),
                history.takes,
                total,
                Map.copyOf(history.points),
                Map.copyOf(history.exposures),
                Map.copyOf(history.takeIds),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private void day(int d) {
        LocalDate date = options.firstDay().plusDays(d);
        boolean rawDay = d >= options.days() - options.rawDays();
        long midnight = nanos(date.atStartOfDay(options.zone()).toInstant());
        String[] wearing = new String[options.rigs()];
        List<String> idle = new ArrayList<>(PEOPLE);
        for (int r = 0; r < options.rigs(); r++) {
            String person = PEOPLE.get(Math.floorMod(r + d, PEOPLE.size()));
            wearing[r] = person;
            idle.remove(person);
            slate(new SlateEvent.Assign(
                    id(d, "a", r),
                    midnight + 7 * 3600 * S + 30 * 60 * S,
                    label(midnight + 7 * 3600 * S + 30 * 60 * S),
                    "25",
                    date,
                    rig(r),
                    person));
        }
        // On 25 fps frame boundaries, as a slate's events are.
        long cycle = 12 * 3600 * S / options.takesPerDay() / FRAME_NANOS * FRAME_NANOS;
        long meanLength = options.takeLength().toNanos();
        int scene = 1;
        int shot = 0;
        int takeNumber = 0;
        for (int t = 0; t < options.takesPerDay(); t++) {
            if (takeNumber == 0 || random.nextInt(6) == 0) {
                takeNumber = 0;
                shot++;
                if (shot > 4 || random.nextInt(3) == 0) {
                    scene++;
                    shot = 1;
                }
            }
            takeNumber++;
            long rollAt = midnight + 8 * 3600 * S + t * cycle;
            long length = Math.max(S, Math.min((long) (meanLength * (0.5 + random.nextDouble())), cycle - 4 * S))
                    / FRAME_NANOS
                    * FRAME_NANOS;
            long cutAt = rollAt + length;
            // Now and then a double takes a rig over between two takes.
            if (t > 0 && random.nextInt(Math.max(1, options.takesPerDay() / 5)) == 0 && !idle.isEmpty()) {
                int r = random.nextInt(options.rigs());
                String stuntDouble = idle.remove(random.nextInt(idle.size()));
                idle.add(wearing[r]);
                wearing[r] = stuntDouble;
                slate(new SlateEvent.Assign(
                        id(d, "a" + t, r), rollAt - 2 * S, label(rollAt - 2 * S), "25", date, rig(r), stuntDouble));
            }
            String rollId = id(d, "r", t);
            String sceneName = Integer.toString(10 + scene);
            String shotName = Character.toString((char) ('A' + shot - 1));
            slate(new SlateEvent.Roll(
                    rollId,
                    rollAt,
                    label(rollAt),
                    "25",
                    date,
                    sceneName,
                    shotName,
                    takeNumber,
                    String.format(Locale.ROOT, "A%03d", 1 + t / 12),
                    ""));
            if (random.nextInt(33) > 0) {
                slate(new SlateEvent.Cut(id(d, "c", t), cutAt, label(cutAt), "25", date));
            }
            if (random.nextInt(3) == 0) {
                TakeMark mark = TakeMark.values()[random.nextInt(TakeMark.values().length)];
                slate(new SlateEvent.Mark(
                        id(d, "m", t),
                        cutAt + 3 * S,
                        label(cutAt + 3 * S),
                        "25",
                        date,
                        sceneName,
                        shotName,
                        takeNumber,
                        mark,
                        ""));
            }
            boolean raw = rawDay && t < options.rawTakesPerDay();
            for (int r = 0; r < options.rigs(); r++) {
                MotionProfile profile = profile();
                TakeSummary summary =
                        raw ? rawTake(r, rollAt, length, profile) : syntheticTake(r, rollAt, length, profile);
                batch.takeSummary(MotionPoints.summary(rig(r), rollId, rollAt, summary, "history"));
                count(Measurements.TAKE_SUMMARY, 1);
                exposures.merge(wearing[r], Exposure.of(List.of(summary)), Exposure::plus);
            }
            takes++;
            if (t == options.takesPerDay() / 2) {
                takeIds.put(date, List.of(rollId));
            }
        }
    }

    /** What the wearer does in a take: mostly standing and walking, sometimes an action beat. */
    private MotionProfile profile() {
        int p = random.nextInt(100);
        return p < 35
                ? MotionProfile.STANDING
                : p < 65
                        ? MotionProfile.WALKING
                        : p < 82
                                ? MotionProfile.RUNNING
                                : p < 93
                                        ? MotionProfile.FIGHTING
                                        : p < 97 ? MotionProfile.WHIP_PAN : MotionProfile.FALL;
    }

    /** A take with raw samples: generated, stored, and summarised by the collector's own code. */
    private TakeSummary rawTake(int r, long rollAt, long length, MotionProfile profile) {
        long interval = S / options.rateHz();
        MotionGenerator generator = new MotionGenerator(options.seed() + rollAt, r + 1, profile, interval);
        String rig = rig(r);
        MotionSink out = new MotionSink() {
            @Override
            public void rollup(Rollup x) {
                batch.rollup(MotionPoints.rollup(rig, x));
                count(Measurements.IMU_1S, 1);
            }

            @Override
            public void event(MotionEvent e) {
                batch.motionEvent(MotionPoints.event(rig, e));
                count(Measurements.MOTION_EVENT, 1);
            }
        };
        TakeSummarizer summarizer = new TakeSummarizer(MotionConfig.defaults(), out);
        double[] sample = new double[6];
        long n = length / interval;
        for (long i = 0; i < n; i++) {
            long at = rollAt + i * interval;
            generator.sample(i, sample);
            batch.imu(rig, at, sample, 0, i * interval);
            summarizer.accept(at, sample[0], sample[1], sample[2], sample[3], sample[4], sample[5]);
            count(Measurements.IMU, 1);
        }
        return summarizer.finish();
    }

    /** A take without raw samples: rollups, events and summary drawn to match each other. */
    private TakeSummary syntheticTake(int r, long rollAt, long length, MotionProfile profile) {
        String rig = rig(r);
        double[] accel =
                switch (profile) {
                    case STANDING -> new double[] {1.02, 1.15, 3, 15};
                    case WALKING -> new double[] {1.2, 1.7, 30, 85};
                    case RUNNING -> new double[] {1.8, 3.3, 40, 95};
                    case FIGHTING -> new double[] {2.5, 6.0, 120, 290};
                    case WHIP_PAN -> new double[] {1.1, 1.6, 320, 600};
                    default -> new double[] {1.1, 2.0, 20, 120};
                };
        long seconds = Math.max(1, length / S);
        long firstSecond = Math.floorDiv(rollAt, S) * S;
        int above3g = 0;
        int impacts = 0;
        int turns = 0;
        int whips = 0;
        double peakG = 0;
        double peakDps = 0;
        double maxHic = 0;
        long aboveThirty = 0;
        long fallSecond = profile == MotionProfile.FALL ? random.nextLong(seconds) : -1;
        for (long k = 0; k < seconds; k++) {
            long second = firstSecond + k * S;
            double g = accel[0] + (accel[1] - accel[0]) * random.nextDouble();
            double dps = accel[2] + (accel[3] - accel[2]) * random.nextDouble();
            if (k == fallSecond) {
                g = 12 + 8 * random.nextDouble();
                double hic = 40 + 300 * random.nextDouble();
                batch.motionEvent(new MotionEventPoint(
                        rig, "impact", second + 300_000_000L, second + 340_000_000L, g, Double.NaN, "", hic, 0, ""));
                count(Measurements.MOTION_EVENT, 1);
                impacts++;
                maxHic = Math.max(maxHic, hic);
            }
            if (dps > 110 && random.nextBoolean()) {
                boolean whip = dps > 300;
                batch.motionEvent(new MotionEventPoint(
                        rig,
                        whip ? "whip-pan" : "head-turn",
                        second + 100_000_000L,
                        second + 400_000_000L,
                        dps,
                        30 + 90 * random.nextDouble(),
                        random.nextBoolean() ? MotionEvent.LEFT : MotionEvent.RIGHT,
                        Double.NaN,
                        0,
                        ""));
                count(Measurements.MOTION_EVENT, 1);
                if (whip) {
                    whips++;
                } else {
                    turns++;
                }
            }
            if (g > Exposure.ACCEL_THRESHOLD_G) {
                above3g++;
            }
            if (dps > 30) {
                aboveThirty += options.rateHz() / 4;
            }
            peakG = Math.max(peakG, g);
            peakDps = Math.max(peakDps, dps);
            batch.rollup(new RollupPoint(
                    rig, second, g, Math.min(g, 1 + (g - 1) / 3), dps, dps / 3, options.rateHz(), options.rateHz(), 0));
            count(Measurements.IMU_1S, 1);
        }
        long samples = seconds * options.rateHz();
        double rms = 0.05 + 0.4 * (accel[1] - 1);
        double share = (double) aboveThirty / samples;
        return new TakeSummary(
                length / 1e9,
                samples,
                peakG,
                peakDps,
                peakDps * (10 + 20 * random.nextDouble()),
                impacts,
                maxHic,
                turns,
                whips,
                rms * Math.sqrt(length / 1e9),
                rms,
                share,
                100 * (1 - share / 2),
                above3g);
    }

    private void slate(SlateEvent event) {
        batch.slate(SlatePoints.of(event));
        count(Measurements.SLATE, 1);
    }

    private void count(String measurement, int n) {
        points.merge(measurement, (long) n, Long::sum);
        if (batch.points() >= BATCH_POINTS) {
            try {
                flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private void flush() throws InterruptedException {
        if (batch.points() == 0) {
            return;
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a write failed: " + failure.get().getMessage(), failure.get());
        }
        String lines = batch.text();
        int n = batch.points();
        batch.clear();
        inFlight.acquire();
        writers.execute(() -> {
            try {
                writeWithRetries(lines, n);
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            } finally {
                inFlight.release();
            }
        });
    }

    private void writeWithRetries(String lines, int n) throws SinkException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                sink.write(lines, n);
                return;
            } catch (SinkException e) {
                if (!e.retryable() || attempt == 5) {
                    throw e;
                }
                Thread.sleep(200L * attempt);
            }
        }
    }

    private String label(long atNanos) {
        return DatedTimecode.atUtcNanos(atNanos, options.zone(), FrameRate.FPS_25, false)
                .timecode()
                .toString();
    }

    private String id(int day, String kind, int index) {
        return "h" + options.seed() + "-" + day + "-" + kind + "-" + index;
    }

    private static String rig(int r) {
        return String.format(Locale.ROOT, "rig-%02d", r + 1);
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * S + instant.getNano();
    }
}
