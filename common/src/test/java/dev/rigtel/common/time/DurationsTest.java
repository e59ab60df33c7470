package dev.rigtel.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsAnAmountWithAUnit() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void takesAnyCaseAndSpacesAround() {
        assertThat(Durations.parse(" 15S ")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Durations.parse("250MS")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void readsIso8601() {
        assertThat(Durations.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("pt10s")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refusesAnythingElseSayingHowToWriteOne() {
        for (String text : new String[] {"ten", "15", "", "1.5s", "-1s", "1w"}) {
            assertThatThrownBy(() -> Durations.parse(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a duration: write e.g. 250ms, 10s, 5m, 1h or 7d");
        }
    }
}
