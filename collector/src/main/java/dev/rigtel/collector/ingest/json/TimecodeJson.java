package dev.rigtel.collector.ingest.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Wire form of a timecode report on {@code rigtel/v1/{rig}/timecode}: the frame {@code tc} began at
 * {@code t_us}, and the frames after it at {@code next_us} (optional; a batched report).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimecodeJson(
        @JsonProperty("v") Integer version,
        @JsonProperty("seq") Long seq,
        @JsonProperty("boot") String boot,
        @JsonProperty("tc") String label,
        @JsonProperty("rate") String rate,
        @JsonProperty("df") Boolean dropFrame,
        @JsonProperty("t_us") Long deviceMicros,
        @JsonProperty("date") String date,
        @JsonProperty("next_us") long[] nextMicros) {}
