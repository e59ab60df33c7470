package dev.rigtel.collector.store;

/**
 * The store did not answer a read: unreachable, or too slow. A kind of {@link StoreException}, so a
 * caller that answers every failed read alike needs one catch; one that tells them apart catches
 * this first.
 */
public final class StoreUnreachableException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
