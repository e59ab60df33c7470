package dev.rigtel.collector.takes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.store.LineEncoder;
import dev.rigtel.collector.store.MemoryStore;
import dev.rigtel.collector.store.SinkException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Slate events written as the collector writes them come back as the same events, from the store or the spool. */
class SlateLogTest {

    private static final long T = 1_795_305_600_000_000_000L;
    private static final long S = 1_000_000_000L;
    private static final LocalDate DAY = LocalDate.of(2026, 11, 21);

    private final MemoryStore store = new MemoryStore();
    private final SlateLog log = new SlateLog(store);

    private final SlateEvent.Assign assign =
            new SlateEvent.Assign("as 1%+", T - 10 * S, "23:59:50:00", "25", DAY, "rig 7,a=b", "Chris \"C\" Lee");
    private final SlateEvent.Roll roll = new SlateEvent.Roll(
            "take%2F1+'x'", T, "00:00:00:00", "25", DAY.plusDays(1), "42", "A, B", 3, "A001", "notes \"q\"");
    private final SlateEvent.Mark mark = new SlateEvent.Mark(
            "mark-1", T + S, "00:00:01:00", "25", DAY.plusDays(1), "42", "A, B", 3, TakeMark.CIRCLED, "");
    private final SlateEvent.Cut cut = new SlateEvent.Cut("cut-1", T + 2 * S, "00:00:02:00", "25", DAY.plusDays(1));

    private void write(SlateEvent... events) throws SinkException {
        for (SlateEvent event : events) {
            store.write(lines(event), 1);
        }
    }

    /** The event's point as the store writes it. */
    private static String lines(SlateEvent event) {
        return new LineEncoder(256).slate(SlatePoints.of(event)).text();
    }

    @Test
    void everyKindOfEventReadsBackAsItWasWritten() throws SinkException {
        write(assign, roll, mark, cut);

        assertThat(log.window(T, T + S)).containsExactlyInAnyOrder(roll, assign, cut);
        assertThat(log.window(T, Long.MAX_VALUE)).containsExactlyInAnyOrder(roll, mark, cut, assign);
        assertThat(log.assignments(T - 20 * S, T)).containsExactly(assign);
        assertThat(log.assignments(T, T + S)).containsExactly(assign);
        assertThat(log.roll(roll.id())).contains(roll);
        assertThat(log.roll(cut.id())).isEmpty();
        assertThat(log.firstEventNanos()).contains(SlateLog.timestampNanos(assign));
    }

    @Test
    void aStuntRollAndASnoozeReadBackAsTheyWereWritten() throws SinkException {
        SlateEvent.Roll stunt = new SlateEvent.Roll(
                "stunt-1", T + 3 * S, "00:00:03:00", "25", DAY.plusDays(1), "57", "B", 1, "", "fight", true);
        SlateEvent.Snooze snooze =
                new SlateEvent.Snooze("snooze-1", T + 4 * S, "00:00:04:00", "25", DAY.plusDays(1), "rig-07");
        SlateEvent.Snooze all = new SlateEvent.Snooze(
                "snooze-2", T + 5 * S, "00:00:05:00", "25", DAY.plusDays(1), SlateEvent.Snooze.ALL_RIGS);
        write(roll, stunt, snooze, all);

        assertThat(log.window(T, T + 10 * S)).containsExactlyInAnyOrder(roll, stunt, snooze, all);
        assertThat(log.roll("stunt-1")).contains(stunt);
        assertThat(log.roll(roll.id()).orElseThrow().stunt()).isFalse();
        assertThat(SlateLog.eventsIn(lines(stunt) + lines(snooze))).containsExactly(stunt, snooze);
    }

    @Test
    void theSpoolsUnwrittenEventsReadBackTheSameWay() {
        String lines = lines(assign) + lines(roll) + "imu,rig=a ax=1 1\n" + lines(mark) + lines(cut);

        assertThat(SlateLog.eventsIn(lines)).containsExactly(assign, roll, mark, cut);
    }

    @Test
    void aPointThatCannotBeReadBackIsSkipped() throws SinkException {
        write(roll);
        store.write("slate,type=roll id=\"broken\",at_ns=\"" + (T + 5) + "\" " + (T + 5) + "\n", 1);

        assertThat(log.window(T, T + S)).containsExactly(roll);
        assertThat(log.roll("broken")).isEmpty();
    }
}
