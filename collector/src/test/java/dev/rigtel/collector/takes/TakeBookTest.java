package dev.rigtel.collector.takes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TakeBookTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 21);
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_763_700_000L * S;

    private static SlateEvent.Roll roll(String id, long second, String scene, int take) {
        return new SlateEvent.Roll(id, T0 + second * S, "tc" + second, "25", DAY, scene, "A", take, "A001", "");
    }

    private static SlateEvent.Cut cut(String id, long second) {
        return new SlateEvent.Cut(id, T0 + second * S, "tc" + second, "25", DAY);
    }

    private static SlateEvent.Assign assign(String id, long second, String rig, String person) {
        return new SlateEvent.Assign(id, T0 + second * S, "tc" + second, "25", DAY, rig, person);
    }

    private static SlateEvent.Mark mark(String id, long second, String scene, int take, TakeMark mark) {
        return new SlateEvent.Mark(id, T0 + second * S, "tc" + second, "25", DAY, scene, "A", take, mark, "");
    }

    @Test
    void rollCutAndMarkMakeATake() {
        TakeBook book = new TakeBook();
        book.add(roll("r1", 10, "42", 1));
        assertThat(book.rolling()).isPresent();
        book.add(cut("c1", 70));
        book.add(mark("m1", 80, "42", 1, TakeMark.CIRCLED));

        Take take = book.takesOn(DAY).get(0);
        assertThat(take.name()).isEqualTo("42A-1");
        assertThat(take.startNanos()).isEqualTo(T0 + 10 * S);
        assertThat(take.endNanos()).hasValue(T0 + 70 * S);
        assertThat(take.mark()).contains(TakeMark.CIRCLED);
        assertThat(take.closedByNextRoll()).isFalse();
        assertThat(book.rolling()).isEmpty();
    }

    @Test
    void aRollWithoutCutIsClosedByTheNextRollAndFlagged() {
        TakeBook book = new TakeBook();
        book.add(roll("r1", 10, "42", 1));
        book.add(roll("r2", 50, "42", 2));
        book.add(cut("c2", 90));

        List<Take> takes = book.takesOn(DAY);
        assertThat(takes).hasSize(2);
        assertThat(takes.get(0).endNanos()).hasValue(T0 + 50 * S);
        assertThat(takes.get(0).closedByNextRoll()).isTrue();
        assertThat(takes.get(1).closedByNextRoll()).isFalse();
    }

    @Test
    void lateAndOutOfOrderEventsArePlacedByTheirTimecode() {
        TakeBook book = new TakeBook();
        book.add(cut("c2", 90));
        book.add(roll("r2", 50, "42", 2));
        book.add(mark("m1", 95, "42", 1, TakeMark.NG));
        book.add(cut("c1", 40));
        book.add(roll("r1", 10, "42", 1));

        List<Take> takes = book.takesOn(DAY);
        assertThat(takes).extracting(Take::name).containsExactly("42A-1", "42A-2");
        assertThat(takes.get(0).endNanos()).hasValue(T0 + 40 * S);
        assertThat(takes.get(0).closedByNextRoll()).isFalse();
        assertThat(takes.get(0).mark()).contains(TakeMark.NG);
        assertThat(takes.get(1).endNanos()).hasValue(T0 + 90 * S);
        assertThat(book.cutsWithoutTake()).isZero();
    }

    @Test
    void aResentEventChangesNothing() {
        TakeBook book = new TakeBook();
        assertThat(book.add(roll("r1", 10, "42", 1))).isTrue();
        assertThat(book.add(roll("r1", 10, "42", 1))).isFalse();
        assertThat(book.takesOn(DAY)).hasSize(1);
    }

    @Test
    void wearersChangeDuringTheDayAndWithinATake() {
        TakeBook book = new TakeBook();
        book.add(assign("a1", 0, "rig-07", "Dana Brooks"));
        book.add(assign("a2", 0, "rig-08", "Zoë Park"));
        book.add(roll("r1", 10, "42", 1));
        book.add(assign("a3", 30, "rig-07", "Sam O'Neil"));
        book.add(cut("c1", 60));
        book.add(roll("r2", 100, "42", 2));
        book.add(cut("c2", 160));

        Take first = book.takesOn(DAY).get(0);
        assertThat(first.wearers())
                .containsExactlyInAnyOrder(
                        new Take.Wearing("rig-07", "Dana Brooks", T0 + 10 * S, T0 + 30 * S),
                        new Take.Wearing("rig-07", "Sam O'Neil", T0 + 30 * S, T0 + 60 * S),
                        new Take.Wearing("rig-08", "Zoë Park", T0 + 10 * S, T0 + 60 * S));
        assertThat(book.wearerAt("rig-07", T0 + 120 * S)).contains("Sam O'Neil");
        assertThat(book.takesOf("Dana Brooks", DAY)).extracting(Take::name).containsExactly("42A-1");
        assertThat(book.takesOf("Sam O'Neil", DAY)).extracting(Take::name).containsExactly("42A-1", "42A-2");
    }

    @Test
    void anEmptyPersonTakesTheRigOffItsWearer() {
        TakeBook book = new TakeBook();
        book.add(assign("a1", 0, "rig-07", "Dana Brooks"));
        book.add(assign("a2", 5, "rig-07", ""));
        book.add(roll("r1", 10, "42", 1));

        assertThat(book.takesOn(DAY).get(0).wearers()).isEmpty();
        assertThat(book.wearerAt("rig-07", T0 + 11 * S)).isEmpty();
    }

    @Test
    void aCutWithNoTakeRollingIsCountedAndChangesNothing() {
        TakeBook book = new TakeBook();
        book.add(cut("c0", 5));
        assertThat(book.cutsWithoutTake()).isEqualTo(1);
        assertThat(book.takesOn(DAY)).isEmpty();
    }

    @Test
    void latestIsTheTakeWithTheLatestRollWhetherRollingOrCut() {
        TakeBook book = new TakeBook();
        assertThat(book.latest()).isEmpty();
        book.add(roll("r2", 50, "42", 2));
        book.add(roll("r1", 10, "42", 1)); // arrives late, placed before r2
        assertThat(book.latest()).map(Take::id).contains("r2");

        book.add(cut("c2", 90));
        assertThat(book.latest()).map(Take::id).contains("r2");
        assertThat(book.latest().get().rolling()).isFalse();
    }

    @Test
    void evictionForgetsOldEventsButWhatLaterTakesDependOn() {
        TakeBook book = new TakeBook();
        book.add(assign("a1", 0, "rig-01", "Dana"));
        book.add(assign("a2", 5, "rig-01", "Alex"));
        book.add(assign("b1", 6, "rig-02", "Sam"));
        book.add(roll("r1", 10, "42", 1));
        book.add(cut("c1", 40));
        book.add(mark("m1", 45, "42", 1, TakeMark.GOOD));
        book.add(roll("r2", 50, "42", 2));
        book.add(roll("r3", 200, "43", 1));
        book.add(cut("c3", 260));
        List<Take> later = book.takesOn(DAY).subList(1, 3);

        int forgotten = book.evictBefore(T0 + 100 * S);

        assertThat(forgotten).isEqualTo(4); // a1, r1, c1 and m1
        assertThat(book.events()).extracting(SlateEvent::id).containsExactly("a2", "b1", "r2", "r3", "c3");
        assertThat(book.takesOn(DAY)).isEqualTo(later);
        assertThat(book.wearerAt("rig-01", T0 + 300 * S)).contains("Alex");
        assertThat(book.wearerAt("rig-02", T0 + 300 * S)).contains("Sam");
    }

    @Test
    void evictionKeepsATakeStillRollingAtTheBoundary() {
        TakeBook book = new TakeBook();
        book.add(roll("r1", 10, "42", 1));
        book.add(cut("c1", 40));
        book.add(roll("r2", 50, "42", 2));

        book.evictBefore(T0 + 100 * S);

        assertThat(book.rolling()).map(Take::id).contains("r2");
        assertThat(book.events()).extracting(SlateEvent::id).containsExactly("r2");
        assertThat(book.cutsWithoutTake()).isZero();
    }
}
