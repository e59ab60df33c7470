package dev.rigtel.collector.ingest.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * Wire form of an IMU batch on {@code rigtel/v1/{rig}/imu} (firmware-notes/README.md). Boxed
 * numbers so that a missing field is told apart from a zero.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImuBatchJson(
        @JsonProperty("v") Integer version,
        @JsonProperty("seq") Long seq,
        @JsonProperty("boot") String boot,
        @JsonProperty("t0_us") Long firstSampleMicros,
        @JsonProperty("dt_ns") Long intervalNanos,
        @JsonProperty("offsets_us") long[] offsetsMicros,
        // Each sample's numbers read from their text where that gives the same double for less.
        @JsonProperty("samples") @JsonDeserialize(contentUsing = SampleValuesDeserializer.class) double[][] samples) {}
