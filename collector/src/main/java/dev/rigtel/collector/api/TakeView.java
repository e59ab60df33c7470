package dev.rigtel.collector.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rigtel.collector.takes.Take;
import java.util.List;

/** A take as the API answers it: {@code /api/days/{date}/takes}, {@code /api/people/{person}/takes}. */
record TakeView(
        String id,
        String name,
        String date,
        String scene,
        String shot,
        int take,
        @JsonProperty("camera_roll") String cameraRoll,
        String notes,
        String rate,
        @JsonProperty("start_tc") String startLabel,
        @JsonProperty("end_tc") String endLabel,
        @JsonProperty("start_ns") long startNanos,
        @JsonProperty("end_ns") Long endNanos,
        boolean rolling,
        String mark,
        @JsonProperty("closed_by_next_roll") boolean closedByNextRoll,
        List<Wearing> wearers,
        boolean stunt) {

    /** Who wore a rig in the take; {@code to_ns} null while they still wear it. */
    record Wearing(
            String rig, String person, @JsonProperty("from_ns") long fromNanos, @JsonProperty("to_ns") Long toNanos) {}

    static TakeView of(Take take) {
        return new TakeView(
                take.id(),
                take.name(),
                take.date().toString(),
                take.scene(),
                take.shot(),
                take.take(),
                take.cameraRoll(),
                take.notes(),
                take.rate(),
                take.startLabel(),
                take.endLabel().orElse(null),
                take.startNanos(),
                take.endNanos().isPresent() ? take.endNanos().getAsLong() : null,
                take.rolling(),
                take.mark().map(m -> m.label()).orElse(null),
                take.closedByNextRoll(),
                take.wearers().stream()
                        .map(w -> new Wearing(
                                w.rig(), w.person(), w.fromNanos(), w.toNanos() == Long.MAX_VALUE ? null : w.toNanos()))
                        .toList(),
                take.stunt());
    }
}
