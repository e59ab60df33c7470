package dev.rigtel.gopro.gpmf;

/**
 * A GPMF payload whose KLV structure cannot be walked: a key that is no FourCC, a zero struct size, or
 * an item longer than what holds it. The payload is dropped; the caller names the file and payload.
 */
public final class GpmfFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int byteOffset;

    public GpmfFormatException(int byteOffset, String message) {
        super(message + " (at byte " + byteOffset + " of the payload)");
        this.byteOffset = byteOffset;
    }

    /** Where in the payload the bad item starts. */
    public int byteOffset() {
        return byteOffset;
    }
}
