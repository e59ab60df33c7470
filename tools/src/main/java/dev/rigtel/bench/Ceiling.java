package dev.rigtel.bench;

import dev.rigtel.collector.store.LineEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

/**
 * What InfluxDB takes without the collector in the path: the points the collector would write for a
 * load run (one {@code imu} point per sample, same rigs, values and spacing, encoded by the
 * collector's own {@link LineEncoder}), pre-encoded as gzip line-protocol batches of the collector's
 * batch size and POSTed to {@code /write?precision=ns} by one or more writers as fast as InfluxDB
 * answers, gzip or plain. Encoding, compressing (and for plain bodies, decompressing) happen before
 * the clock starts.
 */
final class Ceiling {

    private final List<byte[]> bodies;
    private final long points;

    private Ceiling(List<byte[]> bodies, long points) {
        this.bodies = bodies;
        this.points = points;
    }

    /**
     * The samples of {@code rigs} rigs sending {@code batchesPerRig} batches each, in the order the
     * rigs would interleave them, in bodies of {@code batchPoints} points. Timestamps start now and
     * follow each rig's device clock, as the collector maps an unlocked rig's samples.
     */
    static Ceiling encode(ImuPayloads payloads, BatchSequence sequence, int rigs, long batchesPerRig, int batchPoints) {
        long base = System.currentTimeMillis() * 1_000_000L;
        List<byte[]> bodies = new ArrayList<>();
        LineEncoder lines = new LineEncoder(batchPoints * 140);
        long total = 0;
        double[][] values = new double[payloads.blockCount()][];
        for (int b = 0; b < values.length; b++) {
            values[b] = payloads.values(b);
        }
        String[] names = new String[rigs];
        for (int r = 0; r < rigs; r++) {
            names[r] = MqttLoad.rigName(r + 1);
        }
        long firstDevice = sequence.firstSampleMicros(1) * 1000;
        for (long seq = 1; seq <= batchesPerRig; seq++) {
            double[] block = values[(int) Math.floorMod(seq, (long) values.length)];
            long t0 = sequence.firstSampleMicros(seq) * 1000;
            for (int r = 0; r < rigs; r++) {
                for (int i = 0; i < sequence.samplesPerBatch(); i++) {
                    long device = t0 + i * sequence.intervalNanos();
                    lines.imu(names[r], base + device - firstDevice, block, i * 6, device);
                    total++;
                    if (lines.points() == batchPoints) {
                        bodies.add(gzip(lines.text()));
                        lines.clear();
                    }
                }
            }
        }
        if (lines.points() > 0) {
            bodies.add(gzip(lines.text()));
        }
        return new Ceiling(bodies, total);
    }

    long points() {
        return points;
    }

    int bodies() {
        return bodies.size();
    }

    long gzipBytes() {
        return bodies.stream().mapToLong(b -> b.length).sum();
    }

    /** Writes every body with {@code writers} concurrent writers; returns the nanoseconds it took. */
    long write(InfluxHttp influx, String db, int writers) throws IOException, InterruptedException {
        return write(influx, db, writers, true, bodies.size());
    }

    /**
     * Writes the first {@code count} bodies with {@code writers} concurrent writers, gzip or plain;
     * returns the nanoseconds it took.
     */
    long write(InfluxHttp influx, String db, int writers, boolean gzip, int count)
            throws IOException, InterruptedException {
        List<byte[]> bodies = new ArrayList<>(this.bodies.subList(0, Math.min(count, this.bodies.size())));
        if (!gzip) {
            bodies.replaceAll(Ceiling::gunzip);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            Thread thread = new Thread(
                    () -> {
                        int i;
                        while (failure.get() == null && (i = next.getAndIncrement()) < bodies.size()) {
                            try {
                                influx.write(db, bodies.get(i), gzip);
                            } catch (IOException | InterruptedException e) {
                                failure.compareAndSet(null, e);
                            }
                        }
                    },
                    "bench-ceiling-" + w);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long took = System.nanoTime() - started;
        if (failure.get() != null) {
            throw new IOException("ceiling write failed: " + failure.get().getMessage(), failure.get());
        }
        return took;
    }

    private static byte[] gunzip(byte[] body) {
        try (java.util.zip.GZIPInputStream in =
                new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body), 1 << 16)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(CharSequence lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.length() / 6);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16)) {
            gzip.write(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
