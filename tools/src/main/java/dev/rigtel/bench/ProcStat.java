package dev.rigtel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    /** System CPU time of the process so far (in the kernel on its behalf: syscalls, faults), in clock ticks. */
    static long systemTicks(long pid) throws IOException {
        return systemTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** Field 15 (stime) of a {@code stat} line. */
    static long systemTicks(String statLine) {
        int end = statLine.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line");
        }
        return Long.parseLong(statLine.substring(end + 2).trim().split(" +")[12]);
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

    /**
     * Context switches of the process's threads alive now, voluntary plus involuntary ({@code
     * voluntary_ctxt_switches} and {@code nonvoluntary_ctxt_switches} of every {@code
     * /proc/<pid>/task/<tid>/status}). A voluntary switch is a thread going to sleep (waiting for a
     * read, a lock, a task): at a light load nearly every one is followed by a wake-up. Threads that
     * ended in between are not counted.
     */
    static long contextSwitches(long pid) throws IOException {
        long sum = 0;
        for (Path task : tasks(pid)) {
            try {
                sum += contextSwitches(Files.readString(task.resolve("status")));
            } catch (java.nio.file.NoSuchFileException e) {
                // The thread ended since the listing.
            }
        }
        return sum;
    }

    static long contextSwitches(String status) {
        long sum = 0;
        for (String line : status.split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return sum;
    }

    /**
     * Per thread group of the process (the thread name with its digits and trailing dashes left out:
     * {@code nioEventLoopGroup-3-1} and {@code -3-2} are one), CPU ticks and context switches so far:
     * {@code name -> [ticks, switches, threads]}.
     */
    static java.util.Map<String, long[]> threadGroups(long pid) throws IOException {
        java.util.Map<String, long[]> groups = new java.util.TreeMap<>();
        for (Path task : tasks(pid)) {
            try {
                String stat = Files.readString(task.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                        .replaceAll("[0-9]+", "")
                        .replaceAll("[-#]+$", "");
                long[] group = groups.computeIfAbsent(name, n -> new long[3]);
                group[0] += cpuTicks(stat);
                group[1] += contextSwitches(Files.readString(task.resolve("status")));
                group[2]++;
            } catch (java.nio.file.NoSuchFileException e) {
                // The thread ended since the listing.
            }
        }
        return groups;
    }

    /** Threads of the process ({@code Threads:} of {@code /proc/<pid>/status}). */
    static int threads(long pid) throws IOException {
        for (String line :
                Files.readString(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).trim());
            }
        }
        throw new IOException("no Threads line for " + pid);
    }

    private static List<Path> tasks(long pid) throws IOException {
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.toList();
        }
    }

    /** CPU use between two readings, in percent of one core. */
    static double percentOfOneCore(long ticksBefore, long ticksAfter, long nanos) {
        return (ticksAfter - ticksBefore) * 100.0 / TICKS_PER_SECOND / (nanos / 1e9);
    }

    /** CPU time all cores spent busy since boot (not idle, not waiting for I/O), in clock ticks. */
    static long machineBusyTicks() throws IOException {
        return machineBusyTicks(Files.readString(Path.of("/proc/stat")));
    }

    /** From the {@code cpu} line of {@code /proc/stat}: user nice system idle iowait irq softirq steal. */
    static long machineBusyTicks(String procStat) {
        String line = procStat.substring(0, procStat.indexOf('\n'));
        if (!line.startsWith("cpu ")) {
            throw new IllegalArgumentException("not /proc/stat");
        }
        String[] f = line.substring(4).trim().split(" +");
        long busy = 0;
        for (int i = 0; i < Math.min(f.length, 8); i++) {
            if (i != 3 && i != 4) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }

    /**
     * CPU used by every other process of the machine while some of ours ran: the machine's busy time
     * minus that of {@code pids}. The bench shares its machine with whatever else runs there; this
     * says how much did.
     */
    static final class Others {
        private final long[] pids;
        private final long machine;
        private final long ours;
        private final long nanos;

        private Others(long[] pids, long machine, long ours, long nanos) {
            this.pids = pids;
            this.machine = machine;
            this.ours = ours;
            this.nanos = nanos;
        }

        static Others start(long... pids) throws IOException {
            return new Others(pids, machineBusyTicks(), ticks(pids), System.nanoTime());
        }

        /** Percent of one core used by other processes since {@link #start}. */
        double percent() throws IOException {
            long others = (machineBusyTicks() - machine) - (ticks(pids) - ours);
            return percentOfOneCore(0, Math.max(0, others), System.nanoTime() - nanos);
        }

        private static long ticks(long[] pids) throws IOException {
            long sum = 0;
            for (long pid : pids) {
                sum += cpuTicks(pid);
            }
            return sum;
        }
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
