package dev.rigtel.collector.store;

/**
 * A sink that drops every batch: {@link StoreMode#DISCARD}, for benchmarks of the MQTT intake. The
 * write buffer still reads the records back from the spool and commits them, so the spool stays
 * small and the collector does everything on the acknowledgement path; it does not turn compact
 * records into line protocol (the writers' work, which the bench's throughput part measures).
 */
public final class DiscardSink implements PointSink {

    @Override
    public void write(String lines, int points) {
        // Dropped on purpose.
    }

    @Override
    public boolean readsLines() {
        return false;
    }
}
