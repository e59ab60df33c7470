package dev.rigtel.bench;

import dev.rigtel.simulator.MotionGenerator;
import dev.rigtel.simulator.MotionProfile;
import dev.rigtel.simulator.PayloadEncoding;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Pre-encoded IMU batches (wire contract v1, firmware-notes/README.md) for a load generator that
 * must spend almost no CPU per message. A payload is a small header that changes per message
 * ({@code v}, {@code seq}, {@code boot}, {@code t0_us}, {@code dt_ns}) followed by one of a few
 * shared, pre-encoded blocks of samples ({@code "samples":[[...]]}).
 *
 * <p>The header has fixed-width fields, so a message is made by patching two numbers into a copy of
 * the rig's header: in JSON the numbers are right-aligned in 19 characters after blanks (white space
 * between a name's colon and its value is valid JSON, leading zeros would not be); in CBOR they are
 * always 8-byte unsigned integers (major type 0, additional information 27), which is valid though not
 * the shortest form. The receiving side finds {@code seq} at the same offset ({@link #seqOf}).
 *
 * <p>The samples are one second of a walking wearer from the simulator's {@link MotionGenerator},
 * cut into blocks; batch {@code seq} carries block {@code seq mod blocks}, so the analytics see
 * realistic motion rather than a constant.
 */
final class ImuPayloads {

    /** Characters of a boot id in the header: every rig's boot has this length. */
    static final int BOOT_CHARS = 8;

    /** Digits of the largest long. */
    private static final int NUMBER_CHARS = 19;

    private final PayloadEncoding encoding;
    private final int samplesPerBatch;
    private final long intervalNanos;
    private final byte[] header;
    private final int seqOffset;
    private final int bootOffset;
    private final int t0Offset;
    private final byte[][] blocks;
    /** The values each block decodes to, six per sample (single precision in CBOR). */
    private final double[][] values;

    private ImuPayloads(
            PayloadEncoding encoding,
            int samplesPerBatch,
            long intervalNanos,
            byte[] header,
            int seqOffset,
            int bootOffset,
            int t0Offset,
            byte[][] blocks,
            double[][] values) {
        this.encoding = encoding;
        this.samplesPerBatch = samplesPerBatch;
        this.intervalNanos = intervalNanos;
        this.header = header;
        this.seqOffset = seqOffset;
        this.bootOffset = bootOffset;
        this.t0Offset = t0Offset;
        this.blocks = blocks;
        this.values = values;
    }

    /**
     * Batches of {@code sequence.samplesPerBatch()} samples; enough blocks for about one second of
     * distinct motion (at least one, at most 1000 / samplesPerBatch rounded up).
     */
    static ImuPayloads create(PayloadEncoding encoding, BatchSequence sequence) {
        int samples = sequence.samplesPerBatch();
        long perSecond = Math.max(1, 1_000_000_000L / sequence.intervalNanos());
        int blockCount = (int) Math.max(1, Math.min(1000, (perSecond + samples - 1) / samples));
        MotionGenerator motion = new MotionGenerator(42, 1, MotionProfile.WALKING, sequence.intervalNanos());
        double[][][] values = new double[blockCount][samples][];
        for (int b = 0; b < blockCount; b++) {
            for (int i = 0; i < samples; i++) {
                values[b][i] = motion.sample((long) b * samples + i);
            }
        }
        return create(encoding, sequence.intervalNanos(), values);
    }

    /** Batches carrying the given blocks of samples ({@code [block][sample][ax, ay, az, gx, gy, gz]}). */
    static ImuPayloads create(PayloadEncoding encoding, long intervalNanos, double[][][] sampleBlocks) {
        if (sampleBlocks.length == 0) {
            throw new IllegalArgumentException("no sample blocks");
        }
        int samples = sampleBlocks[0].length;
        byte[][] blocks = new byte[sampleBlocks.length][];
        double[][] values = new double[sampleBlocks.length][];
        for (int b = 0; b < blocks.length; b++) {
            if (sampleBlocks[b].length != samples) {
                throw new IllegalArgumentException("every block must have " + samples + " samples");
            }
            values[b] = new double[samples * 6];
            blocks[b] = switch (encoding) {
                case JSON -> jsonBlock(sampleBlocks[b]);
                case CBOR -> cborBlock(sampleBlocks[b]);
                case PACKED -> packedBlock(sampleBlocks[b], values[b]);
            };
            for (int i = 0; i < samples; i++) {
                if (sampleBlocks[b][i].length != 6) {
                    throw new IllegalArgumentException("a sample has 6 values");
                }
                for (int k = 0; k < 6 && encoding != PayloadEncoding.PACKED; k++) {
                    double v = sampleBlocks[b][i][k];
                    values[b][i * 6 + k] = encoding == PayloadEncoding.JSON ? v : (float) v;
                }
            }
        }
        return switch (encoding) {
            case JSON -> jsonHeader(samples, intervalNanos, blocks, values);
            case CBOR -> cborHeader(samples, intervalNanos, blocks, values, false);
            case PACKED -> cborHeader(samples, intervalNanos, blocks, values, true);
        };
    }

    PayloadEncoding encoding() {
        return encoding;
    }

    int samplesPerBatch() {
        return samplesPerBatch;
    }

    long intervalNanos() {
        return intervalNanos;
    }

    int blockCount() {
        return blocks.length;
    }

    /** A rig's own copy of the header, its boot id written in; {@link #patch} it for each message. */
    byte[] header(String boot) {
        if (boot.length() != BOOT_CHARS || !boot.chars().allMatch(c -> c >= '!' && c < 127 && c != '"')) {
            throw new IllegalArgumentException("boot must be " + BOOT_CHARS + " printable ASCII characters: " + boot);
        }
        byte[] copy = header.clone();
        System.arraycopy(boot.getBytes(StandardCharsets.US_ASCII), 0, copy, bootOffset, BOOT_CHARS);
        return copy;
    }

    /** Writes {@code seq} and {@code t0_us} into a header made by {@link #header}. */
    void patch(byte[] rigHeader, long seq, long firstSampleMicros) {
        if (seq < 0 || firstSampleMicros < 0) {
            throw new IllegalArgumentException("seq and t0_us must not be negative");
        }
        if (encoding == PayloadEncoding.JSON) {
            writeDecimal(rigHeader, seqOffset, seq);
            writeDecimal(rigHeader, t0Offset, firstSampleMicros);
        } else {
            writeLong(rigHeader, seqOffset + 1, seq);
            writeLong(rigHeader, t0Offset + 1, firstSampleMicros);
        }
    }

    /** The pre-encoded samples that batch {@code seq} carries; shared, never to be modified. */
    byte[] block(long seq) {
        return blocks[(int) Math.floorMod(seq, (long) blocks.length)];
    }

    /** The values block {@code index} decodes to: six per sample, ax ay az gx gy gz. */
    double[] values(int index) {
        return values[index].clone();
    }

    /** A whole payload (header then block), for tests and one-off messages. */
    byte[] payload(String boot, long seq, long firstSampleMicros) {
        byte[] rigHeader = header(boot);
        patch(rigHeader, seq, firstSampleMicros);
        byte[] block = block(seq);
        byte[] out = Arrays.copyOf(rigHeader, rigHeader.length + block.length);
        System.arraycopy(block, 0, out, rigHeader.length, block.length);
        return out;
    }

    /** TCP and IPv4 headers without options, per segment. */
    static final int TCP_IP_BYTES_PER_SEGMENT = 40;

    /** The TCP payload of one segment on Ethernet or Wi-Fi (1500-byte MTU less 40). */
    static final int MSS_BYTES = 1460;

    /**
     * Bytes on the wire per sample of one rig's batch: the payload, the MQTT 3.1.1 PUBLISH around it
     * at QoS 1 (fixed header with its remaining length, the topic with its 2-byte length, the 2-byte
     * packet id; section 3.3) and 40 bytes of TCP/IP per segment of up to {@link #MSS_BYTES}. The
     * PUBACK going back (4 bytes, usually in a segment of its own) is not counted.
     */
    double wireBytesPerSample(String topic) {
        byte[] payload = payload("9f3a61c2", 1_000_000, 73_012_000);
        int remaining = 2 + topic.length() + 2 + payload.length;
        int lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
        int mqtt = 1 + lengthBytes + remaining;
        int segments = (mqtt + MSS_BYTES - 1) / MSS_BYTES;
        return (mqtt + segments * TCP_IP_BYTES_PER_SEGMENT) / (double) samplesPerBatch;
    }

    /** Payload bytes per sample of one batch, without MQTT or TCP/IP. */
    double payloadBytesPerSample() {
        return payload("9f3a61c2", 1_000_000, 73_012_000).length / (double) samplesPerBatch;
    }

    /** Offset of the {@code seq} field's value in a payload; {@link #seqOf} reads it back. */
    int seqOffset() {
        return seqOffset;
    }

    /**
     * The {@code seq} of a payload made by this template, read at its fixed offset: {@code get(i)}
     * returns byte {@code i} of the payload; -1 if it is not one of ours.
     */
    long seqOf(java.util.function.IntUnaryOperator get, int length) {
        if (length < header.length) {
            return -1;
        }
        if (encoding == PayloadEncoding.JSON) {
            long value = 0;
            boolean digits = false;
            for (int i = seqOffset; i < seqOffset + NUMBER_CHARS; i++) {
                int c = get.applyAsInt(i);
                if (c == ' ' && !digits) {
                    continue;
                }
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
                digits = true;
            }
            return digits ? value : -1;
        }
        if ((get.applyAsInt(seqOffset) & 0xff) != 0x1b) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (get.applyAsInt(seqOffset + 1 + i) & 0xff);
        }
        return value;
    }

    long seqOf(byte[] payload) {
        return seqOf(i -> payload[i], payload.length);
    }

    // --- JSON ------------------------------------------------------------------------------

    private static ImuPayloads jsonHeader(int samples, long intervalNanos, byte[][] blocks, double[][] values) {
        String blank = " ".repeat(NUMBER_CHARS);
        String seqPart = "{\"v\":1,\"seq\":";
        String bootPart = ",\"boot\":\"";
        String t0Part = "\",\"t0_us\":";
        String rest = ",\"dt_ns\":" + intervalNanos + ",\"samples\":";
        String text = seqPart + blank + bootPart + "x".repeat(BOOT_CHARS) + t0Part + blank + rest;
        int seqOffset = seqPart.length();
        int bootOffset = seqOffset + NUMBER_CHARS + bootPart.length();
        int t0Offset = bootOffset + BOOT_CHARS + t0Part.length();
        return new ImuPayloads(
                PayloadEncoding.JSON,
                samples,
                intervalNanos,
                text.getBytes(StandardCharsets.US_ASCII),
                seqOffset,
                bootOffset,
                t0Offset,
                blocks,
                values);
    }

    /** {@code [[ax,ay,az,gx,gy,gz],...]}} including the payload's closing brace. */
    private static byte[] jsonBlock(double[][] samples) {
        StringBuilder out = new StringBuilder(samples.length * 60);
        out.append('[');
        for (int i = 0; i < samples.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('[');
            for (int k = 0; k < 6; k++) {
                if (k > 0) {
                    out.append(',');
                }
                out.append(samples[i][k]);
            }
            out.append(']');
        }
        return out.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void writeDecimal(byte[] out, int offset, long value) {
        int i = offset + NUMBER_CHARS - 1;
        long v = value;
        do {
            out[i--] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v > 0);
        while (i >= offset) {
            out[i--] = ' ';
        }
    }

    // --- CBOR (RFC 8949) ---------------------------------------------------------------------

    private static ImuPayloads cborHeader(
            int samples, long intervalNanos, byte[][] blocks, double[][] values, boolean packed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        out.write(packed ? 0xab : 0xa6); // map of 11 or 6 pairs
        if (packed) {
            // firmware-notes "Packed IMU batch": fmt must be the first key.
            text(out, "fmt");
            text(out, "packed16");
        }
        text(out, "v");
        out.write(0x01);
        text(out, "seq");
        int seqOffset = out.size();
        out.write(0x1b);
        out.writeBytes(new byte[8]);
        text(out, "boot");
        out.write(0x60 + BOOT_CHARS); // text string of BOOT_CHARS bytes
        int bootOffset = out.size();
        out.writeBytes(new byte[BOOT_CHARS]);
        text(out, "t0_us");
        int t0Offset = out.size();
        out.write(0x1b);
        out.writeBytes(new byte[8]);
        text(out, "dt_ns");
        out.write(0x1b);
        byte[] interval = new byte[8];
        writeLong(interval, 0, intervalNanos);
        out.writeBytes(interval);
        if (packed) {
            text(out, "accel_scale_g");
            float64(out, ACCEL_SCALE_G);
            text(out, "gyro_scale_dps");
            float64(out, GYRO_SCALE_DPS);
            text(out, "accel_range_g");
            out.write(PayloadEncoding.PACKED_ACCEL_RANGE_G); // unsigned int below 24: one byte
            text(out, "gyro_range_dps");
            out.write(0x19); // unsigned int, 2 bytes
            out.write(PayloadEncoding.PACKED_GYRO_RANGE_DPS >>> 8);
            out.write(PayloadEncoding.PACKED_GYRO_RANGE_DPS);
        }
        text(out, "samples");
        return new ImuPayloads(
                packed ? PayloadEncoding.PACKED : PayloadEncoding.CBOR,
                samples,
                intervalNanos,
                out.toByteArray(),
                seqOffset,
                bootOffset,
                t0Offset,
                blocks,
                values);
    }

    /** An array of arrays of six single-precision floats (firmware-notes: 5 bytes a value). */
    private static byte[] cborBlock(double[][] samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(samples.length * 32 + 8);
        arrayHeader(out, samples.length);
        for (double[] sample : samples) {
            arrayHeader(out, 6);
            for (int k = 0; k < 6; k++) {
                out.write(0xfa);
                int bits = Float.floatToIntBits((float) sample[k]);
                out.write(bits >>> 24);
                out.write(bits >>> 16);
                out.write(bits >>> 8);
                out.write(bits);
            }
        }
        return out.toByteArray();
    }

    private static final double ACCEL_SCALE_G = PayloadEncoding.PACKED_ACCEL_RANGE_G / 32768.0;
    private static final double GYRO_SCALE_DPS = PayloadEncoding.PACKED_GYRO_RANGE_DPS / 32768.0;

    /**
     * A byte string of int16 little-endian counts, six per sample; {@code values} gets what the
     * collector decodes them to (count times scale, as its decoder computes it).
     */
    private static byte[] packedBlock(double[][] samples, double[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(samples.length * 12 + 4);
        int bytes = samples.length * 12;
        if (bytes < 24) {
            out.write(0x40 + bytes);
        } else if (bytes < 256) {
            out.write(0x58);
            out.write(bytes);
        } else if (bytes < 65536) {
            out.write(0x59);
            out.write(bytes >>> 8);
            out.write(bytes);
        } else {
            throw new IllegalArgumentException("too many samples in one block: " + samples.length);
        }
        double accelPerCount = ACCEL_SCALE_G * 9.80665;
        for (int i = 0; i < samples.length; i++) {
            for (int k = 0; k < 6; k++) {
                double perCount = k < 3 ? accelPerCount : GYRO_SCALE_DPS;
                int c = (int) Math.max(-32768, Math.min(32767, Math.round(samples[i][k] / perCount)));
                out.write(c);
                out.write(c >>> 8);
                values[i * 6 + k] = c * perCount;
            }
        }
        return out.toByteArray();
    }

    private static void float64(ByteArrayOutputStream out, double value) {
        out.write(0xfb);
        byte[] bits = new byte[8];
        writeLong(bits, 0, Double.doubleToLongBits(value));
        out.writeBytes(bits);
    }

    private static void arrayHeader(ByteArrayOutputStream out, int length) {
        if (length < 24) {
            out.write(0x80 + length);
        } else if (length < 256) {
            out.write(0x98);
            out.write(length);
        } else if (length < 65536) {
            out.write(0x99);
            out.write(length >>> 8);
            out.write(length);
        } else {
            throw new IllegalArgumentException("too many samples in one block: " + length);
        }
    }

    private static void text(ByteArrayOutputStream out, String ascii) {
        out.write(0x60 + ascii.length());
        out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    private static void writeLong(byte[] out, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            out[offset + i] = (byte) value;
            value >>>= 8;
        }
    }
}
