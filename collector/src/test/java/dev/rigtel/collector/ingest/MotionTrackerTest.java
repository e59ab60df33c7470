package dev.rigtel.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.TakeSummarizer;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.store.TakeSummaryPoint;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeBook;
import dev.rigtel.collector.testing.RecordingWrites;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Live take summaries when the slate and the rig's samples reach the collector in either order: a
 * roll or cut that comes after the samples around it still splits them where it says.
 */
class MotionTrackerTest {

    private static final String RIG = "rig-03";
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    /** A whole second, computed from now so that the test holds on any date. */
    private static final long T0 = Instant.now().getEpochSecond() * S;

    private static final LocalDate DAY =
            Instant.ofEpochSecond(T0 / S).atZone(ZoneOffset.UTC).toLocalDate();

    private final MotionConfig config = MotionConfig.defaults();
    private final TakeBook takes = new TakeBook();
    private final MotionTracker tracker = new MotionTracker(config, takes, IngestEvents.NONE);
    private final RecordingWrites writes = new RecordingWrites();
    private final List<MotionTracker.Recompute> recompute = new ArrayList<>();
    /** The samples fed, as the tracker got them. */
    private final List<long[]> timesFed = new ArrayList<>();

    private final List<double[]> valuesFed = new ArrayList<>();
    private long nextSampleNanos = T0;

    /** Feeds 20 ms of 1 kHz samples: a rig nodding its head, gravity on z. */
    private void batch() {
        long[] times = new long[20];
        double[] values = new double[20 * ImuBatch.VALUES_PER_SAMPLE];
        for (int i = 0; i < times.length; i++) {
            long t = nextSampleNanos;
            nextSampleNanos += MS;
            times[i] = t;
            double s = (t - T0) / 1e9;
            int o = i * ImuBatch.VALUES_PER_SAMPLE;
            values[o] = 0.3 * Math.sin(7 * s);
            values[o + 1] = 0.2 * Math.cos(5 * s);
            values[o + 2] = 9.81 + 0.5 * Math.sin(11 * s);
            values[o + 3] = 40 * Math.sin(3 * s);
            values[o + 4] = 10 * Math.cos(2 * s);
            values[o + 5] = 60 * Math.sin(s);
        }
        timesFed.add(times);
        valuesFed.add(values);
        tracker.accept(RIG, times, values, writes.batch(times.length), 0);
    }

    private void batchesUntil(long utcNanos) {
        while (nextSampleNanos < utcNanos) {
            batch();
        }
    }

    private void roll(long atNanos) {
        takes.add(new SlateEvent.Roll("roll-1", atNanos, "tc", "25", DAY, "12", "A", 3, "A001", ""));
    }

    private void cut(long atNanos) {
        takes.add(new SlateEvent.Cut("cut-1", atNanos, "tc", "25", DAY));
    }

    /** Finishes the takes cut before {@code nowNanos - GRACE} and returns the live summaries written. */
    private List<TakeSummaryPoint> finish(long nowNanos) {
        var points = writes.batch(0);
        tracker.finishEndedTakes(nowNanos, points, recompute);
        points.offerIfAny();
        return writes.points(TakeSummaryPoint.class);
    }

    /** The summary of exactly the samples fed in [start, end), from a summarizer of its own. */
    private TakeSummary expected(long startNanos, long endNanos) {
        TakeSummarizer summarizer = new TakeSummarizer(config);
        for (int b = 0; b < timesFed.size(); b++) {
            long[] times = timesFed.get(b);
            double[] v = valuesFed.get(b);
            for (int i = 0; i < times.length; i++) {
                if (times[i] >= startNanos && times[i] < endNanos) {
                    int o = i * ImuBatch.VALUES_PER_SAMPLE;
                    summarizer.accept(times[i], v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5]);
                }
            }
        }
        return summarizer.finish();
    }

    private Take take() {
        return takes.take("roll-1").orElseThrow();
    }

    @Test
    void aCutThatComesAfterTheSamplesPastItStillGivesAnExactLiveSummary() {
        long rollAt = T0 + 1 * S + 7 * MS;
        long cutAt = T0 + 4 * S + 3 * MS;
        batchesUntil(rollAt - 200 * MS);
        roll(rollAt);
        batchesUntil(cutAt + 400 * MS); // 400 ms of samples past the cut before the cut comes
        cut(cutAt);
        batchesUntil(cutAt + 600 * MS);

        assertThat(finish(cutAt + MotionTracker.GRACE_NANOS - MS))
                .as("within the grace")
                .isEmpty();
        List<TakeSummaryPoint> live = finish(cutAt + MotionTracker.GRACE_NANOS + MS);

        assertThat(recompute).isEmpty();
        assertThat(live).hasSize(1);
        TakeSummaryPoint summary = live.get(0);
        assertThat(summary.source()).isEqualTo("live");
        assertThat(summary.takeId()).isEqualTo(take().id());
        assertThat(summary.samples()).isEqualTo((cutAt - rollAt) / MS);
        assertThat(summary).isEqualTo(MotionPoints.summary(RIG, take(), expected(rollAt, cutAt), "live"));
    }

    @Test
    void aRollThatComesAfterTheTakesFirstSamplesStillGivesAnExactLiveSummary() {
        long rollAt = T0 + 1 * S;
        long cutAt = T0 + 3 * S + 500 * MS;
        batchesUntil(rollAt + 700 * MS); // the roll is 700 ms late
        roll(rollAt);
        batchesUntil(cutAt);
        cut(cutAt);
        batchesUntil(cutAt + 100 * MS);

        List<TakeSummaryPoint> live = finish(cutAt + MotionTracker.GRACE_NANOS);

        assertThat(recompute).isEmpty();
        assertThat(live).singleElement().satisfies(s -> {
            assertThat(s.samples()).isEqualTo(2_500);
            assertThat(s).isEqualTo(MotionPoints.summary(RIG, take(), expected(rollAt, cutAt), "live"));
        });
    }

    @Test
    void aCutLaterThanTheHeldSamplesIsRecomputedFromStorage() {
        long rollAt = T0 + 1 * S;
        long cutAt = T0 + 2 * S;
        batchesUntil(rollAt);
        roll(rollAt);
        // More samples past the cut than are held back: some were summarised into the take.
        batchesUntil(cutAt + (MotionTracker.HELD_SAMPLES + 40) * MS);
        cut(cutAt);

        List<TakeSummaryPoint> live = finish(cutAt + MotionTracker.GRACE_NANOS);

        assertThat(live).isEmpty();
        assertThat(recompute).containsExactly(new MotionTracker.Recompute(RIG, take()));
    }

    @Test
    void aTakeStartedBeforeTheTrackerSawTheRigIsRecomputedFromStorage() {
        long rollAt = T0 - 5 * S; // rolling before the first sample: a restart during the take
        long cutAt = T0 + 1 * S;
        roll(rollAt);
        batchesUntil(cutAt + 100 * MS);
        cut(cutAt);

        assertThat(finish(cutAt + MotionTracker.GRACE_NANOS)).isEmpty();
        assertThat(recompute).containsExactly(new MotionTracker.Recompute(RIG, take()));
    }
}
