package dev.rigtel.collector.store.bench;

import dev.rigtel.collector.store.FsyncPolicy;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Microseconds per {@link Spool#append} of a 3 KB record (24 IMU points of 128 bytes, one typical MQTT message),
 * with and without fsync: {@code append} alone is what an event loop pays; {@code
 * appendAndAwaitDurable} is the PUBACK latency of one rig sending one message at a time; with four
 * threads it shows the group commit sharing fsyncs. Every 4096 appends the durable records are
 * committed so the spool's files stay small (a commit fsyncs the committed file unless NONE).
 *
 * <p>Run: {@code ./mvnw -B -q -pl collector test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.openjdk.jmh.Main -Dexec.args='SpoolBenchmark -f 0 -wi 2 -i 3 -w 2s -r 2s'}.
 * The figures depend on the disk: fsync on a laptop NVMe takes about a millisecond or less, on cloud
 * block storage several.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpoolBenchmark {

    static final int POINTS = 24;

    @Param({"NONE", "EVERY_BATCH"})
    public FsyncPolicy policy;

    private final AtomicLong appends = new AtomicLong();
    private Path directory;
    private Spool spool;
    private String record;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("spool-bench");
        spool = Spool.open(SpoolOptions.defaults(directory).withFsyncPolicy(policy));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < POINTS; i++) {
            lines.append("imu,rig=rig-07,take=A012_C004 ax=0.0123456,ay=9.8012345,az=-0.2345678,")
                    .append("gx=1.234567,gy=-0.456789,gz=12.345678 ")
                    .append(1_700_000_000_000_000_000L + i * 1_000_000L)
                    .append('\n');
        }
        record = lines.toString();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        spool.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Benchmark
    public long append() throws IOException {
        long sequence = spool.append(record, POINTS);
        commitNowAndThen();
        return sequence;
    }

    @Benchmark
    public long appendAndAwaitDurable() throws IOException {
        long sequence = spool.append(record, POINTS);
        spool.durable(sequence).join();
        commitNowAndThen();
        return sequence;
    }

    @Benchmark
    @Threads(4)
    public long appendAndAwaitDurable4Threads() throws IOException {
        return appendAndAwaitDurable();
    }

    private void commitNowAndThen() throws IOException {
        if (appends.incrementAndGet() % 4096 == 0) {
            spool.commit(spool.durableSequence());
        }
    }
}
