package dev.rigtel.collector.ingest.bench;

import dev.rigtel.collector.ingest.ImuBatch;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.PayloadRejectedException;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.testing.CpuPerOperation;
import dev.rigtel.collector.testing.FirmwareNotes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Nanoseconds per sample of {@link PayloadDecoder#imu}: parsing and validating the 50-sample example
 * batch of firmware-notes (1 kHz, {@code dt_ns}) in JSON, in CBOR (single-precision floats) and packed
 * (int16 counts in a CBOR byte string).
 *
 * <p>Run: {@code ./mvnw -B -q -pl collector test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.openjdk.jmh.Main -Dexec.args='PayloadDecodeBenchmark -f 0 -wi 3 -i 5 -w 2s -r 2s'}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PayloadDecodeBenchmark {

    static final int SAMPLES = 50;
    private static final RigId RIG = new RigId("rig-07");

    private PayloadDecoder decoder;
    private byte[] json;
    private byte[] cbor;
    private byte[] packed;

    @Setup
    public void setUp() {
        decoder = new PayloadDecoder(WireMapper.create(), 4000);
        json = FirmwareNotes.example("imu-1khz.json");
        cbor = FirmwareNotes.example("imu-1khz.cbor");
        packed = FirmwareNotes.example("imu-1khz-packed.cbor");
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public ImuBatch json() throws PayloadRejectedException {
        return decoder.imu(RIG, json);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public ImuBatch cbor() throws PayloadRejectedException {
        return decoder.imu(RIG, cbor);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public ImuBatch packed() throws PayloadRejectedException {
        return decoder.imu(RIG, packed);
    }

    /**
     * CPU nanoseconds per sample of each encoding ({@link CpuPerOperation}), for a machine shared with
     * other load: {@code java -cp ... dev.rigtel.collector.ingest.bench.PayloadDecodeBenchmark}.
     */
    public static void main(String[] args) {
        PayloadDecodeBenchmark b = new PayloadDecodeBenchmark();
        b.setUp();
        for (String kind : new String[] {"json", "cbor", "packed"}) {
            byte[] payload = kind.equals("json") ? b.json : kind.equals("cbor") ? b.cbor : b.packed;
            double nanos = CpuPerOperation.nanos(
                    () -> {
                        try {
                            return b.decoder.imu(RIG, payload).sampleCount();
                        } catch (PayloadRejectedException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    SAMPLES);
            System.out.printf("decode   %-7s %7.1f ns CPU per sample%n", kind, nanos);
        }
    }
}
