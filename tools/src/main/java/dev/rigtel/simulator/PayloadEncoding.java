package dev.rigtel.simulator;

import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.json.ImuBatchJson;
import dev.rigtel.collector.ingest.json.PackedImuBatchJson;
import dev.rigtel.collector.ingest.json.WireMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * How a simulated rig encodes its payloads; all three are part of wire contract v1. {@code packed}
 * differs from {@code cbor} only in IMU batches (int16 counts, firmware-notes "Packed IMU batch");
 * its other payloads are CBOR.
 */
public enum PayloadEncoding {
    JSON("json"),
    CBOR("cbor"),
    PACKED("packed");

    /** The packed form's accelerometer full scale, +-16 g (1/2048 g per count). */
    public static final int PACKED_ACCEL_RANGE_G = 16;

    /** The packed form's gyroscope full scale, +-2000 deg/s (about 0.061 deg/s per count). */
    public static final int PACKED_GYRO_RANGE_DPS = 2000;

    private static final double ACCEL_SCALE_G = PACKED_ACCEL_RANGE_G / 32768.0;
    private static final double GYRO_SCALE_DPS = PACKED_GYRO_RANGE_DPS / 32768.0;
    private static final double ACCEL_MPS2_PER_COUNT = ACCEL_SCALE_G * 9.80665;

    private final String label;

    PayloadEncoding(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Encodes a wire DTO with the process's one mapper. */
    public byte[] encode(WireMapper wire, Object dto) {
        try {
            return this == JSON ? wire.writeJson(dto) : wire.writeCbor(dto);
        } catch (IOException e) {
            // Writing a DTO to a byte array does no I/O; this is a bug, not a condition to handle.
            throw new UncheckedIOException("cannot encode " + dto.getClass().getSimpleName(), e);
        }
    }

    /**
     * An IMU batch in this encoding. For {@code packed}, {@code samples} are rounded to counts in
     * place (clamped at full scale), so they hold what the collector will decode and store.
     */
    public byte[] encodeImu(
            WireMapper wire, long seq, String boot, long t0Micros, long intervalNanos, double[][] samples) {
        if (this != PACKED) {
            return encode(
                    wire,
                    new ImuBatchJson(
                            PayloadDecoder.CONTRACT_VERSION, seq, boot, t0Micros, intervalNanos, null, samples));
        }
        byte[] counts = new byte[samples.length * PackedImuBatchJson.BYTES_PER_SAMPLE];
        for (int i = 0; i < samples.length; i++) {
            for (int k = 0; k < 6; k++) {
                double perCount = k < 3 ? ACCEL_MPS2_PER_COUNT : GYRO_SCALE_DPS;
                int c = (int) Math.max(-32768, Math.min(32767, Math.round(samples[i][k] / perCount)));
                int o = (i * 6 + k) * 2;
                counts[o] = (byte) c;
                counts[o + 1] = (byte) (c >> 8);
                samples[i][k] = c * perCount;
            }
        }
        return encode(
                wire,
                new PackedImuBatchJson(
                        PackedImuBatchJson.FORMAT,
                        1,
                        seq,
                        boot,
                        t0Micros,
                        intervalNanos,
                        null,
                        ACCEL_SCALE_G,
                        GYRO_SCALE_DPS,
                        PACKED_ACCEL_RANGE_G,
                        PACKED_GYRO_RANGE_DPS,
                        samples.length,
                        counts));
    }

    public static Optional<PayloadEncoding> fromLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String normalized = label.trim().toLowerCase(Locale.ROOT);
        for (PayloadEncoding encoding : values()) {
            if (encoding.label.equals(normalized)) {
                return Optional.of(encoding);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
