package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineProtocolTest {

    private static String tagged(String value) {
        StringBuilder out = new StringBuilder();
        LineProtocol.measurement(out, "m");
        LineProtocol.tag(out, "rig", value);
        LineProtocol.firstField(out, "f", 1.5);
        LineProtocol.end(out, 7);
        return out.toString();
    }

    @Test
    void escapesCommasEqualsAndSpacesInTagValues() {
        assertThat(tagged("a,b=c d")).isEqualTo("m,rig=a\\,b\\=c\\ d f=1.5 7\n");
    }

    @Test
    void replacesBackslashesInTagsBecauseNoEscapeOfThemIsPortable() {
        assertThat(tagged("end\\")).isEqualTo("m,rig=end/ f=1.5 7\n");
        assertThat(tagged("a\\,b")).isEqualTo("m,rig=a/\\,b f=1.5 7\n");
    }

    @Test
    void aNewlineCanNeverStartAnotherPoint() {
        String line = tagged("x\nevil,rig=y f=666 1");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(line).startsWith("m,rig=x\uFFFDevil\\,rig\\=y\\ f\\=666\\ 1 f=1.5 7");
    }

    @Test
    void keepsUnicodeAndQuotesInTags() {
        assertThat(tagged("Zoë \"Stunt\" 🎥")).isEqualTo("m,rig=Zoë\\ \"Stunt\"\\ 🎥 f=1.5 7\n");
    }

    @Test
    void writesEmptyTagValuesAsDash() {
        assertThat(tagged("")).isEqualTo("m,rig=- f=1.5 7\n");
    }

    @Test
    void escapesQuotesAndBackslashesInStringFields() {
        StringBuilder out = new StringBuilder("m");
        LineProtocol.firstField(out, "note", "say \"cut\" \\ then\nroll");
        assertThat(out).hasToString("m note=\"say \\\"cut\\\" \\\\ then\uFFFDroll\"");
    }

    @Test
    void writesIntegersWithSuffixAndFloatsThatReadBackExactly() {
        StringBuilder out = new StringBuilder("m");
        LineProtocol.firstField(out, "a", 3L);
        LineProtocol.field(out, "b", 0.1 + 0.2);
        LineProtocol.field(out, "c", 2.0);
        LineProtocol.field(out, "d", 1e-7);
        LineProtocol.field(out, "e", true);
        assertThat(out).hasToString("m a=3i,b=0.30000000000000004,c=2,d=1.0E-7,e=t");
        assertThat(Double.parseDouble("0.30000000000000004")).isEqualTo(0.1 + 0.2);
    }

    @Test
    void writesSensorValuesInFixedPointWithTheFewestDecimals() {
        assertThat(floatText(9.81)).isEqualTo("9.81");
        assertThat(floatText(-0.0123)).isEqualTo("-0.0123");
        assertThat(floatText(0.005)).isEqualTo("0.005");
        assertThat(floatText(12.5)).isEqualTo("12.5");
        assertThat(floatText(-1234.567)).isEqualTo("-1234.567");
        // A CBOR single-precision 9.81 widened to double needs all its digits.
        assertThat(floatText((float) 9.81)).isEqualTo("9.8100004196167");
    }

    @Test
    void everyFloatReadsBackAsExactlyTheSameDouble() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            double v =
                    switch (i % 5) {
                        case 0 -> Math.rint(random.nextGaussian() * 50 * 1e4) / 1e4; // 4 decimals, as JSON
                        case 1 -> (float) (random.nextGaussian() * 2000); // CBOR single precision
                        case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(-8, 16));
                        case 3 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern
                        default -> random.nextInt(-100_000, 100_000) / 1000.0;
                    };
            if (!Double.isFinite(v)) {
                continue;
            }
            String text = floatText(v);
            assertThat(Double.parseDouble(text))
                    .as("%s from %s", text, Double.toString(v))
                    .isEqualTo(v);
            assertThat(text).doesNotContain(" ", ",");
        }
    }

    private static String floatText(double v) {
        StringBuilder out = new StringBuilder();
        LineProtocol.firstField(out, "f", v);
        return out.substring(" f=".length());
    }

    /** What {@link LineProtocol#decimalValue} must print: the double the column reads back as, printed. */
    private static void assertDecimalPrintsAsItsDouble(long m, int k) {
        String expected = LineProtocol.floatValue(new StringBuilder(), LineProtocol.decimalToDouble(m, k))
                .toString();
        assertThat(LineProtocol.decimalValue(new StringBuilder("x="), m, k).toString())
                .as("m=%d k=%d", m, k)
                .isEqualTo("x=" + expected);
    }

    @Test
    void decimalsPrintFromTheirDigitsAsTheirDoublesDo() {
        long[] edges = {
            0,
            1,
            -1,
            5,
            9,
            10,
            100,
            123,
            -123,
            1000,
            9999,
            10_000,
            98_066,
            -98_066,
            999_999_999_999_999L,
            1_000_000_000_000_000L,
            1_000_000_000_000_001L,
            123_456_789_012_345L,
            1_234_567_890_123_456L,
            (1L << 53) - 1,
            -(1L << 53) + 1,
            1L << 53,
            -(1L << 53),
            (1L << 53) + 1,
            10_000_000_000_000_000L,
            100_000_000_000_000_000L,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            Long.MIN_VALUE + 1,
            4_882_812_500L
        };
        for (long m : edges) {
            for (int k = 0; k <= 17; k++) {
                assertDecimalPrintsAsItsDouble(m, k);
                assertDecimalPrintsAsItsDouble(-m, k);
            }
        }
        // Around the fixed-point range's ends, 1e-3 and 1e15, and the 15-digit bound.
        for (int k = 0; k <= 17; k++) {
            for (long base : new long[] {1, 999, 1000, 1001, 999_999_999_999_999L, 100_000_000_000_000L}) {
                for (long d = -3; d <= 3; d++) {
                    assertDecimalPrintsAsItsDouble(base + d, k);
                    assertDecimalPrintsAsItsDouble(-(base + d), k);
                }
            }
        }
    }

    @Test
    void anyDecimalAColumnCanHoldPrintsAsItsDouble() {
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 0; i < 400_000; i++) {
            int digits = 1 + random.nextInt(17);
            long m = random.nextLong(LONG_POWERS[digits]);
            if (random.nextInt(4) == 0) {
                m = m / 100 * 100; // trailing zeros
            }
            if (random.nextBoolean()) {
                m = -m;
            }
            assertDecimalPrintsAsItsDouble(m, random.nextInt(18));
        }
        // Sensor values as JSON firmware prints them: a few decimals, trailing zeros dropped or not.
        for (long m = -200_000; m <= 200_000; m += 7) {
            for (int k = 0; k <= 6; k++) {
                assertDecimalPrintsAsItsDouble(m, k);
            }
        }
    }

    /** 10^0 .. 10^17, computed here rather than taken from the code under test. */
    private static final long[] LONG_POWERS =
            java.util.stream.LongStream.iterate(1L, p -> p * 10).limit(18).toArray();

    @Test
    void refusesNonFiniteFloats() {
        assertThatThrownBy(() -> LineProtocol.field(new StringBuilder(), "f", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void escapesMeasurementNames() {
        assertThat(LineProtocol.measurement(new StringBuilder(), "a b,c=d")).hasToString("a\\ b\\,c=d");
    }
}
