package dev.rigtel.collector.store;

/**
 * Where the write buffer sends its batches. Implementations write and never buffer: batching,
 * retries and back-pressure are the {@link WriteBuffer}'s alone.
 */
public interface PointSink {

    /**
     * Writes newline-terminated line-protocol points with nanosecond timestamps.
     *
     * @throws SinkException when the batch was not stored; {@link SinkException#retryable()} says
     *     whether the same batch may succeed later
     */
    void write(String lines, int points) throws SinkException;

    /**
     * Whether this sink reads the lines it is given. One that does not (the benchmarks' {@link
     * DiscardSink}) is handed an empty text, and the writers skip encoding the spool's compact
     * records as line protocol.
     */
    default boolean readsLines() {
        return true;
    }
}
