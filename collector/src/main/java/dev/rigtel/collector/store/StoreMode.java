package dev.rigtel.collector.store;

import java.util.Locale;

/** Where the write buffer's batches go: InfluxDB, or nowhere (benchmarks of the intake only). */
public enum StoreMode {

    /** Points go from the spool to InfluxDB (production). */
    INFLUXDB,

    /**
     * Benchmark only: points are appended and fsynced to the spool as always, so a QoS 1 PUBACK still
     * waits for the disk, and then dropped by a {@link DiscardSink} instead of being written to
     * InfluxDB. The collector then measures what it can accept, without the database's limit. Nothing
     * is stored: never use it on a set.
     */
    DISCARD;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code influxdb} or {@code discard}. */
    public static StoreMode fromLabel(String label) {
        for (StoreMode mode : values()) {
            if (mode.label().equals(label)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("--store must be influxdb or discard, not " + label);
    }
}
