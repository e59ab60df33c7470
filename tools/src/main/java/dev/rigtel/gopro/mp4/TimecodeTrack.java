package dev.rigtel.gopro.mp4;

/**
 * The {@code tmcd} track's sample description and its one sample (QuickTime File Format, "Timecode
 * sample description").
 *
 * @param timescale units per second of {@code frameDuration}
 * @param frameDuration one frame in {@code timescale} units (90000 / 3003 is 29.97 fps)
 * @param numberOfFrames frames per second as written (GoPro writes 29 for 29.97 on some models; use
 *     {@link #countingBase()})
 * @param flags bit 0 drop frame, bit 1 wraps at 24 hours, bit 2 negative times allowed, bit 3 counter
 * @param startFrame the sample: frames since 00:00:00:00 of the first video frame
 */
public record TimecodeTrack(long timescale, long frameDuration, int numberOfFrames, int flags, long startFrame) {

    public boolean dropFrame() {
        return (flags & 1) != 0;
    }

    /** Frames counted per timecode second: the nominal rate, rounded (30 for 29.97). */
    public int countingBase() {
        return (int) Math.round((double) timescale / frameDuration);
    }
}
