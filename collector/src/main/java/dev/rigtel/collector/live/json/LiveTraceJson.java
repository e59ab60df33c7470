package dev.rigtel.collector.live.json;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One IMU batch of a rig in 20 ms bins on {@code rigtel/v1/live/{rig}/trace}
 * (firmware-notes/live-topics.md): parallel arrays, one element per bin that holds samples. Field
 * names are snake_case on the wire ({@code tNanos} is {@code t_nanos}).
 *
 * @param receivedMs when the batch arrived, collector clock, ms since the epoch
 * @param tNanos start of each bin, production timeline, ns since the epoch
 * @param accelG peak resultant acceleration in the bin, g, gravity included
 * @param yawRateDps mean low-passed yaw rate about the vertical in the bin, deg/s, positive left
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LiveTraceJson(int v, String rig, long receivedMs, long[] tNanos, double[] accelG, double[] yawRateDps) {}
