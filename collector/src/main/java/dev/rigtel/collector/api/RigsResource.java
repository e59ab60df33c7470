package dev.rigtel.collector.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.timecode.DeviceClocks;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** Rigs and the disks: {@code GET /api/rigs} and {@code GET /api/storage}. */
final class RigsResource {

    /** A rig's clock now, and who wears it. */
    record RigClock(
            String rig,
            String boot,
            String lock,
            @JsonProperty("drift_ppm") double driftPpm,
            @JsonProperty("residual_rms_us") double residualRmsMicros,
            String rate,
            String wearer) {}

    private final ApiJson json;
    private final DeviceClocks clocks;
    private final TakeHistory takes;
    private final Clock clock;
    private final Supplier<Object> storage;

    RigsResource(ApiJson json, DeviceClocks clocks, TakeHistory takes, Clock clock, Supplier<Object> storage) {
        this.json = json;
        this.clocks = clocks;
        this.takes = takes;
        this.clock = clock;
        this.storage = storage;
    }

    /** Every rig's clock: lock state, drift, residual, current wearer. */
    ApiResponse rigs() {
        long now = clock.millis() * 1_000_000L;
        List<RigClock> rigs = clocks.states().stream()
                .map(state -> new RigClock(
                        state.rig(),
                        state.boot(),
                        state.clock().lock().name().toLowerCase(Locale.ROOT),
                        state.clock().driftPpm(),
                        state.clock().residualRmsNanos() / 1000,
                        state.rate().map(r -> r.label()).orElse(null),
                        takes.wearerAt(state.rig(), now).orElse(null)))
                .toList();
        return json.ok(rigs);
    }

    /** Disk used by the shoot, free, and the forecast to its last day. */
    ApiResponse storage() {
        Object reading = storage.get();
        return reading == null ? ApiResponse.error(503, "no look at the disks yet; try again") : json.ok(reading);
    }
}
