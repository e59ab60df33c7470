package dev.rigtel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String TEXT = String.join(
            "\n",
            "# HELP jvm_memory_used_bytes The amount of used memory",
            "# TYPE jvm_memory_used_bytes gauge",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.2E7",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 3000000.0",
            "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 5.0E7",
            "rigtel_store_spool_points 0.0",
            "rigtel_store_spool_points_max 12.0",
            "rigtel_ingest_samples_total 130000.0",
            "");

    @Test
    void sumsTheSamplesWhoseLabelsMatch() {
        assertThat(PrometheusText.sum(TEXT, "jvm_memory_used_bytes", "area=\"heap\""))
                .isEqualTo(15_000_000.0);
        assertThat(PrometheusText.sum(TEXT, "jvm_memory_used_bytes")).isEqualTo(65_000_000.0);
    }

    @Test
    void readsUnlabelledSamplesAndIgnoresLongerNames() {
        assertThat(PrometheusText.sum(TEXT, "rigtel_store_spool_points")).isZero();
        assertThat(PrometheusText.sum(TEXT, "rigtel_ingest_samples_total")).isEqualTo(130_000.0);
    }

    @Test
    void isNanForAMetricThatIsNotThere() {
        assertThat(PrometheusText.sum(TEXT, "rigtel_nothing")).isNaN();
    }
}
