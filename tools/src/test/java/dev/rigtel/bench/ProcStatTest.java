package dev.rigtel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void readsUserPlusSystemTicksEvenWithParenthesesInTheCommandName() {
        String stat = "4242 (java (rigtel) x) S 1 4242 4242 0 -1 4194560 50 0 0 0 1234 567 0 0 20 0 30 0 100 0 0";

        assertThat(ProcStat.cpuTicks(stat)).isEqualTo(1234 + 567);
        assertThat(ProcStat.systemTicks(stat)).isEqualTo(567);
    }

    @Test
    void readsTheResidentSetSize() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  321456 kB\nThreads:\t40\n";

        assertThat(ProcStat.rssBytes(status)).isEqualTo(321_456L * 1024);
    }

    @Test
    void contextSwitchesAreVoluntaryPlusInvoluntary() {
        String status = "Name:\tspool-sync\nThreads:\t1\nvoluntary_ctxt_switches:\t1500\n"
                + "nonvoluntary_ctxt_switches:\t27\n";

        assertThat(ProcStat.contextSwitches(status)).isEqualTo(1527);
    }

    @Test
    void readsThisProcessesThreadsFromProc() throws Exception {
        long pid = ProcessHandle.current().pid();

        assertThat(ProcStat.threads(pid)).isPositive();
        assertThat(ProcStat.contextSwitches(pid)).isPositive();
        assertThat(ProcStat.threadGroups(pid)).isNotEmpty();
    }

    @Test
    void machineBusyTimeLeavesOutIdleAndIoWait() {
        String stat = "cpu  100 5 50 9000 40 3 2 1 0 0\ncpu0 50 2 25 4500 20 1 1 0 0 0\n";

        assertThat(ProcStat.machineBusyTicks(stat)).isEqualTo(100 + 5 + 50 + 3 + 2 + 1);
    }

    @Test
    void cpuIsPercentOfOneCore() {
        // 150 ticks (1.5 s of CPU) in 10 s of wall time: 15 % of one core.
        assertThat(ProcStat.percentOfOneCore(1000, 1150, 10_000_000_000L)).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void readsThisProcessFromProc() throws Exception {
        long pid = ProcessHandle.current().pid();

        assertThat(ProcStat.cpuTicks(pid)).isPositive();
        assertThat(ProcStat.rssBytes(pid)).isGreaterThan(1_000_000);
    }
}
