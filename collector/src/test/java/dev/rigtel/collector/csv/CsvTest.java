package dev.rigtel.collector.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "Dana Brooks|Dana Brooks",
                "Brooks, Dana|~\"Brooks, Dana\"~",
                "Dana \"Dash\" Brooks|~\"Dana \"\"Dash\"\" Brooks\"~",
                "=HYPERLINK(\"http://x\")|~\"'=HYPERLINK(\"\"http://x\"\")\"~",
                "+1 555|'+1 555",
                "-Dana|'-Dana",
                "@Dana|'@Dana",
                "~~|~~",
            })
    void textIsQuotedAsRfc4180SaysAndNeverStartsLikeAFormula(String text, String field) {
        assertThat(Csv.text(text == null ? "" : text)).isEqualTo(field == null ? "" : field);
    }
}
