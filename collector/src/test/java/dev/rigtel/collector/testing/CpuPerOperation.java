package dev.rigtel.collector.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.IntSupplier;

/**
 * The CPU time of an operation, for benchmarks' {@code main}s on a shared machine, where JMH's
 * wall-clock figures move with the other load: the thread's CPU time ({@link ThreadMXBean}) over
 * 2-second rounds, best of 5 after 2 rounds of warm-up.
 */
public final class CpuPerOperation {

    private CpuPerOperation() {}

    /** CPU nanoseconds per unit of {@code operation}, which does {@code unitsPerCall} units a call. */
    public static double nanos(IntSupplier operation, int unitsPerCall) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        double best = Double.MAX_VALUE;
        for (int round = -2; round < 5; round++) {
            long wallEnd = System.nanoTime() + 2_000_000_000L;
            long cpu = threads.getCurrentThreadCpuTime();
            long calls = 0;
            while (System.nanoTime() < wallEnd) {
                for (int i = 0; i < 1000; i++) {
                    sink += operation.getAsInt();
                }
                calls += 1000;
            }
            double perUnit = (threads.getCurrentThreadCpuTime() - cpu) / (double) (calls * unitsPerCall);
            if (round >= 0) {
                best = Math.min(best, perUnit);
            }
        }
        return sink == 42 ? best + 0 : best;
    }
}
