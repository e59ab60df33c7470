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
    void refusesNonFiniteFloats() {
        assertThatThrownBy(() -> LineProtocol.field(new StringBuilder(), "f", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void escapesMeasurementNames() {
        assertThat(LineProtocol.measurement(new StringBuilder(), "a b,c=d")).hasToString("a\\ b\\,c=d");
    }
}
