package dev.rigtel.collector.store;

/** The store answered but refused or failed a read: a bad query, a server error. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
