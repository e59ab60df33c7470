package dev.rigtel.gopro.gpmf;

/**
 * The GPMF value type codes (GPMF_common.h of {@code gopro/gpmf-parser}) and their sizes; every value
 * is big-endian.
 */
public final class GpmfType {

    /** Type 0: the item holds more KLV items. */
    public static final char NEST = 0;
    /** {@code ?}: a structure described by the stream's {@code TYPE} string. */
    public static final char COMPLEX = '?';
    /** {@code #}: Huffman-compressed samples (not decoded here: GoPro's cameras do not write it). */
    public static final char COMPRESSED = '#';

    private GpmfType() {}

    /**
     * Bytes of one value of {@code type}, as {@code GPMF_SizeofType}; 0 for nest, complex, compressed
     * and unknown codes.
     */
    public static int size(char type) {
        return switch (type) {
            case 'c', 'u', 'b', 'B' -> 1;
            case 's', 'S' -> 2;
            case 'f', 'F', 'l', 'L', 'q' -> 4;
            case 'Q', 'd', 'j', 'J' -> 8;
            case 'G', 'U' -> 16;
            default -> 0;
        };
    }

    /** Whether {@code type} holds a number (the others are text, FourCCs, GUIDs and dates). */
    public static boolean numeric(char type) {
        return switch (type) {
            case 'b', 'B', 's', 'S', 'f', 'l', 'L', 'q', 'Q', 'd', 'j', 'J' -> true;
            default -> false;
        };
    }

    /**
     * Expands a {@code TYPE} string such as {@code "f[8]L"} to one code per element ({@code
     * "ffffffffL"}), as {@code GPMF_ExpandComplexTYPE}.
     *
     * @throws IllegalArgumentException if the string is malformed or names an unknown code
     */
    public static String expand(String typeString) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < typeString.length()) {
            char c = typeString.charAt(i);
            if (c == 0) {
                break;
            }
            if (c == '[') {
                if (out.length() == 0) {
                    throw new IllegalArgumentException("TYPE '" + typeString + "' starts with a count");
                }
                int j = i + 1;
                int count = 0;
                while (j < typeString.length() && Character.isDigit(typeString.charAt(j))) {
                    count = count * 10 + (typeString.charAt(j) - '0');
                    j++;
                    if (count > 4096) {
                        throw new IllegalArgumentException("TYPE '" + typeString + "' repeats too often");
                    }
                }
                char repeated = out.charAt(out.length() - 1);
                for (int k = 1; k < count; k++) {
                    out.append(repeated);
                }
                i = j < typeString.length() && typeString.charAt(j) == ']' ? j + 1 : j;
                continue;
            }
            if (size(c) == 0) {
                throw new IllegalArgumentException("TYPE '" + typeString + "' has the unknown code '" + c + "'");
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
