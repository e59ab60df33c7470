package dev.rigtel.collector.store;

/**
 * When the {@link Spool} forces appended records to disk, and so when a record counts as durable
 * (and a QoS 1 PUBACK may go out).
 */
public enum FsyncPolicy {

    /**
     * Group commit (the default): one {@code fdatasync} as soon as the previous one finished, covering
     * every record appended in the meantime. Under load many appends share one fsync; when idle a
     * single append is durable after one fsync. An fsync that follows an idle spell waits {@link
     * GroupCommit#LINGER_NANOS} (8 ms) for more appends first, unless the last {@link GroupCommit#LINGER_MISSES} such waits brought none. Nothing acknowledged is lost on power
     * loss.
     */
    EVERY_BATCH,

    /**
     * Like {@link #EVERY_BATCH}, but at most one fsync per {@link SpoolOptions#syncInterval()}: fewer
     * fsyncs on slow disks at the price of up to one interval of extra acknowledgement latency.
     * Nothing acknowledged is lost on power loss.
     */
    INTERVAL,

    /**
     * Never fsync: a record is durable as soon as it is written to the operating system. Survives a
     * crash of the collector but not of the machine: a power loss loses what the kernel had not yet
     * written back (seconds of data), although the rigs were told it was stored. For tests and
     * benchmarks.
     */
    NONE
}
