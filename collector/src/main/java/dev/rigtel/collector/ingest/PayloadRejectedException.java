package dev.rigtel.collector.ingest;

/** A payload that breaks the wire contract, with the counted reason and a message for the log. */
public final class PayloadRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public PayloadRejectedException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
