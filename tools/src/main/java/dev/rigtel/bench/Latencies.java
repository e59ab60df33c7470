package dev.rigtel.bench;

import java.util.Arrays;

/**
 * Latency observations in nanoseconds, kept whole (a run records at most a few million), and their
 * percentiles by the nearest-rank method: the p-th percentile of n sorted values is the value at
 * rank {@code ceil(p / 100 * n)} (1-based), so p50 of {1, 2, 3, 4} is 2 and p99 of 100 values is the
 * 99th. Thread-safe; recording is a synchronized append.
 */
final class Latencies {

    private long[] values = new long[1024];
    private int count;

    synchronized void record(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = nanos;
    }

    synchronized int count() {
        return count;
    }

    /** A copy of what was recorded, sorted; percentiles are read from it. */
    synchronized Summary summary() {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return new Summary(sorted);
    }

    synchronized void clear() {
        count = 0;
    }

    /** Sorted observations. */
    static final class Summary {
        private final long[] sorted;

        Summary(long[] sorted) {
            this.sorted = sorted;
        }

        int count() {
            return sorted.length;
        }

        /** Nearest-rank percentile, 0 < p <= 100; throws when there are no observations. */
        long percentile(double p) {
            if (!(p > 0 && p <= 100)) {
                throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
            }
            if (sorted.length == 0) {
                throw new IllegalStateException("no observations");
            }
            // In decimal, not binary floating point: 99.9 / 100 * 1000 is 999.0000000000001 as a double,
            // whose ceiling would be rank 1000 instead of 999.
            int rank = java.math.BigDecimal.valueOf(p)
                    .multiply(java.math.BigDecimal.valueOf(sorted.length))
                    .divide(java.math.BigDecimal.valueOf(100))
                    .setScale(0, java.math.RoundingMode.CEILING)
                    .intValueExact();
            return sorted[Math.max(1, rank) - 1];
        }

        long max() {
            return percentile(100);
        }

        /** {@code p50 / p99 / max} in milliseconds, or "-" without observations. */
        String millis() {
            if (sorted.length == 0) {
                return "-";
            }
            return ms(percentile(50)) + " / " + ms(percentile(99)) + " / " + ms(max()) + " ms";
        }

        static String ms(long nanos) {
            double ms = nanos / 1e6;
            if (ms < 10) {
                return String.format(java.util.Locale.ROOT, "%.2f", ms);
            }
            if (ms < 100) {
                return String.format(java.util.Locale.ROOT, "%.1f", ms);
            }
            return String.format(java.util.Locale.ROOT, "%.0f", ms);
        }
    }
}
