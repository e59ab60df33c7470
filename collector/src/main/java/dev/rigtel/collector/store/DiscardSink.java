package dev.rigtel.collector.store;

/**
 * A sink that drops every batch: {@link StoreMode#DISCARD}, for benchmarks of the MQTT intake. The
 * write buffer still reads the points back from the spool and commits them, so the spool stays
 * small and the collector does everything but the HTTP write.
 */
public final class DiscardSink implements PointSink {

    @Override
    public void write(String lines, int points) {
        // Dropped on purpose.
    }
}
