package dev.rigtel.simulator;

import dev.rigtel.collector.ingest.MessageKind;

/**
 * One encoded message of a simulated rig, ready to publish. The payload is encoded once and sent
 * as is, also when it is re-sent after a reconnect.
 *
 * @param seq the per-rig, per-topic sequence number in the payload
 * @param samples the IMU samples in the payload ({@code [ax, ay, az, gx, gy, gz]}), empty for
 *     other kinds
 * @param firstSampleDeviceNanos device time of the first sample as the collector computes it
 *     ({@code t0_us * 1000}); 0 for other kinds
 * @param lastSampleDeviceNanos device time of the last sample ({@code t0_us * 1000 + (n-1) * dt_ns});
 *     0 for other kinds
 */
public record RigMessage(
        MessageKind kind,
        long seq,
        String topic,
        byte[] payload,
        double[][] samples,
        long firstSampleDeviceNanos,
        long lastSampleDeviceNanos) {

    private static final double[][] NO_SAMPLES = new double[0][];

    /** A timecode or status message: no samples. */
    static RigMessage report(MessageKind kind, long seq, String topic, byte[] payload) {
        return new RigMessage(kind, seq, topic, payload, NO_SAMPLES, 0, 0);
    }

    public int sampleCount() {
        return samples.length;
    }
}
