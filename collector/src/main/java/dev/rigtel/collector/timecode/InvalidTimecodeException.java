package dev.rigtel.collector.timecode;

/** A timecode label or rate that does not exist; the message says why. */
public final class InvalidTimecodeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidTimecodeException(String message) {
        super(message);
    }
}
