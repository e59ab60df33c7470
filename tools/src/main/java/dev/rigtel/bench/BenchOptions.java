package dev.rigtel.bench;

import dev.rigtel.simulator.PayloadEncoding;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What a bench run does, validated; {@link BenchMain} builds it from the command line.
 *
 * @param parts which parts run, in {@link Part} order
 * @param rigs rigs of the nominal load
 * @param rateHz IMU sample rate of each rig
 * @param batchMillis milliseconds of samples per IMU batch
 * @param loadFactor the heavy load is this many times the nominal number of rigs
 * @param durationSeconds length of each timed run of intake and latency
 * @param samples samples sent through the collector, and straight to InfluxDB, for the throughput
 * @param connections idle connections of the connections part
 * @param window unacknowledged QoS 1 messages per connection
 * @param threads event loops of the load generator
 * @param encoding payload encoding
 * @param ceilingWriters concurrent writers of the ceiling; 0 for the best of 1, 2 and 4
 * @param writeBatchPoints points per InfluxDB write, the collector's and the ceiling's
 * @param keepAliveSeconds MQTT keep-alive of the idle connections
 * @param holdSeconds how long the idle connections are held before measuring
 * @param warmupSeconds JIT warm-up before throughput, intake and latency are measured
 * @param settleSeconds nominal load before resources are measured
 * @param resourcesSeconds how long the resources part measures its steady state after settling
 * @param timecodeFrames timecode frames a report in the resources part (1: a report a frame; 5: a
 *     batched report every 200 ms, firmware-notes)
 * @param watchRigs rigs whose batches the latency parts follow (live and stored)
 * @param collectorJvmOptions extra JVM options of the collector processes
 * @param collectorArgs extra options of every collector (after the bench's own, so they win)
 * @param jfr record a JFR profile of every collector into the work directory
 * @param root the repository (for scripts/influxd-local.sh)
 * @param jar the shaded collector jar
 * @param workDir where logs and data go
 * @param keep keep the work directory afterwards
 * @param shoot the history and storage parts' own settings
 */
record BenchOptions(
        Set<Part> parts,
        int rigs,
        int rateHz,
        int batchMillis,
        int loadFactor,
        int durationSeconds,
        long samples,
        int connections,
        int window,
        int threads,
        PayloadEncoding encoding,
        int ceilingWriters,
        int writeBatchPoints,
        int keepAliveSeconds,
        int holdSeconds,
        int warmupSeconds,
        int settleSeconds,
        int resourcesSeconds,
        int timecodeFrames,
        int watchRigs,
        List<String> collectorJvmOptions,
        List<String> collectorArgs,
        boolean jfr,
        Path root,
        Path jar,
        Path workDir,
        boolean keep,
        Shoot shoot) {

    /**
     * @param historyDays days of the synthetic shoot the history part writes
     * @param historyTakes takes a day
     * @param historyRigs rigs
     * @param storageRigHours rig-hours of raw 1 kHz samples the storage part writes
     * @param storageDayHours hours a rig streams on a shooting day, for the per-day figure
     */
    record Shoot(int historyDays, int historyTakes, int historyRigs, double storageRigHours, double storageDayHours) {
        Shoot {
            if (historyDays < 10 || historyDays > 1000) {
                throw new IllegalArgumentException("--history-days must be 10..1000");
            }
            if (storageRigHours <= 0 || storageRigHours > 24) {
                throw new IllegalArgumentException("--storage-rig-hours must be over 0 and at most 24");
            }
        }
    }

    /** The parts of a bench run, in the order they run. */
    enum Part {
        THROUGHPUT("throughput"),
        INTAKE("intake"),
        LATENCY("latency"),
        CONNECTIONS("connections"),
        RESOURCES("resources"),
        /** Not in the default run: writes a 120-day shoot first (minutes). */
        HISTORY("history", false),
        /** Not in the default run: writes and compacts hours of raw samples (minutes). */
        STORAGE("storage", false),
        /** Not in the default run: no collector; reads a sparse 4 GB GoPro clip's telemetry (GoproBench). */
        GOPRO("gopro", false),
        /** No collector, no InfluxDB: spool bytes per sample and the outage the quota holds (SpoolCapacity). */
        SPOOL("spool"),
        /** Not in the default run: rigs on an external Mosquitto, 1 and 2 collectors, a failover (StudioBench). */
        STUDIO("studio", false);

        private final String label;
        private final boolean byDefault;

        Part(String label) {
            this(label, true);
        }

        Part(String label, boolean byDefault) {
            this.label = label;
            this.byDefault = byDefault;
        }

        /** The parts run when none are named. */
        static java.util.EnumSet<Part> defaults() {
            java.util.EnumSet<Part> parts = java.util.EnumSet.noneOf(Part.class);
            for (Part p : values()) {
                if (p.byDefault) {
                    parts.add(p);
                }
            }
            return parts;
        }

        String label() {
            return label;
        }

        static Part fromLabel(String label) {
            for (Part p : values()) {
                if (p.label.equals(label.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown part '" + label + "'; parts: " + labels());
        }

        static String labels() {
            return String.join(
                    ", ", java.util.Arrays.stream(values()).map(Part::label).toList());
        }
    }

    BenchOptions {
        parts = Set.copyOf(parts);
        collectorJvmOptions = List.copyOf(collectorJvmOptions);
        collectorArgs = List.copyOf(collectorArgs);
        check(!parts.isEmpty(), "--only names no part");
        check(rigs >= 1 && rigs <= 99_999, "--rigs must be 1..99999");
        check(rateHz >= 1 && rateHz <= 100_000, "--rate must be 1..100000 Hz");
        check(batchMillis >= 1 && batchMillis <= 1000, "--batch-ms must be 1..1000");
        check(samplesPerBatch(rateHz, batchMillis) >= 1, "--batch-ms must hold at least one sample at --rate");
        check(samplesPerBatch(rateHz, batchMillis) <= 4000, "--batch-ms x --rate must be at most 4000 samples");
        check(loadFactor >= 1 && (long) rigs * loadFactor <= 99_999, "--load-factor x --rigs must be 1..99999");
        check(durationSeconds >= 5, "--duration must be at least 5 s");
        check(samples >= 1000, "--samples must be at least 1000");
        check(connections >= 1 && connections <= 60_000, "--connections must be 1..60000");
        check(window >= 1 && window <= 1000, "--window must be 1..1000");
        check(threads >= 1 && threads <= 64, "--threads must be 1..64");
        check(ceilingWriters >= 0 && ceilingWriters <= 16, "--ceiling-writers must be 0 (best of 1, 2, 4) or 1..16");
        check(writeBatchPoints >= 100, "--write-batch-points must be at least 100");
        check(keepAliveSeconds >= 1 && keepAliveSeconds <= 65_535, "--keep-alive must be 1..65535 s");
        check(holdSeconds >= 0, "--hold must not be negative");
        check(warmupSeconds >= 0, "--warmup must not be negative");
        check(settleSeconds >= 0, "--settle must not be negative");
        check(timecodeFrames >= 1 && timecodeFrames <= 60, "--timecode-frames must be 1..60");
        check(resourcesSeconds >= 5, "--resources-duration must be at least 5 s");
        check(watchRigs >= 1, "--watch-rigs must be at least 1");
    }

    static int samplesPerBatch(int rateHz, int batchMillis) {
        return (int) Math.round(rateHz * batchMillis / 1000.0);
    }

    int samplesPerBatch() {
        return samplesPerBatch(rateHz, batchMillis);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
