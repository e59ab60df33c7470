package dev.rigtel.gopro.gpmf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes GPMF KLV items, for the synthetic clips of the tests and the bench. Big-endian, every item
 * padded to 32 bits; a camera writes the same bytes.
 */
public final class GpmfEncoder {

    private GpmfEncoder() {}

    /** One item: header and {@code data}, padded. */
    public static byte[] klv(String key, char type, int structSize, int repeat, byte[] data) {
        if (key.length() != 4 || structSize > 255 || repeat > 65535 || data.length != structSize * repeat) {
            throw new IllegalArgumentException(key + ": " + data.length + " bytes for " + repeat + " x " + structSize);
        }
        ByteBuffer b = ByteBuffer.allocate(8 + ((data.length + 3) & ~3));
        b.put(key.getBytes(StandardCharsets.ISO_8859_1));
        b.put((byte) type).put((byte) structSize).putShort((short) repeat);
        b.put(data);
        return b.array();
    }

    /** A nest (type 0) of {@code children}; its struct size is 1, its repeat the children's bytes. */
    public static byte[] nest(String key, byte[]... children) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : children) {
            body.writeBytes(c);
        }
        return klv(key, GpmfType.NEST, 1, body.size(), body.toByteArray());
    }

    /** A {@code c} string. */
    public static byte[] text(String key, String value) {
        byte[] data = value.getBytes(StandardCharsets.ISO_8859_1);
        return klv(key, 'c', 1, data.length, data);
    }

    /** One {@code L} value. */
    public static byte[] u32(String key, long value) {
        return klv(key, 'L', 4, 1, ByteBuffer.allocate(4).putInt((int) value).array());
    }

    /** One {@code J} value. */
    public static byte[] u64(String key, long value) {
        return klv(key, 'J', 8, 1, ByteBuffer.allocate(8).putLong(value).array());
    }

    /** One {@code f} value. */
    public static byte[] f32(String key, float value) {
        return klv(key, 'f', 4, 1, ByteBuffer.allocate(4).putFloat(value).array());
    }

    /** {@code s} samples of {@code axes} shorts each. */
    public static byte[] shorts(String key, int axes, short... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2);
        for (short v : values) {
            b.putShort(v);
        }
        return klv(key, 's', 2 * axes, values.length / axes, b.array());
    }
}
