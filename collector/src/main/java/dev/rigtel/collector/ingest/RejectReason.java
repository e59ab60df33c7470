package dev.rigtel.collector.ingest;

/**
 * Why a payload or publish was refused. The {@link #tag()} is the bounded {@code reason} tag of
 * {@code rigtel.ingest.rejected}; firmware-notes/README.md lists what the rig is told for each.
 */
public enum RejectReason {
    MALFORMED_PAYLOAD("malformed-payload"),
    MISSING_FIELD("missing-field"),
    WRONG_TYPE("wrong-type"),
    UNSUPPORTED_VERSION("unsupported-version"),
    NOT_FINITE("not-finite"),
    OUT_OF_RANGE("out-of-range"),
    BATCH_TOO_LARGE("batch-too-large"),
    EMPTY_BATCH("empty-batch"),
    BAD_TIMING("bad-timing"),
    BAD_TIMECODE("bad-timecode"),
    BAD_FIELD("bad-field"),
    UNKNOWN_TOPIC("unknown-topic"),
    FOREIGN_TOPIC("foreign-topic"),
    NOT_AUTHORIZED("not-authorized");

    private final String tag;

    RejectReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
