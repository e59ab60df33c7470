package dev.rigtel.collector.imports;

/**
 * A batch of an import that the collector refuses, with the HTTP status to answer, a reason (a
 * bounded set, the meter's tag and the log's key) and a message for the user. No stack trace: it is
 * not a fault.
 */
public final class ImportRefusedException extends Exception {

    private final int status;
    private final String reason;

    ImportRefusedException(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    static ImportRefusedException badRequest(String message) {
        return new ImportRefusedException(400, "bad-request", message);
    }

    static ImportRefusedException outOfOrder(String message) {
        return new ImportRefusedException(409, "out-of-order", message);
    }

    public int status() {
        return status;
    }

    /** {@code bad-request}, {@code out-of-order} or {@code not-durable}. */
    public String reason() {
        return reason;
    }
}
