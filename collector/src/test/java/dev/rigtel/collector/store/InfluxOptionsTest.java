package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InfluxOptionsTest {

    @Test
    void autoGzipsOnlyWhenInfluxDbIsNotOnThisMachine() {
        assertThat(InfluxOptions.gzipFor("auto", "http://127.0.0.1:8086")).isFalse();
        assertThat(InfluxOptions.gzipFor("auto", "http://127.0.0.53:8086")).isFalse();
        assertThat(InfluxOptions.gzipFor("auto", "http://localhost:8086")).isFalse();
        assertThat(InfluxOptions.gzipFor("auto", "https://LOCALHOST")).isFalse();
        assertThat(InfluxOptions.gzipFor("auto", "http://[::1]:8086")).isFalse();

        assertThat(InfluxOptions.gzipFor("auto", "http://influxdb:8086")).isTrue();
        assertThat(InfluxOptions.gzipFor("auto", "http://10.0.0.5:8086")).isTrue();
        assertThat(InfluxOptions.gzipFor("auto", "http://[2001:db8::1]:8086")).isTrue();
        assertThat(InfluxOptions.gzipFor("auto", "https://eu-central-1-1.aws.cloud2.influxdata.com"))
                .isTrue();
        assertThat(InfluxOptions.gzipFor("auto", "not a url")).isTrue();
    }

    @Test
    void trueAndFalseAreObeyedWhereverInfluxDbIs() {
        assertThat(InfluxOptions.gzipFor("true", "http://127.0.0.1:8086")).isTrue();
        assertThat(InfluxOptions.gzipFor("TRUE", "http://localhost:8086")).isTrue();
        assertThat(InfluxOptions.gzipFor("false", "http://influxdb:8086")).isFalse();
    }

    @Test
    void refusesAnotherSetting() {
        assertThatThrownBy(() -> InfluxOptions.gzipFor("yes", "http://influxdb:8086"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--influx-gzip must be auto, true or false");
    }
}
