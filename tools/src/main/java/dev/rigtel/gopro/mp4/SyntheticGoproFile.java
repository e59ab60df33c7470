package dev.rigtel.gopro.mp4;

import dev.rigtel.gopro.gpmf.GpmfEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Writes a GoPro-shaped MP4 for the tests and the bench: a video track with no real frames, an
 * optional {@code tmcd} track, a GPMF {@code meta}/{@code gpmd} track with the given payloads, and
 * {@code udta} with the camera's model and serial as GoPro writes them ({@code udta/GPMF} with {@code
 * MINF} and {@code CASN}). With {@link Spec#mdatBytes} larger than the payloads the file is sparse: the
 * payloads spread over a large {@code mdat} that is never written, as a 4 GB clip's would be.
 */
public final class SyntheticGoproFile {

    /** Seconds from 1904-01-01 to 1970-01-01. */
    private static final long EPOCH_1904_SECONDS = 2_082_844_800L;

    private static final int MOVIE_TIMESCALE = 90_000;
    private static final int FRAME_DURATION = 3003; // 29.97 fps
    private static final int GPMF_TIMESCALE = 1000;
    private static final int PAYLOAD_DURATION = 1001;

    /**
     * @param payloads the GPMF payloads, one a sample, each about 1.001 s (as the cameras write them)
     * @param tmcdStartFrame the {@code tmcd} sample (frames since midnight at 29.97 fps), or empty for
     *     no {@code tmcd} track
     * @param dropFrame the {@code tmcd} drop-frame flag
     * @param co64 write {@code co64} instead of {@code stco}
     * @param moovFirst write the {@code moov} before the {@code mdat} (so a cut-short file keeps it)
     * @param mdatBytes the {@code mdat} body's size; 0 for just the payloads
     * @param serial {@code CASN}, or null
     * @param creationTime {@code mvhd} creation time
     */
    public record Spec(
            List<byte[]> payloads,
            OptionalLong tmcdStartFrame,
            boolean dropFrame,
            boolean co64,
            boolean moovFirst,
            long mdatBytes,
            String serial,
            Instant creationTime) {

        public Spec {
            payloads = List.copyOf(payloads);
        }

        /** Payloads with a timecode at 15:44:35:10, no sparse mdat, {@code stco}, moov last. */
        public static Spec of(List<byte[]> payloads) {
            return new Spec(
                    payloads,
                    OptionalLong.of(1_700_260),
                    false,
                    false,
                    false,
                    0,
                    "C3441324567890",
                    Instant.parse("2026-03-14T15:44:35Z"));
        }

        public Spec withTimecode(OptionalLong startFrame, boolean drop) {
            return new Spec(payloads, startFrame, drop, co64, moovFirst, mdatBytes, serial, creationTime);
        }

        public Spec withCo64(boolean on) {
            return new Spec(payloads, tmcdStartFrame, dropFrame, on, moovFirst, mdatBytes, serial, creationTime);
        }

        public Spec withMoovFirst(boolean on) {
            return new Spec(payloads, tmcdStartFrame, dropFrame, co64, on, mdatBytes, serial, creationTime);
        }

        public Spec withMdatBytes(long bytes) {
            return new Spec(payloads, tmcdStartFrame, dropFrame, co64, moovFirst, bytes, serial, creationTime);
        }

        public Spec withSerial(String value) {
            return new Spec(payloads, tmcdStartFrame, dropFrame, co64, moovFirst, mdatBytes, value, creationTime);
        }
    }

    private SyntheticGoproFile() {}

    /**
     * A HERO-like payload: the camera device with ACCL (200 Hz) and GYRO (200 Hz) streams, {@code
     * TSMP} running on from {@code samplesBefore}. Sample {@code k} (counted over the recording) is
     * ACCL {@code (k % 100, -(k % 50), 4096)} and GYRO {@code (k % 7, 1, -(k % 3))}, raw.
     */
    public static byte[] imuPayload(long samplesBefore, int samples) {
        short[] accl = new short[samples * 3];
        short[] gyro = new short[samples * 3];
        for (int i = 0; i < samples; i++) {
            long k = samplesBefore + i;
            accl[3 * i] = (short) (k % 100);
            accl[3 * i + 1] = (short) -(k % 50);
            accl[3 * i + 2] = 4096;
            gyro[3 * i] = (short) (k % 7);
            gyro[3 * i + 1] = 1;
            gyro[3 * i + 2] = (short) -(k % 3);
        }
        return imuPayload(samplesBefore, accl, gyro);
    }

    /**
     * A HERO-like payload of the given raw samples (three per sample): ACCL at 418 raw per m/s^2, GYRO
     * at 939 raw per rad/s, {@code TSMP} running on from {@code samplesBefore}.
     */
    public static byte[] imuPayload(long samplesBefore, short[] accl, short[] gyro) {
        long total = samplesBefore + accl.length / 3;
        return GpmfEncoder.nest(
                "DEVC",
                GpmfEncoder.u32("DVID", 1),
                GpmfEncoder.text("DVNM", "HERO9 Black"),
                GpmfEncoder.nest(
                        "STRM",
                        GpmfEncoder.u32("TSMP", total),
                        GpmfEncoder.text("STNM", "Accelerometer"),
                        GpmfEncoder.text("SIUN", "m/s\u00b2"),
                        GpmfEncoder.klv("SCAL", 's', 2, 1, new byte[] {0x01, (byte) 0xa2}),
                        GpmfEncoder.shorts("ACCL", 3, accl)),
                GpmfEncoder.nest(
                        "STRM",
                        GpmfEncoder.u32("TSMP", total),
                        GpmfEncoder.text("STNM", "Gyroscope"),
                        GpmfEncoder.text("SIUN", "rad/s"),
                        GpmfEncoder.klv("SCAL", 's', 2, 1, new byte[] {0x03, (byte) 0xab}),
                        GpmfEncoder.shorts("GYRO", 3, gyro)));
    }

    /** {@code count} payloads of {@code samplesPerPayload} ACCL and GYRO samples each. */
    public static List<byte[]> imuPayloads(long samplesBefore, int count, int samplesPerPayload) {
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            payloads.add(imuPayload(samplesBefore + (long) i * samplesPerPayload, samplesPerPayload));
        }
        return payloads;
    }

    /** Writes {@code spec} to {@code file}, replacing it. */
    public static void write(Path file, Spec spec) throws IOException {
        int n = spec.payloads().size();
        long payloadBytes = 4; // the tmcd sample first
        for (byte[] p : spec.payloads()) {
            payloadBytes += p.length;
        }
        long mdatBody = Math.max(spec.mdatBytes(), payloadBytes);
        long stride = n == 0 ? 0 : (mdatBody - 4) / n;
        byte[] ftyp = box("ftyp", bytes("mp41"), ints(0), bytes("mp41"));
        // Lay out with placeholder offsets to learn the moov's size, which the offsets do not change.
        long[] offsets = new long[n];
        byte[] moov = moov(spec, offsets, 0);
        long mdatStart = ftyp.length + (spec.moovFirst() ? moov.length : 0);
        long body = mdatStart + 16;
        for (int i = 0; i < n; i++) {
            offsets[i] = body + 4 + (spec.mdatBytes() > payloadBytes ? i * stride : offset(spec.payloads(), i));
        }
        moov = moov(spec, offsets, body);
        try (FileChannel out = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long pos = writeAt(out, 0, ftyp);
            if (spec.moovFirst()) {
                pos = writeAt(out, pos, moov);
            }
            ByteBuffer mdatHeader =
                    ByteBuffer.allocate(16).putInt(1).put(bytes("mdat")).putLong(16 + mdatBody);
            writeAt(out, pos, mdatHeader.array());
            writeAt(out, body, ints((int) spec.tmcdStartFrame().orElse(0)));
            for (int i = 0; i < n; i++) {
                writeAt(out, offsets[i], spec.payloads().get(i));
            }
            if (!spec.moovFirst()) {
                writeAt(out, body + mdatBody, moov);
            } else if (out.size() < body + mdatBody) {
                writeAt(out, body + mdatBody - 1, new byte[1]);
            }
        }
    }

    private static long offset(List<byte[]> payloads, int index) {
        long at = 0;
        for (int i = 0; i < index; i++) {
            at += payloads.get(i).length;
        }
        return at;
    }

    private static long writeAt(FileChannel out, long pos, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        long at = pos;
        while (b.hasRemaining()) {
            at += out.write(b, at);
        }
        return at;
    }

    private static byte[] moov(Spec spec, long[] offsets, long tmcdOffset) {
        int n = offsets.length;
        long gpmfDuration = (long) n * PAYLOAD_DURATION;
        long frames = Math.max(1, Math.round(gpmfDuration / 1000.0 * 30000 / 1001));
        long movieDuration = frames * FRAME_DURATION;
        long created = spec.creationTime().getEpochSecond() + EPOCH_1904_SECONDS;
        byte[] mvhd =
                full("mvhd", 0, ints((int) created, (int) created, MOVIE_TIMESCALE, (int) movieDuration), new byte[80]);
        List<byte[]> parts = new ArrayList<>();
        parts.add(mvhd);
        parts.add(udta(spec.serial()));
        parts.add(trak(
                1,
                "vide",
                sampleEntry("avc1", new byte[70]),
                MOVIE_TIMESCALE,
                movieDuration,
                stts(frames, FRAME_DURATION),
                uniformSizes(frames, 1),
                new long[] {tmcdOffset},
                (int) frames,
                false));
        if (spec.tmcdStartFrame().isPresent()) {
            byte[] entry = ByteBuffer.allocate(26)
                    .putInt(0)
                    .putShort((short) 0)
                    .putShort((short) 1)
                    .putInt(0)
                    .putInt(spec.dropFrame() ? 3 : 2)
                    .putInt(MOVIE_TIMESCALE)
                    .putInt(FRAME_DURATION)
                    .put((byte) 30)
                    .put((byte) 0)
                    .array();
            parts.add(trak(
                    2,
                    "tmcd",
                    sampleEntry("tmcd", entry, true),
                    MOVIE_TIMESCALE,
                    movieDuration,
                    stts(1, movieDuration),
                    uniformSizes(1, 4),
                    new long[] {tmcdOffset},
                    1,
                    false));
        }
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = spec.payloads().get(i).length;
        }
        parts.add(trak(
                3,
                "meta",
                sampleEntry("gpmd", new byte[8], true),
                GPMF_TIMESCALE,
                gpmfDuration,
                stts(n, PAYLOAD_DURATION),
                sizes(sizes),
                offsets,
                1,
                spec.co64()));
        return box("moov", parts.toArray(new byte[0][]));
    }

    private static byte[] udta(String serial) {
        List<byte[]> parts = new ArrayList<>();
        parts.add(box("FIRM", bytes("H20.01.01.10.00")));
        if (serial != null) {
            parts.add(box(
                    "GPMF",
                    GpmfEncoder.nest(
                            "DEVC",
                            GpmfEncoder.u32("DVID", 1),
                            GpmfEncoder.text("DVNM", "Global Settings"),
                            GpmfEncoder.text("CASN", serial),
                            GpmfEncoder.text("MINF", "HERO9 Black"))));
        }
        return box("udta", parts.toArray(new byte[0][]));
    }

    private static byte[] trak(
            int id,
            String handler,
            byte[] stsd,
            long timescale,
            long duration,
            byte[] stts,
            byte[] stsz,
            long[] chunkOffsets,
            int samplesPerChunk,
            boolean co64) {
        byte[] tkhd = full("tkhd", 0, ints(0, 0, id, 0, (int) duration), new byte[60]);
        byte[] mdhd = full("mdhd", 0, ints(0, 0, (int) timescale, (int) duration, 0));
        byte[] hdlr = full("hdlr", 0, ints(0), bytes(handler), new byte[13]);
        ByteBuffer stsc = ByteBuffer.allocate(8 + 12)
                .putInt(0)
                .putInt(1)
                .putInt(1)
                .putInt(samplesPerChunk)
                .putInt(1);
        byte[] offsets;
        if (co64) {
            ByteBuffer b =
                    ByteBuffer.allocate(8 + 8 * chunkOffsets.length).putInt(0).putInt(chunkOffsets.length);
            for (long o : chunkOffsets) {
                b.putLong(o);
            }
            offsets = box("co64", b.array());
        } else {
            ByteBuffer b =
                    ByteBuffer.allocate(8 + 4 * chunkOffsets.length).putInt(0).putInt(chunkOffsets.length);
            for (long o : chunkOffsets) {
                b.putInt((int) o);
            }
            offsets = box("stco", b.array());
        }
        byte[] stbl = box("stbl", stsd, stts, box("stsc", stsc.array()), stsz, offsets);
        byte[] minf = box("minf", stbl);
        return box("trak", tkhd, box("mdia", mdhd, hdlr, minf));
    }

    private static byte[] sampleEntry(String format, byte[] rest) {
        return sampleEntry(format, rest, false);
    }

    private static byte[] sampleEntry(String format, byte[] rest, boolean raw) {
        byte[] body = raw ? rest : concat(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}, rest);
        byte[] entry = box(format, body);
        return full("stsd", 0, ints(1), entry);
    }

    private static byte[] stts(long count, long delta) {
        return full("stts", 0, ints(1, (int) count, (int) delta));
    }

    private static byte[] uniformSizes(long count, int size) {
        return full("stsz", 0, ints(size, (int) count));
    }

    private static byte[] sizes(int[] sizes) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * sizes.length).putInt(0).putInt(sizes.length);
        for (int s : sizes) {
            b.putInt(s);
        }
        return full("stsz", 0, b.array());
    }

    private static byte[] full(String type, int version, byte[]... body) {
        byte[][] parts = new byte[body.length + 1][];
        parts[0] = ints(version << 24);
        System.arraycopy(body, 0, parts, 1, body.length);
        return box(type, parts);
    }

    private static byte[] box(String type, byte[]... body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int size = 8;
        for (byte[] b : body) {
            size += b.length;
        }
        out.writeBytes(ByteBuffer.allocate(4).putInt(size).array());
        out.writeBytes(bytes(type));
        for (byte[] b : body) {
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
