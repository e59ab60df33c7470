package dev.rigtel.collector.store;

/** A batch the sink did not store. Retryable: unreachable, 5xx, timeouts. Not: the data was refused. */
public final class SinkException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final String reason;

    public SinkException(String reason, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /** A bounded tag value for meters: {@code unreachable}, {@code server-error}, {@code refused}, ... */
    public String reason() {
        return reason;
    }
}
