package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Pins the line protocol of every kind of typed point to what the collector wrote before the write
 * port existed ({@code store/write-encodings.txt}, captured from the former encoders): the schema
 * must not change.
 */
class LineBatchTest {

    private static final long T = 1_700_000_000_000_000_000L;

    private static Map<String, String> expected() throws IOException {
        String text;
        try (InputStream in = LineBatchTest.class.getResourceAsStream("/store/write-encodings.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> byKind = new LinkedHashMap<>();
        for (String section : text.split("== ")) {
            if (!section.isEmpty()) {
                int newline = section.indexOf('\n');
                byKind.put(section.substring(0, newline), section.substring(newline + 1));
            }
        }
        return byKind;
    }

    private static LineBatch batch() {
        return new LineBatch(null, 0);
    }

    @Test
    void encodesEveryKindAsTheSchemaAlwaysHas() throws IOException {
        Map<String, String> expected = expected();
        Map<String, LineBatch> actual = new LinkedHashMap<>();

        double[] v = {0.125, -9.80665, 1.0, 12.5, -0.001, 1234.5678, 0.1, 0.2, 0.3, 1e-5, 3.0, -7.25};
        actual.put("imu", (LineBatch) new LineBatch(null, 2)
                .imu("rig 01,a=b\\c", new long[] {T + 123_456_789L, T + 133_456_789L}, v, new long[] {
                    42_000_000L, 52_000_000L
                }));
        actual.put("clock", (LineBatch) batch().clockSegment(new ClockSegmentPoint(
                "rig-01", "boot 7", 1_000_000_000L, 10_000_000_000L, T + 1, 1.0000125, "locked", 12.5, 1500.0)));
        actual.put("timecode", (LineBatch) batch().timecode(new TimecodePoint(
                "rig-01", T + 40_000_000L, "14:03:27;01", "29.97", true, 1234567L, 987_654_321L, 17L, "b1")));
        actual.put("status", (LineBatch) batch().status(new StatusPoint(
                        "rig-01",
                        5L,
                        "b1",
                        OptionalDouble.of(87.5),
                        OptionalDouble.of(3.9),
                        OptionalDouble.of(41.25),
                        OptionalInt.of(-61),
                        Optional.of(true),
                        OptionalDouble.of(500.0),
                        OptionalInt.of(16),
                        OptionalInt.of(2000),
                        Optional.of("1.2.3 \"beta\""),
                        T + 500_000_000L))
                .status(new StatusPoint(
                        "rig-02",
                        6L,
                        "b2",
                        OptionalDouble.empty(),
                        OptionalDouble.empty(),
                        OptionalDouble.empty(),
                        OptionalInt.empty(),
                        Optional.empty(),
                        OptionalDouble.empty(),
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        Optional.empty(),
                        T + 600_000_000L)));
        actual.put("alert", (LineBatch) batch().alert(
                        new AlertPoint("rig-01", "timecode-jump", "jumped \"5\" frames\nback", 5.0, T + 1_000_000_000L))
                .alert(new AlertPoint("collector", "disk-warning", "low", Double.NaN, T + 1_000_000_001L)));
        actual.put("rollup", (LineBatch)
                batch().rollup(new RollupPoint("rig-01", T, 1.5, 1.0125, 250.25, 33.3, 500, 500, 0)));
        actual.put("motion", (LineBatch) batch().motionEvent(new MotionEventPoint(
                        "rig-01", "impact", T + 100_000_000L, T + 115_000_000L, 9.5, 0, "", 120.5, 0, ""))
                .motionEvent(new MotionEventPoint(
                        "rig-01",
                        "head-turn",
                        T + 200_000_000L,
                        T + 700_000_000L,
                        180.0,
                        92.5,
                        "left",
                        Double.NaN,
                        0,
                        ""))
                .motionEvent(new MotionEventPoint(
                        "rig-01", "clipping", T + 300_000_000L, T + 300_000_000L, 16.0, 0, "", Double.NaN, 0, "ax"))
                .motionEvent(new MotionEventPoint(
                        "rig-01", "dropout", T + 400_000_000L, T + 900_000_000L, 0, 0, "", Double.NaN, 250, ""))
                .motionEvent(new MotionEventPoint(
                        "rig-01",
                        "whip-pan",
                        T + 1_400_000_000L,
                        T + 1_900_000_000L,
                        Double.NaN,
                        Double.NaN,
                        "right",
                        Double.NaN,
                        0,
                        "")));
        actual.put("summary", (LineBatch) batch().takeSummary(new TakeSummaryPoint(
                        "rig-01",
                        "take-1 a",
                        T,
                        "live",
                        62.5,
                        31250,
                        4.5,
                        300.25,
                        55.5,
                        2,
                        130.5,
                        3,
                        1,
                        0.75,
                        0.33,
                        0.125,
                        3.5,
                        4))
                .takeSummary(new TakeSummaryPoint(
                        "rig-02",
                        "take-1 a",
                        T,
                        "storage",
                        Double.NaN,
                        0,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        0,
                        Double.NaN,
                        0,
                        0,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        -1)));
        LocalDate d = LocalDate.of(2026, 11, 21);
        actual.put("slate", (LineBatch) batch().slate(new SlatePoint(
                        "ev-1",
                        T,
                        "14:03:27:01",
                        "25",
                        d,
                        new SlatePoint.Roll("12A", "3", 4, "A007", "note \"x\""),
                        T + 123_733L))
                .slate(new SlatePoint(
                        "ev-2", T + 60_000_000_000L, "14:04:27:01", "25", d, new SlatePoint.Cut(), T + 60_000_123_734L))
                .slate(new SlatePoint(
                        "ev-3",
                        T + 70_000_000_000L,
                        "14:04:37:01",
                        "25",
                        d,
                        new SlatePoint.Mark("12A", "3", 4, "circled", ""),
                        T + 70_000_123_735L))
                .slate(new SlatePoint(
                        "ev-4",
                        T + 80_000_000_000L,
                        "14:04:47:01",
                        "25",
                        d,
                        new SlatePoint.Assign("rig-01", "Ana Lima"),
                        T + 80_000_123_736L)));
        actual.put("command", (LineBatch) batch().command(new CommandPoint(
                        "rig-01",
                        "identify",
                        "sent",
                        "cmd-0001700000000000-0001ab",
                        "{\"seconds\":10}",
                        "op \"1\"",
                        "",
                        1_700_000_000_000L,
                        1_700_000_030_000L,
                        1_700_000_000_005_933_026L))
                .command(new CommandPoint(
                        "rig-01",
                        "identify",
                        "failed",
                        "cmd-0001700000000000-0001ab",
                        "{\"seconds\":10}",
                        "op \"1\"",
                        "no \"LED\"",
                        1_700_000_000_000L,
                        1_700_000_030_000L,
                        1_700_000_001_000_933_026L)));

        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, LineBatch> kind : actual.entrySet()) {
            String lines = kind.getValue().lines();
            assertThat(lines).as(kind.getKey()).isEqualTo(expected.get(kind.getKey()));
            assertThat(kind.getValue().points()).as(kind.getKey() + " points").isEqualTo(lines.split("\n").length);
        }
    }
}
