package dev.rigtel.dashboard.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventStreamFormatTest {

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void framesAnEventWithItsNameAndData() {
        assertThat(text(EventStreamFormat.event("state", "{\"v\":1}"))).isEqualTo("event: state\ndata: {\"v\":1}\n\n");
    }

    @Test
    void splitsDataWithLineBreaksIntoSeveralDataLines() {
        assertThat(text(EventStreamFormat.event("alert", "a\nb\r\nc\rd")))
                .isEqualTo("event: alert\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
    }

    @Test
    void keepsNamesAndCommentsOnOneLine() {
        assertThat(text(EventStreamFormat.event("x\ny", "1"))).startsWith("event: x y\n");
        assertThat(text(EventStreamFormat.comment("heart\nbeat"))).isEqualTo(": heart beat\n\n");
        assertThat(text(EventStreamFormat.retry(2000))).isEqualTo("retry: 2000\n\n");
    }

    @Test
    void encodesUtf8() {
        assertThat(EventStreamFormat.event("state", "\"Zoë\"")).contains((byte) 0xc3, (byte) 0xab);
    }
}
