package dev.rigtel.collector.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * InfluxDB line protocol, written by hand: building influxdb-java {@code Point} objects costs more
 * than the write itself (../STACK.md). Escaping follows the line protocol reference and is chosen to
 * mean the same on InfluxDB 1.x, 2.x and 3.x:
 *
 * <ul>
 *   <li>measurement: {@code ,} and space escaped with a backslash;
 *   <li>tag keys, tag values, field keys: {@code ,}, {@code =} and space escaped. A backslash is
 *       replaced by {@code /}: 1.x does not unescape {@code \\} in tags and reads a trailing
 *       backslash as escaping the separator after it, so no escaping of it is portable;
 *   <li>string field values: {@code "} and {@code \} escaped;
 *   <li>everywhere: control characters (newline, carriage return, tab, ...) are replaced by
 *       U+FFFD, because no version accepts a newline inside a point. An empty tag value is written
 *       as {@code -}: line protocol has no empty tag values.
 * </ul>
 *
 * A value from a rig or a person can therefore never end a point, add a tag or a field, or start
 * another point.
 *
 * <p>Written through {@link Schema} by the {@link LineEncoder}, and read back (spooled points) by
 * {@link StoredPoints}.
 */
final class LineProtocol {

    private static final char REPLACEMENT = '\uFFFD';

    private LineProtocol() {}

    static StringBuilder measurement(StringBuilder out, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ',' || c == ' ') {
                out.append('\\').append(c);
            } else {
                appendSafe(out, c);
            }
        }
        return out;
    }

    /** Appends {@code ,key=value}. */
    static StringBuilder tag(StringBuilder out, String key, String value) {
        out.append(',');
        tagText(out, key);
        out.append('=');
        if (value.isEmpty()) {
            return out.append('-');
        }
        return tagText(out, value);
    }

    static StringBuilder tagText(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '=' || c == ' ') {
                out.append('\\').append(c);
            } else if (c == '\\') {
                out.append('/');
            } else {
                appendSafe(out, c);
            }
        }
        return out;
    }

    /** Appends the first field {@code key=value} (after the space that ends the tag set). */
    static StringBuilder firstField(StringBuilder out, String key, double value) {
        out.append(' ');
        return floatValue(tagText(out, key).append('='), value);
    }

    static StringBuilder field(StringBuilder out, String key, double value) {
        out.append(',');
        return floatValue(tagText(out, key).append('='), value);
    }

    static StringBuilder field(StringBuilder out, String key, long value) {
        out.append(',');
        return tagText(out, key).append('=').append(value).append('i');
    }

    static StringBuilder firstField(StringBuilder out, String key, long value) {
        out.append(' ');
        return tagText(out, key).append('=').append(value).append('i');
    }

    static StringBuilder field(StringBuilder out, String key, boolean value) {
        out.append(',');
        return tagText(out, key).append('=').append(value ? 't' : 'f');
    }

    static StringBuilder field(StringBuilder out, String key, String value) {
        out.append(',');
        return stringValue(tagText(out, key).append('='), value);
    }

    static StringBuilder firstField(StringBuilder out, String key, String value) {
        out.append(' ');
        return stringValue(tagText(out, key).append('='), value);
    }

    /** Appends the timestamp and the newline that ends the point. */
    static StringBuilder end(StringBuilder out, long timestampNanos) {
        return out.append(' ').append(timestampNanos).append('\n');
    }

    static StringBuilder stringValue(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                appendSafe(out, c);
            }
        }
        return out.append('"');
    }

    static StringBuilder floatValue(StringBuilder out, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("line protocol has no " + value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return out.append((long) value);
        }
        if (appendFixedPoint(out, value)) {
            return out;
        }
        // Double.toString is the shortest text that reads back as the same double; every InfluxDB
        // version parses its exponent form (1.0E-5) as well.
        return out.append(value);
    }

    /** 10^k, exact in a double for every k here (up to 10^22 is); the compact record's too. */
    static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17
    };

    /**
     * Appends {@code value} as {@code m / 10^k} in fixed point with the fewest decimals {@code k}
     * that read back as exactly {@code value}, if there is one with {@code m < 2^53}; returns false
     * otherwise. Several times faster than {@code Double.toString} on JDK 17 for the values rigs send
     * (a few decimals from JSON firmware, or single-precision floats from CBOR).
     *
     * <p>Why it reads back exactly: {@code m} and {@code 10^k} are both exact doubles, so the IEEE
     * division {@code m / 10^k} is the double nearest to the real number {@code m x 10^-k}, which is
     * what a correctly rounded parser (Go's strconv in InfluxDB, Java's Double.parseDouble) returns
     * for the text. The check compares exactly that division with {@code value}.
     */
    static boolean appendFixedPoint(StringBuilder out, double value) {
        double abs = Math.abs(value);
        if (!(abs >= 1e-3 && abs < 1e15)) {
            return false;
        }
        for (int k = 1; k < POWERS_OF_TEN.length; k++) {
            double scaled = abs * POWERS_OF_TEN[k];
            if (scaled >= 0x1p53) {
                return false;
            }
            double m = Math.rint(scaled);
            if (m / POWERS_OF_TEN[k] == abs) {
                if (value < 0) {
                    out.append('-');
                }
                long digits = (long) m;
                long unit = (long) POWERS_OF_TEN[k];
                out.append(digits / unit).append('.');
                long fraction = digits % unit;
                // Leading zeros of the fraction: 0.0123 is m = 123, k = 4.
                for (long p = unit / 10; p > fraction && p > 1; p /= 10) {
                    out.append('0');
                }
                out.append(fraction);
                return true;
            }
        }
        return false;
    }

    /** {@link #POWERS_OF_TEN} as longs. */
    private static final long[] LONG_POWERS_OF_TEN =
            Arrays.stream(POWERS_OF_TEN).mapToLong(p -> (long) p).toArray();

    /**
     * The double {@code m / 10^k} as a compact spool record holds a decimal column (a correctly
     * rounded IEEE division of two exact doubles when {@code |m| < 2^53}).
     */
    static double decimalToDouble(long m, int k) {
        double abs = Math.abs((double) m) / POWERS_OF_TEN[k];
        return m < 0 ? -abs : abs;
    }

    /**
     * Appends {@link #decimalToDouble decimalToDouble(m, k)} exactly as {@link #floatValue} would,
     * {@code 0 <= k <= 17}, but from the decimal's digits, without turning it into a double and
     * searching its decimals again (the writers' cost for every IMU value of a compact record).
     *
     * <p>Why the text is the same: with the trailing zeros of {@code m} dropped ({@code m0 / 10^k0},
     * the same real number, so the same double {@code v}), and {@code |m0| < 10^15}, the real number
     * has at most 15 significant digits, and two different decimals of at most 15 significant digits
     * never round to the same double (15 digits is what a double holds: 10^15 < 2^52). So {@code v} is
     * an integer exactly when {@code k0 == 0}, {@code v >= 1e-3} exactly when {@code |m0| >=
     * 10^(k0-3)}, and the fewest decimals with which {@link #appendFixedPoint} finds {@code v} are
     * {@code k0} with the digits {@code m0}: a shorter form would be a second decimal of at most 15
     * digits rounding to {@code v}. Anything else (17-digit decimals, tiny or huge values, {@code |m|
     * >= 2^53}) goes through the double as before.
     */
    static StringBuilder decimalValue(StringBuilder out, long m, int k) {
        if (m == 0) {
            return out.append('0');
        }
        long abs = Math.abs(m);
        // abs < 0 is Long.MIN_VALUE, which no column holds (nor any m of 2^53 or more).
        if (abs >= 0 && abs < 1L << 53) {
            int k0 = k;
            while (k0 > 0 && abs % 10 == 0) {
                abs /= 10;
                k0--;
            }
            if (abs < 1_000_000_000_000_000L) {
                if (k0 == 0) {
                    return out.append(m < 0 ? -abs : abs);
                }
                if (k0 <= 3 || abs >= LONG_POWERS_OF_TEN[k0 - 3]) {
                    if (m < 0) {
                        out.append('-');
                    }
                    long unit = LONG_POWERS_OF_TEN[k0];
                    long whole = abs / unit;
                    long fraction = abs % unit;
                    // int where it fits: a sensor value's parts do, and int digits cost less.
                    if (whole <= Integer.MAX_VALUE) {
                        out.append((int) whole);
                    } else {
                        out.append(whole);
                    }
                    out.append('.');
                    // Leading zeros of the fraction (never 0: its last digit is not).
                    for (long p = unit / 10; p > fraction; p /= 10) {
                        out.append('0');
                    }
                    return fraction <= Integer.MAX_VALUE ? out.append((int) fraction) : out.append(fraction);
                }
            }
        }
        return floatValue(out, decimalToDouble(m, k));
    }

    private static void appendSafe(StringBuilder out, char c) {
        out.append(Character.isISOControl(c) ? REPLACEMENT : c);
    }

    /**
     * The points of {@code measurement} among line-protocol {@code lines} (e.g. a spool record), each
     * line without its newline.
     */
    static List<String> linesOf(String lines, String measurement) {
        List<String> found = new ArrayList<>();
        String prefix = measurement + ",";
        int at = 0;
        while ((at = lines.indexOf(prefix, at)) >= 0) {
            if (at > 0 && lines.charAt(at - 1) != '\n') {
                at += prefix.length();
                continue;
            }
            int end = lines.indexOf('\n', at);
            found.add(lines.substring(at, end < 0 ? lines.length() : end));
            at = end < 0 ? lines.length() : end + 1;
        }
        return found;
    }

    /** The timestamp of one point (its last field), in nanoseconds. */
    static long timestampOf(String line) {
        return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
    }

    /**
     * Reads back a point this class wrote: tags and fields by key (tag values unescaped, string
     * fields without quotes and unescaped, integers without their {@code i}). For rigtel's own
     * points only (e.g. restoring state from the spool); not a general line-protocol parser.
     */
    static Map<String, String> parseSimple(String line) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        int n = line.length();
        // measurement
        while (i < n && line.charAt(i) != ',' && line.charAt(i) != ' ') {
            i += line.charAt(i) == '\\' ? 2 : 1;
        }
        boolean inFields = false;
        while (i < n) {
            char separator = line.charAt(i++);
            if (separator == ' ') {
                if (inFields) {
                    break; // the timestamp follows
                }
                inFields = true;
            }
            StringBuilder key = new StringBuilder();
            while (i < n && line.charAt(i) != '=') {
                char c = line.charAt(i++);
                key.append(c == '\\' && i < n ? line.charAt(i++) : c);
            }
            i++; // '='
            StringBuilder value = new StringBuilder();
            if (inFields && i < n && line.charAt(i) == '"') {
                i++;
                while (i < n && line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    value.append(c == '\\' && i < n ? line.charAt(i++) : c);
                }
                i++; // closing quote
            } else {
                while (i < n && line.charAt(i) != ',' && line.charAt(i) != ' ') {
                    char c = line.charAt(i++);
                    value.append(c == '\\' && i < n ? line.charAt(i++) : c);
                }
                if (inFields && value.length() > 1 && value.charAt(value.length() - 1) == 'i') {
                    value.setLength(value.length() - 1);
                }
            }
            out.put(key.toString(), value.toString());
        }
        return out;
    }
}
