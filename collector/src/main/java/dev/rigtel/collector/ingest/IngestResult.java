package dev.rigtel.collector.ingest;

/** What became of one published message. */
public sealed interface IngestResult {

    /** Queued for storage; the {@code onStored} callback runs once it is stored. */
    record Accepted(MessageKind kind, int samples) implements IngestResult {}

    /** Refused: nothing of it is stored and {@code onStored} will not run. */
    record Rejected(RejectReason reason, String message) implements IngestResult {}
}
