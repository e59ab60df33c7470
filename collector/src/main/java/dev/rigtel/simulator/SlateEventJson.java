package dev.rigtel.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Wire form of a slate event on {@code rigtel/v1/slate} (firmware-notes, "Slate events"), as the
 * simulated slate app sends it: always JSON, absent fields left out. Kept in the simulator so that
 * it sends exactly what the contract's table lists, independently of how the collector reads it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SlateEventJson(
        @JsonProperty("v") Integer version,
        @JsonProperty("id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("tc") String timecode,
        @JsonProperty("rate") String rate,
        @JsonProperty("df") Boolean dropFrame,
        @JsonProperty("date") String date,
        @JsonProperty("scene") String scene,
        @JsonProperty("shot") String shot,
        @JsonProperty("take") Integer take,
        @JsonProperty("camera_roll") String cameraRoll,
        @JsonProperty("notes") String notes,
        @JsonProperty("mark") String mark,
        @JsonProperty("rig") String rig,
        @JsonProperty("person") String person) {}
