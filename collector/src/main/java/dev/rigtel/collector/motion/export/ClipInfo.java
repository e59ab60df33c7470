package dev.rigtel.collector.motion.export;

import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.util.Objects;

/**
 * A camera clip that cut candidates are placed on, in its own source timecode, as the per-clip marker
 * exports need it ({@link ClipMarkerExports}).
 *
 * @param name the clip as editors name it, e.g. {@code GX010123} (the first chapter's file name
 *     without extension)
 * @param fileName the first chapter's file name, e.g. {@code GX010123.MP4}: the FCPXML asset's media
 * @param reel the EDL reel: 1 to 8 letters, digits, {@code _}, {@code -} or {@code .} (see {@link
 *     TakeInfo#reel()}); {@link #reelFor} makes one from the clip name
 * @param rate the rate the clip's timecode counts at
 * @param dropFrame whether it counts drop-frame (29.97 and 59.94 only)
 * @param start the label of the clip's first video frame (its {@code tmcd} start)
 * @param durationFrames the clip's length in frames, at least 1 and less than a day
 * @param recordRun true when the clip had no timecode of its own and {@link #start()} is a record-run
 *     {@code 00:00:00:00}
 */
public record ClipInfo(
        String name,
        String fileName,
        String reel,
        FrameRate rate,
        boolean dropFrame,
        Timecode start,
        long durationFrames,
        boolean recordRun) {

    public ClipInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(reel, "reel");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(start, "start");
        if (fileName.isBlank()) {
            throw new IllegalArgumentException("clip file name must not be blank");
        }
        if (durationFrames < 1 || durationFrames >= Timecode.framesPerDay(rate, dropFrame)) {
            throw new IllegalArgumentException(
                    "clip " + name + " must last from 1 frame to less than a day, got " + durationFrames + " frames");
        }
        // TakeInfo holds the rules on names, reels and counting; one place for them.
        new TakeInfo(name, reel, rate, dropFrame, start, start.plusFrames(durationFrames));
    }

    /**
     * An EDL reel for a clip name: the name itself when it fits the 8-character reel column (GoPro's
     * {@code GX010123}, {@code GOPR0123}, {@code GS010123} all do), else its first 8 characters with
     * any character a reel cannot hold as {@code _}.
     */
    public static String reelFor(String clipName) {
        StringBuilder reel = new StringBuilder(TakeInfo.MAX_REEL_LENGTH);
        for (int i = 0; i < clipName.length() && reel.length() < TakeInfo.MAX_REEL_LENGTH; i++) {
            char ch = clipName.charAt(i);
            boolean allowed = (ch >= 'A' && ch <= 'Z')
                    || (ch >= 'a' && ch <= 'z')
                    || (ch >= '0' && ch <= '9')
                    || ch == '_'
                    || ch == '-'
                    || ch == '.';
            reel.append(allowed ? ch : '_');
        }
        return reel.length() == 0 ? "AX" : reel.toString();
    }

    /** The clip as a take from its first frame to the frame after its last, for the shared rules. */
    TakeInfo asTake() {
        return new TakeInfo(name, reel, rate, dropFrame, start, end());
    }

    /** The first frame after the clip (exclusive, like an EDL out point). */
    public Timecode end() {
        return start.plusFrames(durationFrames);
    }

    /** Frames from {@link #start()} to {@code tc} counted forward (across midnight if need be). */
    public long framesFromStart(Timecode tc) {
        return asTake().framesFromStart(tc);
    }

    /** Whether {@code tc} (at the clip's rate and mode) is a frame of the clip. */
    public boolean contains(Timecode tc) {
        return asTake().contains(tc);
    }
}
