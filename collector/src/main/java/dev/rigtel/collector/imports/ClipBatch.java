package dev.rigtel.collector.imports;

/**
 * One request's share of a clip's camera telemetry, already on the production timeline.
 *
 * @param clip the clip's id, deterministic from the files (camera serial, first file name, {@code
 *     tmcd} start), so the same clip imported twice has the same id
 * @param rig the rig the camera rode on (the client resolves it from {@code --rig} or its camera map)
 * @param firstFrameNanos the production time of the clip's first video frame (UTC ns): a sample's
 *     {@code dev_ns} is its time after it, the camera's own clock
 * @param first the index in the clip of this batch's first sample (0 for the first batch)
 * @param last true on the clip's last batch: the analytics then finish (open second, events, take
 *     summaries)
 * @param accelFullScaleG where the camera's accelerometer clips (g); clipping is flagged within 0.5 %
 * @param gyroFullScaleDps where the camera's gyroscope clips (deg/s)
 * @param utcNanos each sample's production time, strictly increasing
 * @param values {@code ax, ay, az} (m/s^2, gravity included) and {@code gx, gy, gz} (deg/s) of each
 *     sample in turn, six per sample, the collector's units
 * @param clipName the clip's first file name ({@code GX010042}), null if not sent
 * @param timecode the clip's {@code tmcd} start label ({@code 15:44:35:10}), null if the file has none
 */
public record ClipBatch(
        String clip,
        String cameraModel,
        String cameraSerial,
        String rig,
        long firstFrameNanos,
        long first,
        boolean last,
        double accelFullScaleG,
        double gyroFullScaleDps,
        long[] utcNanos,
        double[] values,
        String clipName,
        String timecode) {

    public int samples() {
        return utcNanos.length;
    }
}
