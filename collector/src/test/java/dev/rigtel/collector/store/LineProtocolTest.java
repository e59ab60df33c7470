package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
