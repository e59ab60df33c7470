package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bar every store meets: points are written as the collector writes them (line protocol from
 * {@link Schema} and {@link LineProtocol}, through the store's {@link PointSink}), then every
 * {@link StoreReads} method is asked about them. Subclasses give a fresh, empty store per test.
 *
 * <p>Times a store may answer to within a microsecond (InfluxDB's JSON answers) are compared so;
 * {@link StoreReads#imuSamples} must be exact.
 */
abstract class StoreReadsContract {

    /** A second before midnight UTC, so ranges can straddle the day boundary. */
    static final long T = nanos(Instant.parse("2026-11-21T23:59:59Z"));

    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;

    /** Rig ids as a rig or a slate app may name them: spaces, commas, equals, quotes, % and +. */
    static final String ODD_RIG = "rig 7,a=b \"q\" 'x' 50%+1";

    static final String ODD_ID = "take%2F1+a 'b' \"c\"";

    /** The sink to write to; fresh and empty for each test. */
    protected abstract PointSink sink();

    /** The reads over what {@link #sink()} stored. */
    protected abstract StoreReads reads();

    private static long nanos(Instant t) {
        return t.getEpochSecond() * S + t.getNano();
    }

    void write(StringBuilder lines) {
        try {
            sink().write(lines.toString(), (int)
                    lines.chars().filter(c -> c == '\n').count());
        } catch (SinkException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- seeds, as the collector writes them ----

    static void slate(StringBuilder out, String type, String id, long atNanos, String rig, String person) {
        LineProtocol.measurement(out, Measurements.SLATE);
        if (type.equals("assign")) {
            LineProtocol.tag(out, "rig", rig);
        }
        LineProtocol.tag(out, "type", type);
        LineProtocol.firstField(out, "id", id);
        LineProtocol.field(out, "at_ns", Long.toString(atNanos));
        LineProtocol.field(out, "tc", "23:59:59:00");
        LineProtocol.field(out, "rate", "25");
        LineProtocol.field(out, "date", "2026-11-21");
        if (type.equals("roll") || type.equals("mark")) {
            LineProtocol.field(out, "scene", "42 \"A\"");
            LineProtocol.field(out, "shot", "A, B");
            LineProtocol.field(out, "take", 3L);
            if (type.equals("roll")) {
                LineProtocol.field(out, "camera_roll", "A001");
            } else {
                LineProtocol.field(out, "mark", "circled");
            }
            LineProtocol.field(out, "notes", person);
        } else if (type.equals("assign")) {
            LineProtocol.field(out, "person", person);
        }
        // As SlateLog writes it: an offset below a millisecond from the id.
        LineProtocol.end(out, atNanos + Math.floorMod(id.hashCode(), 1_000_000));
    }

    static void command(StringBuilder out, String rig, String id, String status, long timeNanos) {
        Schema.rigCommand(
                out,
                new CommandPoint(
                        rig,
                        "identify",
                        status,
                        id,
                        "{\"seconds\":5}",
                        "admin",
                        status.equals("ok") ? "" : "no answer, \"yet\"",
                        1_795_000_000_000L,
                        1_795_000_060_000L,
                        timeNanos));
    }

    static void summary(StringBuilder out, String rig, String takeId, long startNanos, long samples, double peakG) {
        Schema.startTakeSummary(out, rig, takeId, "live");
        LineProtocol.field(out, "samples", samples);
        LineProtocol.field(out, "peak_g", peakG);
        LineProtocol.field(out, "impacts", 2L);
        LineProtocol.field(out, "msdv_sq", 0.25);
        LineProtocol.field(out, "above_30dps_s", 1.5);
        LineProtocol.end(out, startNanos);
    }

    static void imu(StringBuilder out, String rig, long timeNanos, double ax) {
        Schema.imu(out, rig, timeNanos, new double[] {ax, 9.80665, -0.5, 1.25, -2, 3.5e-3}, 0, 7);
    }

    static void rollup(StringBuilder out, String rig, long secondNanos, double peak, double rms, long samples) {
        Schema.rollup(out, new RollupPoint(rig, secondNanos, peak, rms, peak * 100, rms * 100, samples, 1000, 0));
    }

    static void assertNear(long actual, long expected) {
        assertThat(actual).isCloseTo(expected, within(1000L));
    }

    // ---- empty ----

    @Test
    void anEmptyStoreAnswersNothing() {
        StoreReads reads = reads();
        assertThat(reads.slateWindow(T, T + S)).isEmpty();
        assertThat(reads.slateWindow(T, Long.MAX_VALUE)).isEmpty();
        assertThat(reads.slateAssignments(T, T + S)).isEmpty();
        assertThat(reads.slateRoll(ODD_ID)).isEmpty();
        assertThat(reads.firstSlateNanos()).isEmpty();
        assertThat(reads.commandPoints("rig-01", 0, 10)).isEmpty();
        assertThat(reads.commandPointsSince(0)).isEmpty();
        assertThat(reads.commandPoints("rig-01", "cmd-1")).isEmpty();
        assertThat(reads.clockSegments(0)).isEmpty();
        assertThat(reads.latestSampleNanos(0)).isEmpty();
        assertThat(reads.summaries(T, T + S)).isEmpty();
        assertThat(reads.summaries(T, T)).isEmpty();
        assertThat(reads.summarySums(List.of(new StoreReads.RigSpan("rig-01", T, T + S))))
                .containsExactly((StoreReads.SummarySums) null);
        List<Long> times = new ArrayList<>();
        reads.imuSamples(null, T, T + S, (rig, t, ax, ay, az, gx, gy, gz) -> times.add(t));
        assertThat(times).isEmpty();
        assertThat(reads.imuCount("rig-01", T, T + S)).isZero();
        assertThat(reads.imuExists("rig-01", T, T + S)).isFalse();
        assertThat(reads.imuExtents(T, T + S)).isEmpty();
        assertThat(reads.rollupExtents(T, T + S)).isEmpty();
        assertThat(reads.imuGaps("rig-01", T, T + S, 1)).isEmpty();
        assertThat(reads.rollupCount("rig-01", T, T + S)).isZero();
        assertThat(reads.rollupsExist("rig-01", T, T + S)).isFalse();
        assertThat(reads.rollups("rig-01", T, T + S)).isEmpty();
        assertThat(reads.rollupBuckets("rig-01", T, T + S, S)).isEmpty();
        assertThat(reads.motionEvents(T, T + S, null)).isEmpty();
    }

    // ---- slate ----

    @Test
    void aStuntRollAndASnoozeReadBackWithTheirFields() {
        java.time.LocalDate day = java.time.LocalDate.of(2026, 11, 21);
        StringBuilder lines = new StringBuilder();
        Schema.slate(
                lines,
                new SlatePoint(
                        "stunt-1", T, "23:59:59:00", "25", day, new SlatePoint.Roll("57", "B", 1, "", "", true), T));
        Schema.slate(
                lines,
                new SlatePoint("plain-1", T + S, "tc", "25", day, new SlatePoint.Roll("57", "B", 2, "", ""), T + S));
        Schema.slate(
                lines, new SlatePoint("snooze-1", T + 2 * S, "tc", "25", day, new SlatePoint.Snooze("*"), T + 2 * S));
        write(lines);

        assertThat(reads().slateRoll("stunt-1").orElseThrow().stunt()).isTrue();
        assertThat(reads().slateRoll("plain-1").orElseThrow().stunt()).isFalse();
        StoreReads.SlateRow snooze = reads().slateWindow(T, T + 3 * S).stream()
                .filter(r -> r.id().equals("snooze-1"))
                .findFirst()
                .orElseThrow();
        assertThat(snooze.type()).isEqualTo("snooze");
        assertThat(snooze.rig()).isEqualTo("*");
        assertThat(snooze.stunt()).isFalse();
    }

    @Test
    void aSlateWindowHoldsItsRangeTheNewestAssignmentPerRigAndTheRollsAroundIt() {
        StringBuilder lines = new StringBuilder();
        slate(lines, "assign", "as-1", T - 30 * S, "rig-01", "Dana Brooks");
        slate(lines, "assign", "as-2", T - 20 * S, "rig-01", "Alex Kim");
        slate(lines, "assign", "as-3", T - 25 * S, ODD_RIG, "Chris \"C\" Lee, Jr.");
        slate(lines, "roll", "roll-0", T - 15 * S, "", "");
        slate(lines, "cut", "cut-0", T - 10 * S, "", "");
        slate(lines, "roll", "roll-1", T, "", "in at the start");
        slate(lines, "mark", "mark-1", T + 5 * S, "", "");
        slate(lines, "assign", "as-4", T + 6 * S, "rig-02", "Sam");
        slate(lines, "cut", "cut-1", T + 9 * S, "", "");
        slate(lines, "roll", "roll-2", T + 10 * S, "", "first at the end");
        slate(lines, "cut", "cut-2", T + 20 * S, "", "");
        write(lines);

        // The range's start is inclusive, its end exclusive (roll-2 is stored just after T + 10 s).
        List<StoreReads.SlateRow> window = reads().slateWindow(T, T + 10 * S);
        assertThat(window)
                .extracting(StoreReads.SlateRow::id)
                .containsExactlyInAnyOrder("roll-1", "mark-1", "as-4", "cut-1", "as-2", "as-3", "cut-0", "roll-2");
        StoreReads.SlateRow roll =
                window.stream().filter(r -> r.id().equals("roll-1")).findFirst().orElseThrow();
        assertThat(roll)
                .isEqualTo(new StoreReads.SlateRow(
                        "roll",
                        "roll-1",
                        T,
                        "23:59:59:00",
                        "25",
                        "2026-11-21",
                        "42 \"A\"",
                        "A, B",
                        3,
                        "A001",
                        "",
                        "in at the start",
                        "",
                        ""));
        StoreReads.SlateRow odd =
                window.stream().filter(r -> r.id().equals("as-3")).findFirst().orElseThrow();
        assertThat(odd.rig()).isEqualTo(ODD_RIG);
        assertThat(odd.person()).isEqualTo("Chris \"C\" Lee, Jr.");
        assertThat(odd.atNanos()).isEqualTo(T - 25 * S);
        assertThat(odd.take()).isEqualTo(-1);
        StoreReads.SlateRow mark =
                window.stream().filter(r -> r.id().equals("mark-1")).findFirst().orElseThrow();
        assertThat(mark.mark()).isEqualTo("circled");
    }

    @Test
    void anOpenEndedSlateWindowReadsToTheEnd() {
        StringBuilder lines = new StringBuilder();
        slate(lines, "roll", "roll-0", T - 15 * S, "", "");
        slate(lines, "roll", "roll-1", T + S, "", "");
        slate(lines, "cut", "cut-1", T + 400L * 86_400 * S, "", "");
        write(lines);

        assertThat(reads().slateWindow(T, Long.MAX_VALUE))
                .extracting(StoreReads.SlateRow::id)
                .containsExactlyInAnyOrder("roll-0", "roll-1", "cut-1");
        assertThat(reads().slateWindow(T + 2 * S, Long.MAX_VALUE))
                .extracting(StoreReads.SlateRow::id)
                .containsExactlyInAnyOrder("roll-1", "cut-1");
    }

    @Test
    void slateAssignmentsAreTheRangesAndTheNewestBeforeItPerRig() {
        StringBuilder lines = new StringBuilder();
        slate(lines, "assign", "as-1", T - 30 * S, "rig-01", "Dana");
        slate(lines, "assign", "as-2", T - 20 * S, "rig-01", "Alex");
        slate(lines, "assign", "as-3", T - 25 * S, ODD_RIG, "Chris");
        slate(lines, "roll", "roll-1", T + S, "", "");
        slate(lines, "assign", "as-4", T + 6 * S, "rig-01", "Sam");
        slate(lines, "assign", "as-5", T + 60 * S, "rig-01", "later");
        write(lines);

        assertThat(reads().slateAssignments(T, T + 60 * S))
                .extracting(StoreReads.SlateRow::id)
                .containsExactlyInAnyOrder("as-2", "as-3", "as-4");
        assertThat(reads().slateAssignments(T, T + 60 * S))
                .filteredOn(r -> r.id().equals("as-3"))
                .extracting(StoreReads.SlateRow::rig)
                .containsExactly(ODD_RIG);
    }

    @Test
    void aRollIsFoundByItsIdWhateverItHoldsAndARewriteOverwritesIt() {
        StringBuilder lines = new StringBuilder();
        slate(lines, "roll", ODD_ID, T, "", "first");
        slate(lines, "roll", "take%2F1", T + S, "", "other");
        slate(lines, "cut", "cut-x", T + 2 * S, "", "");
        write(lines);
        StringBuilder again = new StringBuilder();
        slate(again, "roll", ODD_ID, T, "", "sent again");
        write(again);

        StoreReads.SlateRow roll = reads().slateRoll(ODD_ID).orElseThrow();
        assertThat(roll.id()).isEqualTo(ODD_ID);
        assertThat(roll.notes()).isEqualTo("sent again");
        assertThat(reads().slateRoll("take%2F1").orElseThrow().notes()).isEqualTo("other");
        assertThat(reads().slateRoll("cut-x")).isEmpty();
        assertThat(reads().slateRoll("take")).isEmpty();
        assertThat(reads().slateWindow(T, T + 3 * S)).hasSize(3);
    }

    @Test
    void theFirstSlateEventIsTheOldestStored() {
        StringBuilder lines = new StringBuilder();
        slate(lines, "roll", "roll-1", T + S, "", "");
        slate(lines, "assign", "as-1", T - 86_400 * S, "rig-01", "Dana");
        write(lines);

        assertNear(
                reads().firstSlateNanos().orElseThrow(), T - 86_400 * S + Math.floorMod("as-1".hashCode(), 1_000_000));
    }

    // ---- commands ----

    @Test
    void commandPointsOfARigAreItsNewestSinceAnInclusiveBound() {
        StringBuilder lines = new StringBuilder();
        command(lines, ODD_RIG, "cmd-1", "sent", T);
        command(lines, ODD_RIG, "cmd-1", "ok", T + S);
        command(lines, ODD_RIG, "cmd-2", "sent", T + 2 * S);
        command(lines, "rig-02", "cmd-3", "sent", T + 3 * S);
        write(lines);

        List<StoreReads.CommandRow> newest = reads().commandPoints(ODD_RIG, T, 2);
        assertThat(newest).extracting(StoreReads.CommandRow::id).containsExactly("cmd-2", "cmd-1");
        assertThat(newest.get(1).status()).isEqualTo("ok");
        assertThat(reads().commandPoints(ODD_RIG, T, 10)).hasSize(3);
        assertThat(reads().commandPoints(ODD_RIG, T + 1, 10)).hasSize(2);
        StoreReads.CommandRow sent = reads().commandPoints(ODD_RIG, T, 10).get(2);
        assertThat(sent.rig()).isEqualTo(ODD_RIG);
        assertThat(sent.command()).isEqualTo("identify");
        assertThat(sent.argsJson()).isEqualTo("{\"seconds\":5}");
        assertThat(sent.issuedBy()).isEqualTo("admin");
        assertThat(sent.detail()).isEqualTo("no answer, \"yet\"");
        assertThat(sent.issuedMillis()).isEqualTo(1_795_000_000_000L);
        assertThat(sent.expiresMillis()).isEqualTo(1_795_000_060_000L);
        assertNear(sent.timeNanos(), T);
        assertThat(reads().commandPoints(ODD_RIG, T, 10).get(1).detail()).isEmpty();
    }

    @Test
    void commandPointsSinceCoverEveryRigAndByIdOneCommand() {
        StringBuilder lines = new StringBuilder();
        command(lines, "rig-01", "cmd-1", "sent", T - S);
        command(lines, "rig-01", "cmd-1", "ok", T);
        command(lines, "rig-02", "cmd-3", "sent", T + 3 * S);
        command(lines, "rig-02", "cmd-1", "sent", T + 4 * S);
        write(lines);

        assertThat(reads().commandPointsSince(T))
                .extracting(StoreReads.CommandRow::rig, StoreReads.CommandRow::id)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("rig-01", "cmd-1"),
                        org.assertj.core.groups.Tuple.tuple("rig-02", "cmd-3"),
                        org.assertj.core.groups.Tuple.tuple("rig-02", "cmd-1"));
        assertThat(reads().commandPoints("rig-01", "cmd-1"))
                .extracting(StoreReads.CommandRow::status)
                .containsExactlyInAnyOrder("sent", "ok");
        assertThat(reads().commandPoints("rig-01", "cmd-3")).isEmpty();
    }

    // ---- clocks and samples ----

    @Test
    void clockSegmentsAndTheNewestSamplesAreThoseAfterAnExclusiveBound() {
        StringBuilder lines = new StringBuilder();
        Schema.rigClock(
                lines,
                new ClockSegmentPoint(ODD_RIG, "boot 1", 123_456_789_012L, 5 * S, T, 1.000_012, "locked", 12.5, 2_500));
        Schema.rigClock(lines, new ClockSegmentPoint("rig-02", "b", 1, S, T - S, 1, "free", 0, 0));
        imu(lines, ODD_RIG, T - S, 1);
        imu(lines, ODD_RIG, T + 123_457, 1);
        imu(lines, "rig-02", T - S, 1);
        write(lines);

        assertThat(reads().clockSegments(T - S))
                .containsExactly(new StoreReads.ClockSegmentRow(
                        ODD_RIG, "boot 1", 5 * S, 123_456_789_012L, T, 1.000_012, "locked", 12.5, 2.5));
        assertThat(reads().clockSegments(T - S - 1)).hasSize(2);
        Map<String, Long> latest = reads().latestSampleNanos(T - S);
        assertThat(latest).containsOnlyKeys(ODD_RIG);
        assertNear(latest.get(ODD_RIG), T + 123_457);
        assertThat(reads().latestSampleNanos(T - S - 1)).containsOnlyKeys(ODD_RIG, "rig-02");
    }

    @Test
    void rawSamplesStreamExactlyPerRigAcrossMidnightWithAnExclusiveEnd() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            imu(lines, "rig-02", T + i * 100 * MS + 7, i);
            imu(lines, ODD_RIG, T + i * 100 * MS + 123_456_789 % MS, -i);
        }
        write(lines);

        List<String> rows = new ArrayList<>();
        reads().imuSamples(
                        null,
                        T + 500 * MS,
                        T + 1_500 * MS + 7,
                        (rig, t, ax, ay, az, gx, gy, gz) -> rows.add(
                                rig + " " + t + " " + ax + " " + ay + " " + az + " " + gx + " " + gy + " " + gz));
        assertThat(rows).hasSize(20);
        // Rigs come in any order, each in time order.
        rows.sort(java.util.Comparator.comparing((String r) -> !r.startsWith(ODD_RIG)));
        assertThat(rows.get(0))
                .isEqualTo(ODD_RIG + " " + (T + 500 * MS + 456_789) + " -5.0 9.80665 -0.5 1.25 -2.0 0.0035");
        assertThat(rows.get(9)).startsWith(ODD_RIG + " " + (T + 1_400 * MS + 456_789) + " ");
        assertThat(rows.get(10)).startsWith("rig-02 " + (T + 500 * MS + 7) + " 5.0 ");
        assertThat(rows.get(19)).startsWith("rig-02 " + (T + 1_400 * MS + 7) + " ");

        List<Long> one = new ArrayList<>();
        reads().imuSamples(
                        "rig-02", T + 500 * MS + 7, T + 1_500 * MS + 8, (rig, t, ax, ay, az, gx, gy, gz) -> one.add(t));
        assertThat(one).hasSize(11).startsWith(T + 500 * MS + 7).endsWith(T + 1_500 * MS + 7);
    }

    @Test
    void samplesAndRollupsAreCountedFoundAndMeasuredPerRig() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            imu(lines, ODD_RIG, T + i * 10 * MS, 1);
        }
        imu(lines, "rig-02", T + 5 * S, 1);
        rollup(lines, ODD_RIG, T, 1.5, 1.0, 10);
        rollup(lines, ODD_RIG, T + S, 1.5, 1.0, 990);
        rollup(lines, "rig-03", T + 2 * S, 1.5, 1.0, 7);
        write(lines);

        assertThat(reads().imuCount(ODD_RIG, T, T + 90 * MS)).isEqualTo(9);
        assertThat(reads().imuCount(ODD_RIG, T + 1, T + S)).isEqualTo(9);
        assertThat(reads().imuExists(ODD_RIG, T + 90 * MS, T + 90 * MS + 1)).isTrue();
        assertThat(reads().imuExists(ODD_RIG, T + 90 * MS + 1, T + S)).isFalse();
        assertThat(reads().imuExists("rig-03", T, T + 10 * S)).isFalse();
        assertThat(reads().rollupCount(ODD_RIG, T, T + S)).isEqualTo(1);
        assertThat(reads().rollupCount(ODD_RIG, T, T + S + 1)).isEqualTo(2);
        assertThat(reads().rollupsExist("rig-03", T + 2 * S, T + 3 * S)).isTrue();
        assertThat(reads().rollupsExist("rig-03", T, T + 2 * S)).isFalse();

        Map<String, StoreReads.Extent> raw = reads().imuExtents(T, T + 10 * S);
        assertThat(raw).containsOnlyKeys(ODD_RIG, "rig-02");
        assertThat(raw.get(ODD_RIG).samples()).isEqualTo(10);
        assertNear(raw.get(ODD_RIG).firstNanos(), T);
        assertNear(raw.get(ODD_RIG).lastNanos(), T + 90 * MS);
        assertThat(raw.get("rig-02").samples()).isEqualTo(1);
        Map<String, StoreReads.Extent> rollups = reads().rollupExtents(T, T + 10 * S);
        assertThat(rollups).containsOnlyKeys(ODD_RIG, "rig-03");
        assertThat(rollups.get(ODD_RIG)).isEqualTo(new StoreReads.Extent(1000, T, T + S));
        assertThat(reads().rollupExtents(T + 1, T + 2 * S)).containsOnlyKeys(ODD_RIG);
    }

    @Test
    void gapsAreTheIntervalsOverTheThresholdWithinInclusiveBounds() {
        StringBuilder lines = new StringBuilder();
        long[] times = {0, 1, 2, 5, 6, 7, 17, 18};
        for (long ms : times) {
            imu(lines, ODD_RIG, T + ms * MS, 1);
        }
        imu(lines, "rig-02", T + 3 * MS, 1);
        write(lines);

        List<StoreReads.Gap> gaps = reads().imuGaps(ODD_RIG, T, T + 18 * MS, 1500);
        assertThat(gaps).extracting(StoreReads.Gap::lengthMicros).containsExactly(3000L, 10_000L);
        assertNear(gaps.get(0).endNanos(), T + 5 * MS);
        assertNear(gaps.get(1).endNanos(), T + 17 * MS);
        assertThat(reads().imuGaps(ODD_RIG, T, T + 18 * MS, 3000))
                .extracting(StoreReads.Gap::lengthMicros)
                .containsExactly(10_000L);
        // Bounds inclusive: 5 and 7 ms are in, the gap ending at 5 ms is not (its start is out).
        assertThat(reads().imuGaps(ODD_RIG, T + 5 * MS, T + 7 * MS, 999))
                .extracting(StoreReads.Gap::lengthMicros)
                .containsExactly(1000L, 1000L);
        assertThat(reads().imuGaps(ODD_RIG, T + 3 * MS, T + 7 * MS, 1000)).isEmpty();
    }

    @Test
    void rollupsComeBySecondOrInBucketsAlignedToTheEpoch() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            rollup(lines, ODD_RIG, T + i * S, i, i / 2.0, 1000);
        }
        rollup(lines, "rig-02", T, 99, 99, 1000);
        write(lines);

        List<StoreReads.Rollup> seconds = reads().rollups(ODD_RIG, T + S, T + 4 * S);
        assertThat(seconds)
                .containsExactly(
                        new StoreReads.Rollup(T + S, 1, 0.5, 100, 50),
                        new StoreReads.Rollup(T + 2 * S, 2, 1, 200, 100),
                        new StoreReads.Rollup(T + 3 * S, 3, 1.5, 300, 150));
        // T is 23:59:59, an odd second: buckets of 2 s start at T - 1 s, T + 1 s, ...
        List<StoreReads.Rollup> buckets = reads().rollupBuckets(ODD_RIG, T, T + 5 * S, 2 * S);
        assertThat(buckets)
                .containsExactly(
                        new StoreReads.Rollup(T - S, 0, 0, 0, 0),
                        new StoreReads.Rollup(T + S, 2, 0.75, 200, 75),
                        new StoreReads.Rollup(T + 3 * S, 4, 1.75, 400, 175));
    }

    // ---- take summaries ----

    @Test
    void summariesAreThePointsOfAClosedSpan() {
        StringBuilder lines = new StringBuilder();
        summary(lines, ODD_RIG, ODD_ID, T, 1000, 2.5);
        summary(lines, "rig-02", ODD_ID, T, 900, 1.5);
        summary(lines, ODD_RIG, "take-2", T + 60 * S, 500, 3.5);
        summary(lines, ODD_RIG, "take-3", T + 61 * S, 500, 3.5);
        write(lines);

        List<StoreReads.SummaryRow> rows = reads().summaries(T, T + 60 * S);
        assertThat(rows).extracting(StoreReads.SummaryRow::takeId).containsExactlyInAnyOrder(ODD_ID, ODD_ID, "take-2");
        StoreReads.SummaryRow first = rows.stream()
                .filter(r -> r.rig().equals(ODD_RIG) && r.takeId().equals(ODD_ID))
                .findFirst()
                .orElseThrow();
        assertNear(first.timeNanos(), T);
        assertThat(first.source()).isEqualTo("live");
        assertThat(first.figures().get("samples").longValue()).isEqualTo(1000);
        assertThat(first.figures().get("peak_g").doubleValue()).isEqualTo(2.5);
        assertThat(first.figures().get("msdv_sq").doubleValue()).isEqualTo(0.25);
        assertThat(first.figures()).doesNotContainKey("max_hic15");
        assertThat(reads().summaries(T, T))
                .extracting(StoreReads.SummaryRow::rig)
                .containsExactlyInAnyOrder(ODD_RIG, "rig-02");
        assertThat(reads().summaries(T + 1, T + 59 * S)).isEmpty();
    }

    @Test
    void summarySumsAddUpPerSpanAndAreNullWithoutTakes() {
        StringBuilder lines = new StringBuilder();
        summary(lines, ODD_RIG, "take-1", T, 1000, 2.5);
        summary(lines, ODD_RIG, "take-2", T + 60 * S, 500, 3.5);
        Schema.startTakeSummary(lines, ODD_RIG, "take-3", "live");
        LineProtocol.field(lines, "samples", 10L);
        LineProtocol.field(lines, "max_hic15", 12.5);
        LineProtocol.field(lines, "above_3g_s", 4L);
        LineProtocol.end(lines, T + 120 * S);
        summary(lines, "rig-02", "take-1", T, 900, 9);
        write(lines);

        List<StoreReads.SummarySums> sums = reads().summarySums(List.of(
                new StoreReads.RigSpan(ODD_RIG, T, T + 60 * S),
                new StoreReads.RigSpan(ODD_RIG, T, T + 121 * S),
                new StoreReads.RigSpan(ODD_RIG, T + 1, T + 60 * S),
                new StoreReads.RigSpan("rig-03", T, T + 121 * S)));
        assertThat(sums.get(0)).isEqualTo(new StoreReads.SummarySums(1, 2, 0, 0.25, 1.5, 0, 0, 2.5));
        assertThat(sums.get(1)).isEqualTo(new StoreReads.SummarySums(3, 4, 12.5, 0.5, 3, 4, 1, 3.5));
        assertThat(sums.get(2)).isNull();
        assertThat(sums.get(3)).isNull();
        List<StoreReads.RigSpan> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add(new StoreReads.RigSpan(i % 2 == 0 ? ODD_RIG : "rig-02", T, T + 1));
        }
        List<StoreReads.SummarySums> all = reads().summarySums(many);
        assertThat(all).hasSize(150);
        assertThat(all.get(149).maxPeakG()).isEqualTo(9);
        assertThat(all.get(148).maxPeakG()).isEqualTo(2.5);
    }

    @Test
    void exposureRowsAreTheSummaryFiguresOfAHalfOpenRange() {
        StringBuilder lines = new StringBuilder();
        summary(lines, ODD_RIG, ODD_ID, T, 1000, 2.5);
        Schema.startTakeSummary(lines, "rig-02", "take-2", "history");
        LineProtocol.field(lines, "samples", 10L);
        LineProtocol.field(lines, "impacts", 3L);
        LineProtocol.field(lines, "max_hic15", 12.5);
        LineProtocol.field(lines, "peak_g", 11.25);
        LineProtocol.field(lines, "head_turns", 7L);
        LineProtocol.field(lines, "msdv", 2.0);
        LineProtocol.end(lines, T + 60 * S);
        summary(lines, ODD_RIG, "take-3", T + 120 * S, 500, 3.5);
        Schema.startTakeSummary(lines, ODD_RIG, "no-samples", "live");
        LineProtocol.field(lines, "impacts", 9L);
        LineProtocol.end(lines, T + 30 * S);
        write(lines);

        List<StoreReads.ExposureRow> rows = reads().exposureRows(T, T + 120 * S);
        assertThat(rows).extracting(StoreReads.ExposureRow::takeId).containsExactlyInAnyOrder(ODD_ID, "take-2");
        StoreReads.ExposureRow odd =
                rows.stream().filter(r -> r.rig().equals(ODD_RIG)).findFirst().orElseThrow();
        assertNear(odd.timeNanos(), T);
        assertThat(odd.impacts()).isEqualTo(2);
        assertThat(odd.peakG()).isEqualTo(2.5);
        assertThat(odd.msdvSquared()).isEqualTo(0.25);
        assertThat(odd.maxHic15()).isZero();
        assertThat(odd.headTurns()).isZero();
        StoreReads.ExposureRow two =
                rows.stream().filter(r -> r.rig().equals("rig-02")).findFirst().orElseThrow();
        assertThat(two.impacts()).isEqualTo(3);
        assertThat(two.maxHic15()).isEqualTo(12.5);
        assertThat(two.peakG()).isEqualTo(11.25);
        assertThat(two.headTurns()).isEqualTo(7);
        assertThat(two.msdvSquared()).isEqualTo(4.0);
        assertThat(reads().exposureRows(T + 1, T + 60 * S)).isEmpty();
        assertThat(reads().exposureRows(T, T + 121 * S)).hasSize(3);
    }

    // ---- motion events ----

    @Test
    void motionEventsComeByRigTypeAndOnsetWithTheirFieldsByName() {
        StringBuilder lines = new StringBuilder();
        Schema.motionEvent(
                lines,
                new MotionEventPoint(ODD_RIG, "whip-pan", T + 2 * S, T + 3 * S, 250, 90, "left", Double.NaN, 0, ""));
        Schema.motionEvent(
                lines,
                new MotionEventPoint(ODD_RIG, "head-turn", T + 4 * S, T + 5 * S, 120, 45, "right", Double.NaN, 0, ""));
        Schema.motionEvent(
                lines,
                new MotionEventPoint(ODD_RIG, "head-turn", T + S, T + 2 * S, 100, 30, "left", Double.NaN, 0, ""));
        Schema.motionEvent(
                lines,
                new MotionEventPoint("rig-02", "impact", T + 500 * MS, T + 501 * MS, 12, Double.NaN, "", 80.5, 0, "x"));
        Schema.motionEvent(
                lines,
                new MotionEventPoint(
                        "rig-02", "dropout", T + 10 * S, T + 11 * S, Double.NaN, Double.NaN, "", Double.NaN, 7, ""));
        write(lines);

        List<StoreReads.MotionEventRow> all = new ArrayList<>(reads().motionEvents(T, T + 10 * S, null));
        // Groups of rig and type come in any order, each by onset.
        assertThat(all)
                .extracting(StoreReads.MotionEventRow::type)
                .containsExactlyInAnyOrder("head-turn", "head-turn", "whip-pan", "impact");
        List<StoreReads.MotionEventRow> turns =
                all.stream().filter(e -> e.type().equals("head-turn")).toList();
        assertThat(turns).extracting(StoreReads.MotionEventRow::rig).containsExactly(ODD_RIG, ODD_RIG);
        assertNear(turns.get(1).onsetNanos(), T + 4 * S);
        all.sort(java.util.Comparator.comparing(StoreReads.MotionEventRow::rig)
                .thenComparing(StoreReads.MotionEventRow::type)
                .thenComparingLong(StoreReads.MotionEventRow::onsetNanos));
        assertThat(all.get(0).rig()).isEqualTo(ODD_RIG);
        assertNear(all.get(0).onsetNanos(), T + S);
        assertThat(all.get(0).fields())
                .containsExactly(
                        Map.entry("angle_deg", 30.0),
                        Map.entry("direction", "left"),
                        Map.entry("end_ns", (double) (T + 2 * S)),
                        Map.entry("peak", 100.0));
        assertThat(all.get(3).fields())
                .containsExactly(
                        Map.entry("axis", "x"),
                        Map.entry("end_ns", (double) (T + 501 * MS)),
                        Map.entry("hic15", 80.5),
                        Map.entry("peak", 12.0));
        assertThat(reads().motionEvents(T, T + 11 * S, List.of("whip-pan", "dropout")))
                .extracting(StoreReads.MotionEventRow::type)
                .containsExactlyInAnyOrder("whip-pan", "dropout");
        assertThat(reads().motionEvents(T, T + 11 * S, List.of("dropout"))
                        .get(0)
                        .fields())
                .containsEntry("missing", 7.0);
    }

    // ---- imported points ({@code source} tag) and clips ----

    @Test
    void importedPointsAreReadBySourceAndTheirEventsSayIt() {
        StringBuilder lines = new StringBuilder();
        imu(lines, ODD_RIG, T, 1);
        imu(lines, ODD_RIG, T + MS, 1);
        rollup(lines, ODD_RIG, T, 1, 0.5, 2);
        Schema.motionEvent(
                lines,
                new MotionEventPoint(ODD_RIG, "head-turn", T + S, T + 2 * S, 100, 30, "left", Double.NaN, 0, ""));
        write(lines);
        // As SourcedLineBatch writes them: the same rig, tagged source=gopro.
        StringBuilder gopro = new StringBuilder();
        for (long t : new long[] {T + MS / 2, T + 2 * MS, T + 3 * MS}) {
            gopro.append(Schema.imuPrefix(ODD_RIG).replace(" ax=", ",source=gopro ax="));
            Schema.imuPoint(gopro, "", t, new double[] {3, 9.80665, -0.5, 1.25, -2, 3.5e-3}, 0, 7);
        }
        write(gopro);
        StringBuilder goproEvent = new StringBuilder();
        Schema.motionEvent(
                goproEvent,
                new MotionEventPoint(ODD_RIG, "head-turn", T + 3 * S, T + 4 * S, 90, 20, "right", Double.NaN, 0, ""));
        write(new StringBuilder(goproEvent.toString().replace(",type=", ",source=gopro,type=")));

        StoreReads reads = reads();
        assertThat(reads.imuCount(ODD_RIG, T, T + S)).isEqualTo(5);
        assertThat(reads.imuCount(ODD_RIG, StoreReads.RIG_SOURCE, T, T + S)).isEqualTo(2);
        assertThat(reads.imuCount(ODD_RIG, "gopro", T, T + S)).isEqualTo(3);
        assertThat(reads.imuExists(ODD_RIG, "gopro", T + 4 * MS, T + S)).isFalse();
        List<Double> ax = new ArrayList<>();
        reads.imuSamples(ODD_RIG, "gopro", T, T + S, (rig, t, x, ay, az, gx, gy, gz) -> ax.add(x));
        assertThat(ax).containsExactly(3.0, 3.0, 3.0);
        assertThat(reads.rollupCount(ODD_RIG, StoreReads.RIG_SOURCE, T, T + S)).isEqualTo(1);
        assertThat(reads.rollupsExist(ODD_RIG, "gopro", T, T + S)).isFalse();
        assertThat(reads.rollups(ODD_RIG, "gopro", T, T + S)).isEmpty();

        List<StoreReads.MotionEventRow> events = new ArrayList<>(reads.motionEvents(T, T + 10 * S, null));
        events.sort(java.util.Comparator.comparingLong(StoreReads.MotionEventRow::onsetNanos));
        assertThat(events).hasSize(2);
        assertThat(events.get(0).fields()).doesNotContainKey("source");
        assertThat(events.get(1).fields()).containsEntry("source", "gopro");
    }

    @Test
    void importedClipsAreListedByTheirFirstSampleWithExactTimes() {
        StringBuilder lines = new StringBuilder();
        Schema.importClip(
                lines,
                new ImportClipPoint(
                        ODD_RIG,
                        "C344_GX010042_23:59:58:00",
                        "GX010042",
                        ODD_ID,
                        "HERO6 Black",
                        "C3441324567890",
                        T + 123_456_789L,
                        T + 5 * S + 1,
                        1200,
                        "23:59:58:00"));
        Schema.importClip(
                lines, new ImportClipPoint("rig-02", "noserial_GX020001_notc", "", "take-2", "", "", T - S, T, 2, ""));
        write(lines);

        List<StoreReads.ImportClipRow> clips = reads().importClips(T, T + 10 * S);
        assertThat(clips)
                .containsExactly(new StoreReads.ImportClipRow(
                        ODD_RIG,
                        "C344_GX010042_23:59:58:00",
                        "GX010042",
                        ODD_ID,
                        "HERO6 Black",
                        "C3441324567890",
                        T + 123_456_789L,
                        T + 5 * S + 1,
                        1200,
                        "23:59:58:00"));
        assertThat(reads().importClips(T - S, T + 10 * S))
                .extracting(StoreReads.ImportClipRow::takeId)
                .containsExactly("take-2", ODD_ID);
        assertThat(reads().importClips(T + 10 * S, T + 20 * S)).isEmpty();
    }

    // ---- overwrites ----

    @Test
    void aPointWrittenTwiceIsStoredOnceWithTheNewerFields() {
        StringBuilder lines = new StringBuilder();
        imu(lines, ODD_RIG, T, 1);
        imu(lines, ODD_RIG, T + MS, 1);
        write(lines);
        StringBuilder again = new StringBuilder();
        imu(again, ODD_RIG, T, 2);
        write(again);

        assertThat(reads().imuCount(ODD_RIG, T, T + S)).isEqualTo(2);
        List<Double> ax = new ArrayList<>();
        reads().imuSamples(ODD_RIG, T, T + S, (rig, t, x, ay, az, gx, gy, gz) -> ax.add(x));
        assertThat(ax).containsExactly(2.0, 1.0);
    }
}
