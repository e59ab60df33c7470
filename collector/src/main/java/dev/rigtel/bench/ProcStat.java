package dev.rigtel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from Linux's {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status} (proc(5)). CPU time is in clock ticks, {@value #TICKS_PER_SECOND} a
 * second on every Linux we run on ({@code getconf CLK_TCK}).
 */
final class ProcStat {

    static final int TICKS_PER_SECOND = 100;

    private ProcStat() {}

    /** User plus system CPU time of the process so far, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /**
     * Fields 14 (utime) and 15 (stime) of a {@code stat} line. The second field, the command name in
     * parentheses, may itself hold spaces and parentheses: count from the last ')'.
     */
    static long cpuTicks(String statLine) {
        int end = statLine.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line");
        }
        String[] fields = statLine.substring(end + 2).trim().split(" +");
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Resident set size in bytes ({@code VmRSS}). */
    static long rssBytes(long pid) throws IOException {
        return rssBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    }

    static long rssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IllegalArgumentException("no VmRSS line");
    }

    /** CPU use between two readings, in percent of one core. */
    static double percentOfOneCore(long ticksBefore, long ticksAfter, long nanos) {
        return (ticksAfter - ticksBefore) * 100.0 / TICKS_PER_SECOND / (nanos / 1e9);
    }

    /** A process's CPU use measured over a stretch of time. */
    static final class CpuWindow {
        private final long pid;
        private final long ticks;
        private final long nanos;

        private CpuWindow(long pid, long ticks, long nanos) {
            this.pid = pid;
            this.ticks = ticks;
            this.nanos = nanos;
        }

        static CpuWindow start(long pid) throws IOException {
            return new CpuWindow(pid, cpuTicks(pid), System.nanoTime());
        }

        /** Percent of one core since {@link #start}. */
        double percent() throws IOException {
            return percentOfOneCore(ticks, cpuTicks(pid), System.nanoTime() - nanos);
        }
    }
}
