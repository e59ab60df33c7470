package dev.rigtel.bench;

/**
 * The device times of one simulated rig's IMU batches, as a pure function of the batch's {@code
 * seq}: batch {@code seq} (from 1) holds samples {@code (seq - 1) * samplesPerBatch} onwards, each
 * {@code intervalNanos} after the previous, on a device clock that starts at {@code
 * firstDeviceMicros}. Device time only moves forward, so the collector (which refuses a batch whose
 * first sample is not after the previous one's last, per rig and boot) takes every batch, and no two
 * samples of a rig share a timestamp in InfluxDB (where the second would overwrite the first).
 *
 * <p>{@code t0_us} is whole microseconds: at a rate whose interval is not a whole number of
 * microseconds (833 Hz: 1,200,480 ns), batch starts are rounded down, which keeps them strictly
 * increasing and after the previous batch's last sample as long as the interval is at least 1 us.
 */
record BatchSequence(long firstDeviceMicros, int samplesPerBatch, long intervalNanos) {

    BatchSequence {
        if (firstDeviceMicros < 0) {
            throw new IllegalArgumentException("firstDeviceMicros must not be negative");
        }
        if (samplesPerBatch < 1) {
            throw new IllegalArgumentException("samplesPerBatch must be at least 1");
        }
        if (intervalNanos < 1000) {
            throw new IllegalArgumentException("intervalNanos must be at least 1 us, got " + intervalNanos);
        }
    }

    /** The sequence of {@code samplesPerBatch}-sample batches at {@code rateHz}. */
    static BatchSequence at(long firstDeviceMicros, int rateHz, int samplesPerBatch) {
        if (rateHz < 1 || rateHz > 1_000_000) {
            throw new IllegalArgumentException("rateHz must be 1..1000000, got " + rateHz);
        }
        return new BatchSequence(firstDeviceMicros, samplesPerBatch, Math.round(1e9 / rateHz));
    }

    /** {@code t0_us} of batch {@code seq}. */
    long firstSampleMicros(long seq) {
        checkSeq(seq);
        return firstDeviceMicros + Math.multiplyExact(seq - 1, (long) samplesPerBatch) * intervalNanos / 1000;
    }

    /** Device time of the last sample of batch {@code seq}, in nanoseconds (the stored {@code dev_ns}). */
    long lastSampleNanos(long seq) {
        return firstSampleMicros(seq) * 1000 + (samplesPerBatch - 1) * intervalNanos;
    }

    /** Device-time length of one batch, nanoseconds: how often a rig sends one in real time. */
    long batchNanos() {
        return samplesPerBatch * intervalNanos;
    }

    /**
     * The highest {@code seq} whose last sample is at or before device time {@code deviceNanos} (the
     * newest {@code dev_ns} found stored), 0 if none is.
     */
    long lastSeqAtOrBefore(long deviceNanos) {
        if (deviceNanos < lastSampleNanos(1)) {
            return 0;
        }
        long guess = 1 + (deviceNanos - lastSampleNanos(1)) / batchNanos();
        // Rounding of t0_us to microseconds can put the guess one off either way.
        while (guess > 1 && lastSampleNanos(guess) > deviceNanos) {
            guess--;
        }
        while (lastSampleNanos(guess + 1) <= deviceNanos) {
            guess++;
        }
        return guess;
    }

    private static void checkSeq(long seq) {
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1, got " + seq);
        }
    }
}
