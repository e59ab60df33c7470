package dev.rigtel.collector.motion;

/**
 * Running median of the last {@value #WINDOW} sample intervals. Recomputed on every interval while
 * young, then every {@value #REFRESH} intervals by quickselect on a scratch copy: O(1) amortised and
 * allocation-free.
 */
final class IntervalMedian {

    static final int WINDOW = 128;
    static final int REFRESH = 16;
    /** Intervals needed before the median is trusted for gap detection. */
    static final int MIN_INTERVALS = 4;

    private final long[] ring = new long[WINDOW];
    private final long[] scratch = new long[WINDOW];
    private long count;
    private long median;

    void add(long intervalNanos) {
        ring[(int) (count % WINDOW)] = intervalNanos;
        count++;
        if (count <= REFRESH || count % REFRESH == 0) {
            int n = (int) Math.min(count, WINDOW);
            System.arraycopy(ring, 0, scratch, 0, n);
            median = select(scratch, n, n / 2);
        }
    }

    /** The median interval in nanoseconds, 0 until {@value #MIN_INTERVALS} intervals were seen. */
    long median() {
        return count >= MIN_INTERVALS ? median : 0;
    }

    /** The median of whatever was seen, 0 if nothing. */
    long bestGuess() {
        return median;
    }

    private static long select(long[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            long pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }
}
