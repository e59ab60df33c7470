package dev.rigtel.collector.motion.export;

import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The take a set of cut candidates belongs to, as the marker exports need it.
 *
 * @param name the take as slated, e.g. {@code 42A-3}
 * @param reel the camera roll, e.g. {@code A001}: 1 to 8 letters, digits, {@code _}, {@code -} or
 *     {@code .}, because a CMX3600 EDL gives the reel a fixed 8-character column and a space would
 *     shift every column after it
 * @param rate the take's frame rate
 * @param dropFrame whether the take's timecode counts drop-frame (29.97 and 59.94 only)
 * @param start the first frame of the take
 * @param end the first frame after the take (exclusive, like an EDL out point); a take may run past
 *     midnight, so {@code end} may be an earlier label than {@code start}
 */
public record TakeInfo(String name, String reel, FrameRate rate, boolean dropFrame, Timecode start, Timecode end) {

    /** Longest reel name a CMX3600 EDL event line has room for. */
    public static final int MAX_REEL_LENGTH = 8;

    private static final Pattern REEL = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_REEL_LENGTH + "}");

    public TakeInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reel, "reel");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (name.isBlank()) {
            throw new IllegalArgumentException("take name must not be blank");
        }
        if (!REEL.matcher(reel).matches()) {
            throw new IllegalArgumentException("reel must be 1.." + MAX_REEL_LENGTH
                    + " letters, digits, '_', '-' or '.' to fit a CMX3600 reel column, got \"" + reel + "\"");
        }
        requireCounting(start, rate, dropFrame, "start");
        requireCounting(end, rate, dropFrame, "end");
        if (start.equals(end)) {
            throw new IllegalArgumentException("take " + name + " is empty: start and end are both " + start);
        }
    }

    private static void requireCounting(Timecode tc, FrameRate rate, boolean dropFrame, String what) {
        if (tc.rate() != rate || tc.dropFrame() != dropFrame) {
            throw new IllegalArgumentException(
                    what + " " + tc + " is at " + tc.rate().label() + (tc.dropFrame() ? " DF" : "")
                            + ", the take is at " + rate.label() + (dropFrame ? " DF" : ""));
        }
    }

    /** Frames from {@link #start()} to {@link #end()}, across midnight if the take runs past it. */
    public long durationFrames() {
        return Math.floorMod(end.frameNumber() - start.frameNumber(), Timecode.framesPerDay(rate, dropFrame));
    }

    /**
     * Frames from {@link #start()} to {@code tc} counted forward (across midnight if need be).
     *
     * @throws IllegalArgumentException if {@code tc} counts at another rate or drop-frame mode
     */
    public long framesFromStart(Timecode tc) {
        requireCounting(tc, rate, dropFrame, "timecode");
        return Math.floorMod(tc.frameNumber() - start.frameNumber(), Timecode.framesPerDay(rate, dropFrame));
    }

    /** Whether {@code tc} (at the take's rate and mode) is a frame of the take: {@code start <= tc < end}. */
    public boolean contains(Timecode tc) {
        return tc.rate() == rate && tc.dropFrame() == dropFrame && framesFromStart(tc) < durationFrames();
    }
}
