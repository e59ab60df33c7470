package dev.rigtel.collector.ingest.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Wire form of a packed IMU batch on {@code rigtel/v1/{rig}/imu} (firmware-notes/README.md,
 * "Packed IMU batch"): a CBOR map whose first key is {@code fmt: "packed16"} and whose
 * {@code samples} is one byte string of little-endian int16 counts, six per sample. Boxed numbers so
 * that a missing field is told apart from a zero.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "fmt",
    "v",
    "seq",
    "boot",
    "t0_us",
    "dt_ns",
    "offsets_us",
    "accel_scale_g",
    "gyro_scale_dps",
    "accel_range_g",
    "gyro_range_dps",
    "n",
    "samples"
})
public record PackedImuBatchJson(
        @JsonProperty("fmt") String format,
        @JsonProperty("v") Integer version,
        @JsonProperty("seq") Long seq,
        @JsonProperty("boot") String boot,
        @JsonProperty("t0_us") Long firstSampleMicros,
        @JsonProperty("dt_ns") Long intervalNanos,
        @JsonProperty("offsets_us") long[] offsetsMicros,
        @JsonProperty("accel_scale_g") Double accelScaleG,
        @JsonProperty("gyro_scale_dps") Double gyroScaleDps,
        @JsonProperty("accel_range_g") Integer accelRangeG,
        @JsonProperty("gyro_range_dps") Integer gyroRangeDps,
        @JsonProperty("n") Integer sampleCount,
        @JsonProperty("samples") byte[] samples) {

    /** The value of {@code fmt} that marks a packed batch. */
    public static final String FORMAT = "packed16";

    /** Bytes of one sample: six int16 counts, {@code ax ay az gx gy gz}. */
    public static final int BYTES_PER_SAMPLE = 12;
}
