package dev.rigtel.gopro.gpmf;

import java.util.ArrayList;
import java.util.List;

/**
 * One GPMF KLV item: a FourCC key, a type code, a struct size and a repeat count, then {@code
 * structSize * repeat} bytes of data padded to 32 bits. A nest (type 0) holds more items.
 *
 * @param key the FourCC
 * @param type the type code ({@link GpmfType#NEST} for a nest)
 * @param structSize bytes of one sample
 * @param repeat samples in the item
 * @param offset where the item's 8-byte header starts in the payload
 * @param children the items of a nest, in order; empty otherwise
 */
public record Klv(String key, char type, int structSize, int repeat, int offset, List<Klv> children) {

    /** GPMF_NEST_LIMIT of the reference parser. */
    static final int NEST_LIMIT = 16;

    public Klv {
        children = List.copyOf(children);
    }

    /** Where the data starts in the payload. */
    public int dataOffset() {
        return offset + 8;
    }

    /** Bytes of data, without the padding. */
    public int dataBytes() {
        return structSize * repeat;
    }

    /**
     * Walks the DEVC items at the start of {@code payload[0, length)}, as {@code GPMF_Init} and {@code
     * GPMF_Validate} do: the payload must start with {@code DEVC}; it ends at the first top-level item
     * that is not one. Items of unknown type are kept (their data is skipped) and reported in {@code
     * warnings}.
     *
     * @throws GpmfFormatException if a key is no FourCC, a struct size is zero, or an item runs past
     *     what holds it
     */
    public static List<Klv> parse(byte[] payload, int length, List<String> warnings) throws GpmfFormatException {
        int end = length & ~3;
        if (end < 8 || !"DEVC".equals(fourcc(payload, 0))) {
            throw new GpmfFormatException(0, "a GPMF payload starts with DEVC");
        }
        List<Klv> devices = new ArrayList<>();
        int pos = 0;
        while (pos + 8 <= end && "DEVC".equals(fourcc(payload, pos))) {
            Klv device = item(payload, pos, end, 0, warnings);
            devices.add(device);
            pos = device.dataOffset() + padded(device.dataBytes());
        }
        return devices;
    }

    private static List<Klv> level(byte[] payload, int start, int end, int depth, List<String> warnings)
            throws GpmfFormatException {
        List<Klv> items = new ArrayList<>();
        int pos = start;
        while (pos < end) {
            if (int32(payload, pos) == 0) {
                pos += 4; // GPMF_KEY_END: padding between items
                continue;
            }
            if (pos + 8 > end) {
                throw new GpmfFormatException(pos, "an item header runs past the end of its nest");
            }
            Klv klv = item(payload, pos, end, depth, warnings);
            items.add(klv);
            pos = klv.dataOffset() + padded(klv.dataBytes());
        }
        return items;
    }

    private static Klv item(byte[] payload, int pos, int end, int depth, List<String> warnings)
            throws GpmfFormatException {
        String key = fourcc(payload, pos);
        if (!validFourcc(payload, pos)) {
            throw new GpmfFormatException(pos, "'" + printable(key) + "' is not a FourCC");
        }
        char type = (char) (payload[pos + 4] & 0xff);
        int structSize = payload[pos + 5] & 0xff;
        int repeat = ((payload[pos + 6] & 0xff) << 8) | (payload[pos + 7] & 0xff);
        if (structSize == 0) {
            throw new GpmfFormatException(pos, key + " has a struct size of 0");
        }
        int dataEnd = pos + 8 + padded(structSize * repeat);
        if (dataEnd > end) {
            throw new GpmfFormatException(
                    pos, key + " claims " + structSize * repeat + " bytes, only " + (end - pos - 8) + " are left");
        }
        if (type == GpmfType.NEST) {
            if (depth + 1 > NEST_LIMIT) {
                throw new GpmfFormatException(pos, key + " is nested deeper than " + NEST_LIMIT + " levels");
            }
            return new Klv(key, type, structSize, repeat, pos, level(payload, pos + 8, dataEnd, depth + 1, warnings));
        }
        if (type != GpmfType.COMPLEX && type != GpmfType.COMPRESSED && GpmfType.size(type) == 0) {
            warnings.add(key + " at byte " + pos + " has the unknown type '" + printable(String.valueOf(type))
                    + "'; skipped");
        }
        return new Klv(key, type, structSize, repeat, pos, List.of());
    }

    static int padded(int bytes) {
        return (bytes + 3) & ~3;
    }

    static String fourcc(byte[] b, int pos) {
        return new String(b, pos, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** GPMF_VALID_FOURCC: letters, digits and spaces. */
    private static boolean validFourcc(byte[] b, int pos) {
        for (int i = 0; i < 4; i++) {
            int c = b[pos + i] & 0xff;
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }

    static int int32(byte[] b, int pos) {
        return ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
    }
}
