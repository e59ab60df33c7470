package dev.rigtel.gopro.clip;

import java.util.List;
import java.util.OptionalLong;

/**
 * A stream's true sample rate and the time of its first sample, computed as GoPro's reference parser
 * does in {@code GetGPMFSampleRate} (GPMF_utils.c, with {@code GPMF_SAMPLE_RATE_PRECISE} and {@code
 * SHUT} as the time base, the flags its demo uses):
 *
 * <ol>
 *   <li>with {@code STMP} in the first and last payload holding the stream: the samples between the two
 *       first samples over the timestamps' difference, the timestamp unit picked so that the rate is
 *       within 10 % of the payload-time estimate; the first sample sits at its {@code STMP} minus the
 *       {@code STMP} of {@code SHUT} (the video's exposures) in that payload;
 *   <li>else a least-squares line through (payload end time, samples so far) over the payloads that
 *       hold the stream: the slope is the rate, and the line crosses zero samples at the first sample's
 *       time;
 *   <li>with one payload only (where the reference divides 0 by 0) its samples over its duration.
 * </ol>
 *
 * Either way the stream's {@code TIMO} is subtracted.
 */
final class SampleClock {

    /**
     * One payload that holds the stream.
     *
     * @param payload the payload's index in the clip
     * @param inSeconds the payload's start on the movie timeline, as {@code GetPayloadTime}
     * @param outSeconds the payload's end
     * @param samples the stream's samples in it
     * @param totalSamples its {@code TSMP}
     * @param timestamp its {@code STMP}
     * @param baseTimestamp the {@code STMP} of {@code SHUT} in the same payload
     * @param timeOffsetSeconds its {@code TIMO}
     */
    record Observation(
            int payload,
            double inSeconds,
            double outSeconds,
            int samples,
            OptionalLong totalSamples,
            OptionalLong timestamp,
            OptionalLong baseTimestamp,
            double timeOffsetSeconds) {}

    /**
     * @param rateHz samples per second
     * @param firstSampleSeconds the first sample (of the first payload holding the stream) on the movie
     *     timeline
     * @param fromTimestamps whether {@code STMP} gave the rate
     */
    record Rate(double rateHz, double firstSampleSeconds, boolean fromTimestamps) {}

    private SampleClock() {}

    static Rate rate(List<Observation> observations) {
        Observation start = observations.get(0);
        Observation end = observations.get(observations.size() - 1);
        double timo = end.timeOffsetSeconds();
        long startSamples =
                start.totalSamples().isPresent() ? start.totalSamples().getAsLong() - start.samples() : 0;
        long endSamples;
        if (end.totalSamples().isPresent()) {
            endSamples = end.totalSamples().getAsLong();
        } else {
            endSamples = 0;
            for (Observation o : observations) {
                endSamples += o.samples();
            }
        }
        double span = end.outSeconds() - start.inSeconds();
        long startStamp = start.timestamp().orElse(0);
        long endStamp = end.timestamp().orElse(0);
        if (startStamp != 0 && endStamp != 0 && endStamp != startStamp) {
            long stamped = endSamples - end.samples() - startSamples;
            double approx = endSamples > startSamples ? (endSamples - startSamples) / span : 0;
            if (approx == 0) {
                approx = start.samples() / span;
            }
            double scale = 1e9;
            double rate = 0;
            while (scale >= 1) {
                rate = stamped / ((double) (endStamp - startStamp) / scale);
                if (rate * 0.9 < approx && approx < rate * 1.1) {
                    break;
                }
                scale *= 0.1;
            }
            if (scale >= 1 && rate > 0) {
                long base = start.baseTimestamp().orElse(startStamp);
                // GetGPMFSampleRate: first = -intercept / rate with intercept = (base - start) / scale * rate,
                // then the edit list offset; the start time of the payload generalises that offset to
                // streams that begin after the first payload.
                double first = (startStamp - base) / scale - timo + start.inSeconds();
                return new Rate(rate, first, true);
            }
        }
        if (observations.size() < 2) {
            double rate = (endSamples > startSamples ? endSamples - startSamples : start.samples()) / span;
            return new Rate(rate, start.inSeconds() - timo, false);
        }
        double meanX = 0;
        double meanY = 0;
        long[] cumulative = new long[observations.size()];
        long samples = 0;
        for (int i = 0; i < observations.size(); i++) {
            samples += observations.get(i).samples();
            cumulative[i] = samples;
            meanX += observations.get(i).outSeconds();
            meanY += samples;
        }
        meanX /= observations.size();
        meanY /= observations.size();
        double top = 0;
        double bottom = 0;
        for (int i = 0; i < observations.size(); i++) {
            double dx = observations.get(i).outSeconds() - meanX;
            top += dx * (cumulative[i] - meanY);
            bottom += dx * dx;
        }
        double slope = top / bottom;
        double intercept = meanY - slope * meanX;
        return new Rate(slope, -intercept / slope - timo, false);
    }
}
