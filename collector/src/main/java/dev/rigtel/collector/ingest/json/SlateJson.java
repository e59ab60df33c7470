package dev.rigtel.collector.ingest.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Wire form of a slate event on {@code rigtel/v1/slate} and {@code POST /api/slate}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SlateJson(
        @JsonProperty("v") Integer version,
        @JsonProperty("id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("tc") String label,
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
        @JsonProperty("person") String person,
        @JsonProperty("stunt") Boolean stunt) {

    /** An event without the roll's stunt flag. */
    public SlateJson(
            Integer version,
            String id,
            String type,
            String label,
            String rate,
            Boolean dropFrame,
            String date,
            String scene,
            String shot,
            Integer take,
            String cameraRoll,
            String notes,
            String mark,
            String rig,
            String person) {
        this(
                version,
                id,
                type,
                label,
                rate,
                dropFrame,
                date,
                scene,
                shot,
                take,
                cameraRoll,
                notes,
                mark,
                rig,
                person,
                null);
    }
}
