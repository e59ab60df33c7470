package dev.rigtel.collector.takes.bench;

import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeBook;
import dev.rigtel.collector.takes.TakeMark;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Listing a shooting day of 300 takes (13 rigs, wearers changing every third take): from memory,
 * and after a new slate event, which rebuilds the day's takes from its events.
 *
 * <p>Run: {@code ./mvnw -B -q -pl collector test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.openjdk.jmh.Main -Dexec.args='TakeBookBenchmark -f 0 -wi 2 -i 3 -w 1s -r 1s'}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TakeBookBenchmark {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 21);
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_763_712_000L * S;

    private TakeBook book;
    private long extra;

    @Setup
    public void setUp() {
        book = new TakeBook();
        for (int take = 0; take < 300; take++) {
            long start = T0 + take * 90 * S;
            if (take % 3 == 0) {
                for (int rig = 1; rig <= 13; rig++) {
                    book.add(new SlateEvent.Assign(
                            "a-" + take + "-" + rig,
                            start - S,
                            "tc",
                            "25",
                            DAY,
                            String.format("rig-%02d", rig),
                            "person " + ((rig + take) % 13)));
                }
            }
            book.add(new SlateEvent.Roll(
                    "r-" + take, start, "tc", "25", DAY, "" + (take / 10), "A", take % 10 + 1, "A001", ""));
            book.add(new SlateEvent.Cut("c-" + take, start + 60 * S, "tc", "25", DAY));
            book.add(new SlateEvent.Mark(
                    "m-" + take,
                    start + 65 * S,
                    "tc",
                    "25",
                    DAY,
                    "" + (take / 10),
                    "A",
                    take % 10 + 1,
                    TakeMark.GOOD,
                    ""));
        }
    }

    @Benchmark
    public List<Take> listADayOf300Takes() {
        return book.takesOn(DAY);
    }

    @Benchmark
    public List<Take> listADayOf300TakesAfterANewEvent() {
        extra++;
        book.add(new SlateEvent.Assign("x-" + extra, T0 + extra, "tc", "25", DAY, "rig-01", "someone"));
        return book.takesOn(DAY);
    }
}
