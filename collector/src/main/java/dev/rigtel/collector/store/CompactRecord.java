package dev.rigtel.collector.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The compact body of a spool record (format 1): IMU samples held as the decoded batch, in binary,
 * and every other point as line text. The writers turn it into line protocol ({@link #appendLines})
 * with the same {@link Schema} code that encodes a point directly, from the same doubles, so InfluxDB
 * receives byte for byte what it would have; the acknowledgement path only packs numbers.
 *
 * <pre>
 * u8 format                 1
 * then chunks, in the order the points were added:
 *   u8 1 (text)             varint bytes, then whole points of line protocol in UTF-8
 *   u8 2 (imu)              varint bytes of the rest of the chunk, varint rig bytes, the rig id in
 *                           UTF-8, varint samples n, the n production times and the n device times
 *                           (each: zigzag varint first, zigzag varint first step, then zigzag
 *                           varint change of step per sample), then six columns ax ay az gx gy gz
 * a column:
 *   u8 0..17 (decimal k)    n zigzag varint steps of m, each value being m / 10^k exactly
 *   u8 32 (counts)          f64 scale, n zigzag varint steps of c, each value being c * scale exactly
 *   u8 33 (float32)         n f32, each value a float widened exactly
 *   u8 34 (float64)         n f64
 * </pre>
 *
 * Every column is checked when it is packed: it is only written in a form that gives back exactly the
 * same doubles (or {@code 0} for {@code -0.0}, which the line protocol prints alike). Varints are
 * little-endian base 128; fixed-size numbers are little-endian. Not thread-safe.
 */
final class CompactRecord {

    static final int FORMAT = 1;

    private static final int TEXT = 1;
    private static final int IMU = 2;
    private static final int COUNTS = 32;
    private static final int FLOAT32 = 33;
    private static final int FLOAT64 = 34;
    private static final int MAX_DECIMALS = 17;
    /** The largest count magnitude a count column holds (int16 counts, and -(-32768)). */
    private static final int MAX_COUNT = 32768;

    /** 10^k, exact in a double for every k up to {@link #MAX_DECIMALS}. */
    private static final double[] POWERS_OF_TEN = LineProtocol.POWERS_OF_TEN;

    private static final double TWO_TO_53 = 0x1p53;

    private byte[] bytes;
    private int size;

    CompactRecord(int capacityBytes) {
        bytes = new byte[Math.max(16, capacityBytes)];
        bytes[size++] = FORMAT;
    }

    /** The body so far. */
    byte[] toBytes() {
        return Arrays.copyOf(bytes, size);
    }

    /** Bytes so far. */
    int size() {
        return size;
    }

    /** Whole points of line protocol, as a text chunk; nothing if empty. */
    CompactRecord text(String lines) {
        if (lines.isEmpty()) {
            return this;
        }
        byte[] utf8 = lines.getBytes(StandardCharsets.UTF_8);
        ensure(1 + 5 + utf8.length);
        bytes[size++] = TEXT;
        varint(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    /**
     * IMU samples as {@link PointBatch#imu}; {@code accelPerCount} and {@code gyroPerCount} are the
     * scales of a packed batch's counts, or NaN when the values are not counts.
     *
     * @throws IllegalArgumentException for a value that is not finite (line protocol has none)
     */
    CompactRecord imu(
            String rig,
            long[] utcNanos,
            double[] values,
            long[] deviceNanos,
            double accelPerCount,
            double gyroPerCount) {
        int n = deviceNanos.length;
        if (utcNanos.length != n || values.length < n * 6) {
            throw new IllegalArgumentException("an IMU batch needs a time per sample and six values per sample");
        }
        for (int i = 0; i < n * 6; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("line protocol has no " + values[i]);
            }
        }
        byte[] rigBytes = rig.getBytes(StandardCharsets.UTF_8);
        ensure(imuChunkAtMost(n, rigBytes.length));
        bytes[size++] = IMU;
        int lengthAt = size;
        size += 5; // the chunk's length, filled in below as a fixed 5-byte varint
        varint(rigBytes.length);
        System.arraycopy(rigBytes, 0, bytes, size, rigBytes.length);
        size += rigBytes.length;
        varint(n);
        times(utcNanos, n);
        times(deviceNanos, n);
        for (int axis = 0; axis < 6; axis++) {
            column(values, axis, n, axis < 3 ? accelPerCount : gyroPerCount);
        }
        int length = size - lengthAt - 5;
        for (int i = 0; i < 5; i++) {
            bytes[lengthAt + i] = (byte) ((length >>> (7 * i)) & 0x7f | (i < 4 ? 0x80 : 0));
        }
        return this;
    }

    /** The most bytes an IMU chunk of {@code n} samples takes: every number a full varint or a double. */
    private static int imuChunkAtMost(int n, int rigBytes) {
        return 1 + 5 + 5 + rigBytes + 5 + n * 2 * 10 + 6 * (9 + n * 10);
    }

    /**
     * A capacity for a record of one message's points: {@code imuSamples} samples of a rig id of up to
     * 64 bytes, and a few hundred bytes of other points, so that packing the samples never has to grow
     * (and copy) the record.
     */
    static int capacityFor(int imuSamples) {
        return 1 + imuChunkAtMost(imuSamples, 64) + 320;
    }

    private void times(long[] times, int n) {
        if (n == 0) {
            return;
        }
        byte[] b = bytes;
        int at = zigzag(b, size, times[0]);
        long step = 0;
        for (int i = 1; i < n; i++) {
            long next = times[i] - times[i - 1];
            at = zigzag(b, at, next - step);
            step = next;
        }
        size = at;
    }

    private void column(double[] values, int axis, int n, double perCount) {
        if (n == 0) {
            bytes[size++] = FLOAT64;
            return;
        }
        if (perCount > 0 && counts(values, axis, n, perCount)) {
            return;
        }
        // The fewest decimals that fit the first value, raised to what the first value that does not
        // fit needs, until every value fits: one or two passes for firmware that prints a fixed
        // number of decimals (and drops trailing zeros). A value without a short decimal form
        // (floats widened from CBOR, counts of an unknown scale) ends the search.
        int decimals = decimals(values[axis]);
        while (decimals >= 0) {
            int misfit = decimal(values, axis, n, decimals);
            if (misfit < 0) {
                return;
            }
            int needs = decimals(values[misfit * 6 + axis]);
            decimals = needs > decimals ? needs : -1;
        }
        boolean floats = true;
        for (int i = 0; i < n && floats; i++) {
            double v = values[i * 6 + axis];
            floats = (double) (float) v == v;
        }
        if (floats) {
            bytes[size++] = FLOAT32;
            for (int i = 0; i < n; i++) {
                fixed32(Float.floatToRawIntBits((float) values[i * 6 + axis]));
            }
            return;
        }
        bytes[size++] = FLOAT64;
        for (int i = 0; i < n; i++) {
            fixed64(Double.doubleToRawLongBits(values[i * 6 + axis]));
        }
    }

    /** Writes the column as counts of {@code perCount} if every value is one exactly; false otherwise. */
    private boolean counts(double[] values, int axis, int n, double perCount) {
        int start = size;
        bytes[size++] = COUNTS;
        fixed64(Double.doubleToRawLongBits(perCount));
        byte[] b = bytes;
        int at = size;
        long previous = 0;
        for (int i = 0; i < n; i++) {
            double v = values[i * 6 + axis];
            double c = Math.rint(v / perCount);
            if (!(Math.abs(c) <= MAX_COUNT) || (int) c * perCount != v) {
                size = start;
                return false;
            }
            long count = (long) c;
            at = zigzag(b, at, count - previous);
            previous = count;
        }
        size = at;
        return true;
    }

    /**
     * The fewest decimals {@code k} with which {@code value} is exactly {@code m / 10^k} for an
     * integer {@code m < 2^53}; -1 if there are none.
     */
    static int decimals(double value) {
        double abs = Math.abs(value);
        for (int k = 0; k <= MAX_DECIMALS; k++) {
            double scaled = abs * POWERS_OF_TEN[k];
            if (scaled >= TWO_TO_53) {
                return -1;
            }
            double m = Math.rint(scaled);
            if (m / POWERS_OF_TEN[k] == abs) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Writes the column as decimals of {@code k} places if each value reads back exactly and returns
     * -1; otherwise writes nothing and returns the index of the first value that does not.
     */
    private int decimal(double[] values, int axis, int n, int k) {
        // The array and the position in locals: the loop writes nothing to fields until it is done.
        byte[] b = bytes;
        int at = size;
        b[at++] = (byte) k;
        double power = POWERS_OF_TEN[k];
        long previous = 0;
        for (int i = 0; i < n; i++) {
            double v = values[i * 6 + axis];
            double abs = Math.abs(v);
            double m = Math.rint(abs * power);
            if (!(m < TWO_TO_53) || m / power != abs) {
                return i;
            }
            long signed = v < 0 ? -(long) m : (long) m;
            at = zigzag(b, at, signed - previous);
            previous = signed;
        }
        size = at;
        return -1;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    /** Writes {@code value} zigzag-encoded as a varint into {@code b} at {@code at}; returns the next position. */
    private static int zigzag(byte[] b, int at, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7fL) != 0) {
            b[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[at++] = (byte) v;
        return at;
    }

    private void varint(long value) {
        while ((value & ~0x7fL) != 0) {
            bytes[size++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    private void fixed32(int value) {
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
    }

    private void fixed64(long value) {
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
    }

    // --- reading --------------------------------------------------------------------------------

    /**
     * Appends the line protocol of a compact body ({@code body[from, to)}) to {@code out}; IMU chunks
     * only if {@code withImu}.
     *
     * @throws IllegalArgumentException if the body is not a compact body this code can read
     */
    static StringBuilder appendLines(byte[] body, int from, int to, StringBuilder out, boolean withImu) {
        Reader in = new Reader(body, from, to);
        int format = in.u8();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown spool record format " + format);
        }
        while (in.at < to) {
            int kind = in.u8();
            int length = in.length();
            int end = in.at + length;
            if (end > to) {
                throw new IllegalArgumentException("a chunk runs past the record's end");
            }
            if (kind == TEXT) {
                out.append(new String(body, in.at, length, StandardCharsets.UTF_8));
            } else if (kind == IMU) {
                if (withImu) {
                    imuLines(new Reader(body, in.at, end), out);
                }
            } else {
                throw new IllegalArgumentException("unknown chunk kind " + kind + " in a spool record");
            }
            in.at = end;
        }
        return out;
    }

    private static void imuLines(Reader in, StringBuilder out) {
        int rigLength = in.length();
        String rig = new String(in.bytes, in.at, rigLength, StandardCharsets.UTF_8);
        in.at += rigLength;
        int n = in.length();
        long[] utc = in.times(n);
        long[] device = in.times(n);
        // Each value as its column holds it: decimal and count columns as integers, printed from
        // their digits (LineProtocol.decimalValue, CountTexts); float columns as doubles. Every form
        // prints the text LineProtocol.floatValue gives the double the column reads back as.
        long[] units = new long[n * 6];
        double[] values = null;
        int[] forms = new int[6];
        CountTexts[] counts = new CountTexts[6];
        for (int axis = 0; axis < 6; axis++) {
            int form = in.u8();
            forms[axis] = form;
            if (form <= MAX_DECIMALS) {
                in.deltas(units, axis, n);
            } else if (form == COUNTS) {
                counts[axis] = CountTexts.of(Double.longBitsToDouble(in.fixed64()));
                in.deltas(units, axis, n);
            } else {
                if (values == null) {
                    values = new double[n * 6];
                }
                in.floats(form, values, axis, n);
            }
        }
        String prefix = Schema.imuPrefix(rig);
        out.ensureCapacity(out.length() + n * LineEncoder.IMU_LINE_CHARS);
        for (int i = 0; i < n; i++) {
            out.append(prefix);
            for (int axis = 0; axis < 6; axis++) {
                if (axis > 0) {
                    out.append(Schema.IMU_VALUE_KEYS[axis]);
                }
                int form = forms[axis];
                int at = i * 6 + axis;
                if (form <= MAX_DECIMALS) {
                    LineProtocol.decimalValue(out, units[at], form);
                } else if (form == COUNTS) {
                    counts[axis].append(out, units[at]);
                } else {
                    LineProtocol.floatValue(out, values[at]);
                }
            }
            Schema.imuPointEnd(out, utc[i], device[i]);
        }
    }

    /**
     * The line-protocol text of {@code count x perCount} for the counts of one scale, made the first
     * time a count occurs and kept: a packed column's values have no short decimal form (the scale is
     * g x 9.80665 / 2^n), so {@link LineProtocol#floatValue} would print each through {@code
     * Double.toString}, while a scale has only 65,537 counts and a rig's values repeat. At most {@link
     * #MAX_SCALES} scales are kept (a rig's accelerometer and gyroscope ranges; about 0.3 MB each plus
     * the texts of the counts seen); the columns of any further scale are printed from their doubles.
     * Shared by the writer threads: a text is an immutable {@code String}, so a thread that sees a
     * slot another filled sees the whole text, and two that fill one slot fill it alike.
     */
    private static final class CountTexts {

        static final int MAX_SCALES = 16;
        /** The scales kept so far, in the order first seen; only added to, under the class lock. */
        private static volatile CountTexts[] kept = new CountTexts[0];

        private final long scaleBits;
        private final double perCount;
        private final String[] texts;

        private CountTexts(double perCount, boolean keep) {
            this.scaleBits = Double.doubleToRawLongBits(perCount);
            this.perCount = perCount;
            this.texts = keep ? new String[2 * MAX_COUNT + 1] : null;
        }

        static CountTexts of(double perCount) {
            CountTexts known = find(kept, perCount);
            return known != null ? known : add(perCount);
        }

        private static CountTexts find(CountTexts[] scales, double perCount) {
            long bits = Double.doubleToRawLongBits(perCount);
            for (CountTexts scale : scales) {
                if (scale.scaleBits == bits) {
                    return scale;
                }
            }
            return null;
        }

        private static synchronized CountTexts add(double perCount) {
            CountTexts[] scales = kept;
            CountTexts known = find(scales, perCount);
            if (known != null) {
                return known;
            }
            if (scales.length >= MAX_SCALES) {
                return new CountTexts(perCount, false);
            }
            CountTexts added = new CountTexts(perCount, true);
            CountTexts[] more = Arrays.copyOf(scales, scales.length + 1);
            more[scales.length] = added;
            kept = more;
            return added;
        }

        /** Appends the text of {@code (int) count * perCount}, the value the column reads back as. */
        void append(StringBuilder out, long count) {
            if (texts == null || count < -MAX_COUNT || count > MAX_COUNT) {
                LineProtocol.floatValue(out, (int) count * perCount);
                return;
            }
            int slot = (int) count + MAX_COUNT;
            String text = texts[slot];
            if (text == null) {
                text = LineProtocol.floatValue(new StringBuilder(24), (int) count * perCount)
                        .toString();
                texts[slot] = text;
            }
            out.append(text);
        }
    }

    private static final class Reader {
        final byte[] bytes;
        final int to;
        int at;

        Reader(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.at = from;
            this.to = to;
        }

        int u8() {
            check(1);
            return bytes[at++] & 0xff;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a varint longer than 64 bits in a spool record");
        }

        int length() {
            long value = varint();
            if (value < 0 || value > to - at) {
                throw new IllegalArgumentException("a length of " + value + " runs past the record's end");
            }
            return (int) value;
        }

        long zigzag() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        long fixed64() {
            check(8);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value |= (bytes[at++] & 0xffL) << (8 * i);
            }
            return value;
        }

        int fixed32() {
            check(4);
            int value = 0;
            for (int i = 0; i < 4; i++) {
                value |= (bytes[at++] & 0xff) << (8 * i);
            }
            return value;
        }

        long[] times(int n) {
            long[] times = new long[n];
            if (n == 0) {
                return times;
            }
            times[0] = zigzag();
            long step = 0;
            for (int i = 1; i < n; i++) {
                step += zigzag();
                times[i] = times[i - 1] + step;
            }
            return times;
        }

        /** Reads a decimal or count column's integers (after its form) into {@code units}. */
        void deltas(long[] units, int axis, int n) {
            long value = 0;
            for (int i = 0; i < n; i++) {
                value += zigzag();
                units[i * 6 + axis] = value;
            }
        }

        /** Reads a float column of {@code form} into {@code values}. */
        void floats(int form, double[] values, int axis, int n) {
            if (form == FLOAT32) {
                for (int i = 0; i < n; i++) {
                    values[i * 6 + axis] = Float.intBitsToFloat(fixed32());
                }
            } else if (form == FLOAT64) {
                for (int i = 0; i < n; i++) {
                    values[i * 6 + axis] = Double.longBitsToDouble(fixed64());
                }
            } else {
                throw new IllegalArgumentException("unknown column form " + form + " in a spool record");
            }
        }

        private void check(int bytesNeeded) {
            if (at + bytesNeeded > to) {
                throw new IllegalArgumentException("a spool record ends inside a number");
            }
        }
    }
}
