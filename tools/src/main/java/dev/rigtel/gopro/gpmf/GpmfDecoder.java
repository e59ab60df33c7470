package dev.rigtel.gopro.gpmf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Decodes one GPMF payload into its streams' samples, with the semantics of GoPro's reference parser
 * ({@code gopro/gpmf-parser}: {@code GPMF_SeekToSamples}, {@code GPMF_PayloadSampleCount}, {@code
 * GPMF_ScaledData}):
 *
 * <ul>
 *   <li>a stream's samples are its last item, or the first of a run of items with the same key (each
 *       instance then is one sample); a stream whose last item is a reserved key has none;
 *   <li>the sticky items before the samples apply to them: {@code SCAL} (one divisor, or one per
 *       element), {@code SIUN}/{@code UNIT}, {@code TYPE}, {@code MTRX}, {@code ORIN}/{@code ORIO},
 *       {@code TSMP}, {@code STMP}, {@code TMPC}, {@code TIMO};
 *   <li>an {@code MTRX} of only 0, 1 and -1 is no calibration: then {@code ORIN}/{@code ORIO} (when
 *       both name every axis) give the axis mapping, lower case meaning negative;
 *   <li>keys the decoder does not know are decoded all the same; items of unknown type are skipped.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class GpmfDecoder {

    /** GPMF_Reserved: keys that describe a stream and are never its samples. */
    private static final Set<String> RESERVED = Set.of(
            "DEVC", "DVID", "DVNM", "STRM", "STNM", "SIUN", "UNIT", "SCAL", "TYPE", "TSMP", "TICK", "TOCK", "EMPT",
            "RMRK", "MTRX", "ORIN", "ORIO", "STMP", "STPS", "PFRM", "TMPC", "FREE");

    private GpmfDecoder() {}

    /**
     * Decodes {@code payload[0, length)}. Problems that lose only part of the payload (an unknown type,
     * a {@code SCAL} that fits no axis count) are added to {@code warnings}.
     *
     * @throws GpmfFormatException if the KLV structure cannot be walked; nothing of the payload is used
     */
    public static List<StreamBlock> decode(byte[] payload, int length, List<String> warnings)
            throws GpmfFormatException {
        List<StreamBlock> blocks = new ArrayList<>();
        for (Klv device : Klv.parse(payload, length, warnings)) {
            String deviceId = "";
            String deviceName = "";
            Klv deviceType = null;
            for (Klv item : device.children()) {
                switch (item.key()) {
                    case "DVID" ->
                        deviceId = item.type() == 'F'
                                ? text(payload, item)
                                : String.valueOf((long) number(payload, item.dataOffset(), item.type()));
                    case "DVNM" -> deviceName = text(payload, item);
                    case "TYPE" -> deviceType = item;
                    case "STRM" -> {
                        StreamBlock block = stream(payload, deviceId, deviceName, deviceType, item, warnings);
                        if (block != null) {
                            blocks.add(block);
                        }
                    }
                    default -> {
                        // other device-level items (TICK, TOCK, ...) carry nothing a stream needs
                    }
                }
            }
        }
        return blocks;
    }

    /**
     * The text of the first {@code c}-typed item with each of {@code keys}, anywhere in the payload
     * (e.g. {@code MINF}, {@code CASN} of the global settings GoPro keeps in {@code udta/GPMF}).
     */
    public static Map<String, String> texts(byte[] payload, int length, Set<String> keys) throws GpmfFormatException {
        Map<String, String> found = new HashMap<>();
        collectTexts(payload, Klv.parse(payload, length, new ArrayList<>()), keys, found);
        return found;
    }

    private static void collectTexts(byte[] payload, List<Klv> items, Set<String> keys, Map<String, String> found) {
        for (Klv item : items) {
            if (item.type() == GpmfType.NEST) {
                collectTexts(payload, item.children(), keys, found);
            } else if (keys.contains(item.key()) && item.type() == 'c' && !found.containsKey(item.key())) {
                String value = text(payload, item).trim();
                if (!value.isEmpty()) {
                    found.put(item.key(), value);
                }
            }
        }
    }

    private static StreamBlock stream(
            byte[] payload, String deviceId, String deviceName, Klv deviceType, Klv strm, List<String> warnings) {
        List<Klv> items = strm.children();
        int first = sampleIndex(items);
        if (first < 0) {
            return null;
        }
        Klv data = items.get(first);
        String key = data.key();
        List<Klv> instances = new ArrayList<>();
        for (int i = first; i < items.size(); i++) {
            if (items.get(i).key().equals(key)) {
                instances.add(items.get(i));
            }
        }
        String streamName = "";
        List<String> units = List.of();
        Klv scal = null;
        Klv type = deviceType;
        Klv mtrx = null;
        String orin = null;
        String orio = null;
        OptionalLong tsmp = OptionalLong.empty();
        OptionalLong stmp = OptionalLong.empty();
        double tmpc = Double.NaN;
        double timo = 0;
        boolean haveSiUnits = false;
        for (int i = 0; i < first; i++) {
            Klv item = items.get(i);
            switch (item.key()) {
                case "STNM" -> streamName = text(payload, item);
                case "SIUN" -> {
                    units = texts(payload, item);
                    haveSiUnits = true;
                }
                case "UNIT" -> {
                    if (!haveSiUnits) {
                        units = texts(payload, item);
                    }
                }
                case "SCAL" -> scal = item;
                case "TYPE" -> type = item;
                case "MTRX" -> mtrx = item;
                case "ORIN" -> orin = rawText(payload, item);
                case "ORIO" -> orio = rawText(payload, item);
                case "TSMP" -> tsmp = OptionalLong.of((long) number(payload, item.dataOffset(), item.type()));
                case "STMP" -> stmp = OptionalLong.of(unsignedLong(payload, item));
                case "TMPC" -> tmpc = number(payload, item.dataOffset(), item.type());
                case "TIMO" -> timo = number(payload, item.dataOffset(), item.type());
                default -> {
                    // unknown sticky items are kept in the file and skipped here
                }
            }
        }
        int samples = instances.size() > 1 ? instances.size() : data.repeat();
        String where = deviceName.isEmpty() ? key : deviceName + " " + key;
        if (data.type() == GpmfType.NEST) {
            return null;
        }
        String codes;
        if (data.type() == GpmfType.COMPLEX) {
            if (type == null) {
                warnings.add(where + ": complex samples without a TYPE; values not decoded");
                return block(deviceId, deviceName, key, streamName, units, "", samples, 0, tsmp, stmp, tmpc, timo);
            }
            try {
                codes = GpmfType.expand(rawText(payload, type));
            } catch (IllegalArgumentException e) {
                warnings.add(where + ": " + e.getMessage() + "; values not decoded");
                return block(deviceId, deviceName, key, streamName, units, "", samples, 0, tsmp, stmp, tmpc, timo);
            }
            int size = 0;
            for (char c : codes.toCharArray()) {
                size += GpmfType.size(c);
            }
            if (size != data.structSize()) {
                warnings.add(where + ": TYPE '" + codes + "' is " + size + " bytes, the samples are "
                        + data.structSize() + "; values not decoded");
                return block(deviceId, deviceName, key, streamName, units, codes, samples, 0, tsmp, stmp, tmpc, timo);
            }
        } else {
            int typeSize = GpmfType.size(data.type());
            if (typeSize == 0 || data.structSize() % typeSize != 0) {
                if (data.type() == GpmfType.COMPRESSED) {
                    warnings.add(where + ": compressed samples are not decoded");
                }
                return block(deviceId, deviceName, key, streamName, units, "", samples, 0, tsmp, stmp, tmpc, timo);
            }
            codes = String.valueOf(data.type()).repeat(data.structSize() / typeSize);
        }
        int elements = codes.length();
        double[] scale = scale(payload, scal, elements, where, warnings);
        if (scale == null) {
            return block(deviceId, deviceName, key, streamName, units, codes, samples, 0, tsmp, stmp, tmpc, timo);
        }
        double[] matrix =
                data.type() == GpmfType.COMPLEX ? null : matrix(payload, mtrx, orin, orio, elements, where, warnings);
        double[] values;
        int axes;
        if (instances.size() > 1) {
            int repeat = instances.get(0).repeat();
            for (Klv instance : instances) {
                if (instance.repeat() != repeat) {
                    warnings.add(where + ": instances of different sizes; values not decoded");
                    return block(
                            deviceId, deviceName, key, streamName, units, codes, samples, 0, tsmp, stmp, tmpc, timo);
                }
            }
            axes = elements * repeat;
            values = new double[instances.size() * axes];
            int at = 0;
            for (Klv instance : instances) {
                decodeValues(payload, instance, codes, scale, matrix, values, at);
                at += axes;
            }
        } else {
            axes = elements;
            values = new double[data.repeat() * elements];
            decodeValues(payload, data, codes, scale, matrix, values, 0);
        }
        double fullScale = fullScale(codes, scale);
        return new StreamBlock(
                deviceId,
                deviceName,
                key,
                streamName,
                units,
                codes,
                samples,
                axes,
                values,
                tsmp,
                stmp,
                tmpc,
                timo,
                fullScale);
    }

    private static StreamBlock block(
            String deviceId,
            String deviceName,
            String key,
            String streamName,
            List<String> units,
            String codes,
            int samples,
            int axes,
            OptionalLong tsmp,
            OptionalLong stmp,
            double tmpc,
            double timo) {
        return new StreamBlock(
                deviceId,
                deviceName,
                key,
                streamName,
                units,
                codes,
                samples,
                axes,
                new double[0],
                tsmp,
                stmp,
                tmpc,
                timo,
                Double.NaN);
    }

    /**
     * GPMF_SeekToSamples: the first of two neighbouring items with the same key, else the last item
     * unless it is reserved; -1 for none.
     */
    private static int sampleIndex(List<Klv> items) {
        for (int i = 0; i + 1 < items.size(); i++) {
            Klv item = items.get(i);
            if (item.type() == GpmfType.NEST) {
                return -1;
            }
            if (item.key().equals(items.get(i + 1).key()) && !RESERVED.contains(item.key())) {
                return i;
            }
        }
        if (items.isEmpty() || RESERVED.contains(items.get(items.size() - 1).key())) {
            return -1;
        }
        return items.size() - 1;
    }

    private static double[] scale(byte[] payload, Klv scal, int elements, String where, List<String> warnings) {
        double[] scale = new double[elements];
        if (scal == null) {
            java.util.Arrays.fill(scale, 1);
            return scale;
        }
        int size = GpmfType.size(scal.type());
        if (!GpmfType.numeric(scal.type()) || size == 0) {
            warnings.add(where + ": SCAL of type '" + scal.type() + "' is not supported; values not decoded");
            return null;
        }
        int count = scal.dataBytes() / size;
        if (count != 1 && count != elements) {
            warnings.add(where + ": " + count + " SCAL values for " + elements + " elements; values not decoded");
            return null;
        }
        for (int i = 0; i < elements; i++) {
            scale[i] = number(payload, scal.dataOffset() + (count == 1 ? 0 : i * size), scal.type());
        }
        return scale;
    }

    /** The {@code elements x elements} output-from-input matrix, or null for none. */
    private static double[] matrix(
            byte[] payload, Klv mtrx, String orin, String orio, int elements, String where, List<String> warnings) {
        if (mtrx != null) {
            int size = GpmfType.size(mtrx.type());
            if (!GpmfType.numeric(mtrx.type()) || size == 0 || mtrx.dataBytes() / size != elements * elements) {
                warnings.add(where + ": MTRX does not fit " + elements + " axes; not applied");
            } else {
                double[] m = new double[elements * elements];
                boolean calibration = false;
                for (int i = 0; i < m.length; i++) {
                    m[i] = number(payload, mtrx.dataOffset() + i * size, mtrx.type());
                    calibration |= m[i] != 0 && m[i] != 1 && m[i] != -1;
                }
                if (calibration) {
                    return m;
                }
            }
        }
        if (orin == null
                || orio == null
                || orin.length() != orio.length()
                || orin.length() < 2
                || orio.length() != elements) {
            return null;
        }
        double[] m = new double[elements * elements];
        for (int y = 0; y < elements; y++) {
            for (int x = 0; x < elements; x++) {
                char out = orio.charAt(y);
                char in = orin.charAt(x);
                if (out == in) {
                    m[y * elements + x] = 1;
                } else if (out - 'a' == in - 'A' || out - 'A' == in - 'a') {
                    m[y * elements + x] = -1;
                }
            }
        }
        return m;
    }

    private static void decodeValues(
            byte[] payload, Klv item, String codes, double[] scale, double[] matrix, double[] out, int at) {
        int elements = codes.length();
        int pos = item.dataOffset();
        int o = at;
        double[] row = matrix == null ? null : new double[elements];
        for (int s = 0; s < item.repeat(); s++) {
            int rowStart = o;
            for (int e = 0; e < elements; e++) {
                char c = codes.charAt(e);
                out[o++] = GpmfType.numeric(c) ? number(payload, pos, c) / scale[e] : Double.NaN;
                pos += GpmfType.size(c);
            }
            if (matrix != null) {
                for (int y = 0; y < elements; y++) {
                    double sum = 0;
                    for (int x = 0; x < elements; x++) {
                        sum += out[rowStart + x] * matrix[y * elements + x];
                    }
                    row[y] = sum;
                }
                System.arraycopy(row, 0, out, rowStart, elements);
            }
        }
    }

    /** The raw integer type's largest magnitude over the one divisor, where every element shares both. */
    private static double fullScale(String codes, double[] scale) {
        if (codes.isEmpty()) {
            return Double.NaN;
        }
        char c = codes.charAt(0);
        for (int i = 0; i < codes.length(); i++) {
            if (codes.charAt(i) != c || scale[i] != scale[0]) {
                return Double.NaN;
            }
        }
        double max =
                switch (c) {
                    case 'b' -> Byte.MAX_VALUE;
                    case 'B' -> 255;
                    case 's' -> Short.MAX_VALUE;
                    case 'S' -> 65535;
                    case 'l' -> Integer.MAX_VALUE;
                    case 'L' -> 4294967295.0;
                    default -> Double.NaN;
                };
        return max / Math.abs(scale[0]);
    }

    /** One value of a numeric type code, big-endian. */
    static double number(byte[] b, int pos, char type) {
        return switch (type) {
            case 'b' -> b[pos];
            case 'B', 'c', 'u' -> b[pos] & 0xff;
            case 's' -> (short) (((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff));
            case 'S' -> ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
            case 'l' -> Klv.int32(b, pos);
            case 'L', 'F' -> Klv.int32(b, pos) & 0xffffffffL;
            case 'f' -> Float.intBitsToFloat(Klv.int32(b, pos));
            case 'q' -> Klv.int32(b, pos) / 65536.0;
            case 'd' -> Double.longBitsToDouble(int64(b, pos));
            case 'j' -> int64(b, pos);
            case 'J' -> unsigned(int64(b, pos));
            case 'Q' -> int64(b, pos) / 4294967296.0;
            default -> Double.NaN;
        };
    }

    private static long unsignedLong(byte[] b, Klv item) {
        return switch (item.type()) {
            case 'j', 'J' -> int64(b, item.dataOffset());
            default -> (long) number(b, item.dataOffset(), item.type());
        };
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }

    private static long int64(byte[] b, int pos) {
        return ((long) Klv.int32(b, pos) << 32) | (Klv.int32(b, pos + 4) & 0xffffffffL);
    }

    /** A {@code c} item as text, ISO-8859-1 (GoPro writes {@code µ} and {@code ²} as single bytes), to the first NUL. */
    static String text(byte[] b, Klv item) {
        String s = rawText(b, item);
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    private static String rawText(byte[] b, Klv item) {
        return new String(b, item.dataOffset(), item.dataBytes(), StandardCharsets.ISO_8859_1);
    }

    /** An item of {@code repeat} strings of {@code structSize} bytes each. */
    private static List<String> texts(byte[] b, Klv item) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < item.repeat(); i++) {
            String s = new String(
                    b, item.dataOffset() + i * item.structSize(), item.structSize(), StandardCharsets.ISO_8859_1);
            int nul = s.indexOf('\0');
            out.add(nul < 0 ? s : s.substring(0, nul));
        }
        return out;
    }
}
