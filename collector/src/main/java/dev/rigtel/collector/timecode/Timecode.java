package dev.rigtel.collector.timecode;

/**
 * A SMPTE ST 12-1 timecode label at a frame rate, drop-frame or not. Only labels that exist can be
 * built: {@code 00:01:00;00} at 29.97 DF is skipped by drop-frame counting and is rejected.
 */
public record Timecode(int hours, int minutes, int seconds, int frames, FrameRate rate, boolean dropFrame) {

    public Timecode {
        if (dropFrame && !rate.dropFrameAllowed()) {
            throw new InvalidTimecodeException("drop-frame timecode does not exist at " + rate.label() + " fps");
        }
        if (hours < 0 || hours > 23) {
            throw new InvalidTimecodeException("hours must be 00..23, got " + hours);
        }
        if (minutes < 0 || minutes > 59) {
            throw new InvalidTimecodeException("minutes must be 00..59, got " + minutes);
        }
        if (seconds < 0 || seconds > 59) {
            throw new InvalidTimecodeException("seconds must be 00..59, got " + seconds);
        }
        if (frames < 0 || frames >= rate.countingBase()) {
            throw new InvalidTimecodeException(
                    "frames must be 00.." + (rate.countingBase() - 1) + " at " + rate.label() + " fps, got " + frames);
        }
        if (dropFrame && seconds == 0 && frames < rate.droppedPerMinute() && minutes % 10 != 0) {
            throw new InvalidTimecodeException(String.format(
                    "%02d:%02d:%02d;%02d does not exist at %s DF: drop-frame skips labels ;00..;%02d at minute %d",
                    hours, minutes, seconds, frames, rate.label(), rate.droppedPerMinute() - 1, minutes));
        }
    }

    /**
     * Parses {@code hh:mm:ss:ff} (non-drop) or {@code hh:mm:ss;ff} (drop-frame; {@code .} and
     * {@code ,} are accepted as DF separators too). The separator must agree with {@code dropFrame}.
     */
    public static Timecode parse(String label, FrameRate rate, boolean dropFrame) {
        if (label == null || label.length() != 11) {
            throw new InvalidTimecodeException("timecode must look like hh:mm:ss:ff, got '" + label + "'");
        }
        char last = label.charAt(8);
        boolean dfSeparator = last == ';' || last == '.' || last == ',';
        if (label.charAt(2) != ':' || label.charAt(5) != ':' || (last != ':' && !dfSeparator)) {
            throw new InvalidTimecodeException("timecode must look like hh:mm:ss:ff, got '" + label + "'");
        }
        if (dfSeparator != dropFrame) {
            throw new InvalidTimecodeException(
                    dropFrame
                            ? "drop-frame timecode is written with ';' before the frames, got '" + label + "'"
                            : "non-drop-frame timecode is written with ':' before the frames, got '" + label + "'");
        }
        return new Timecode(digits(label, 0), digits(label, 3), digits(label, 6), digits(label, 9), rate, dropFrame);
    }

    private static int digits(String label, int at) {
        char a = label.charAt(at);
        char b = label.charAt(at + 1);
        if (a < '0' || a > '9' || b < '0' || b > '9') {
            throw new InvalidTimecodeException("timecode must be digits hh:mm:ss:ff, got '" + label + "'");
        }
        return (a - '0') * 10 + (b - '0');
    }

    /** Frames since 00:00:00:00 (ST 12-1 drop-frame counting where it applies). */
    public long frameNumber() {
        int base = rate.countingBase();
        int dropped = dropFrame ? rate.droppedPerMinute() : 0;
        long totalMinutes = 60L * hours + minutes;
        return (3600L * hours + 60L * minutes + seconds) * base + frames - dropped * (totalMinutes - totalMinutes / 10);
    }

    /**
     * The label {@code frames} frames later (earlier if negative), wrapping at 24 hours of labels. At
     * drop-frame rates this counts frames, not labels: {@code 00:00:59;29 + 1} is {@code 00:01:00;02}
     * (SMPTE ST 12-1 drop-frame skips labels, never frames). Keep the date beside it with {@link
     * DatedTimecode} when the wrap at midnight matters.
     */
    public Timecode plusFrames(long frames) {
        long perDay = framesPerDay(rate, dropFrame);
        return fromFrameNumber(frameNumber() + Math.floorMod(frames, perDay), rate, dropFrame);
    }

    /**
     * Frames from this label to {@code other} on the same day: {@code other.frameNumber() -
     * frameNumber()}, negative when {@code other} is earlier. There is no wrap at midnight; use
     * {@link DatedTimecode#framesUntil} across days.
     *
     * @throws IllegalArgumentException if the rates or drop-frame modes differ
     */
    public long framesUntil(Timecode other) {
        requireSameCounting(other);
        return other.frameNumber() - frameNumber();
    }

    void requireSameCounting(Timecode other) {
        if (other.rate != rate || other.dropFrame != dropFrame) {
            throw new IllegalArgumentException("cannot count frames from " + this + " at " + rate.label()
                    + (dropFrame ? " DF" : "") + " to " + other + " at " + other.rate.label()
                    + (other.dropFrame ? " DF" : ""));
        }
    }

    /** The label of a frame number; wraps at 24 hours. */
    public static Timecode fromFrameNumber(long frameNumber, FrameRate rate, boolean dropFrame) {
        long perDay = framesPerDay(rate, dropFrame);
        long fn = Math.floorMod(frameNumber, perDay);
        int base = rate.countingBase();
        if (dropFrame) {
            int d = rate.droppedPerMinute();
            long perTenMinutes = 600L * base - 9L * d;
            long perMinute = perTenMinutes / 10;
            long tens = fn / perTenMinutes;
            long rest = fn % perTenMinutes;
            fn = fn + 9L * d * tens + (rest < d ? 0 : d * ((rest - d) / perMinute));
        }
        int ff = (int) (fn % base);
        long totalSeconds = fn / base;
        return new Timecode(
                (int) (totalSeconds / 3600),
                (int) (totalSeconds / 60 % 60),
                (int) (totalSeconds % 60),
                ff,
                rate,
                dropFrame);
    }

    /** Frames in 24 hours of labels. */
    public static long framesPerDay(FrameRate rate, boolean dropFrame) {
        long base = rate.countingBase();
        return dropFrame ? 144L * (600L * base - 9L * rate.droppedPerMinute()) : 86_400L * base;
    }

    /**
     * Real time from 00:00:00:00 to the start of this frame in nanoseconds, from the exact rational
     * rate (floored to the nanosecond). Cannot overflow: a day of 60 fps frames times 1001e9 is
     * below 2^63.
     */
    public long realTimeNanos() {
        return frameNumber() * rate.denominator() * 1_000_000_000L / rate.numerator();
    }

    /** {@code HH:MM:SS:FF}, or {@code HH:MM:SS;FF} drop-frame (once per timecode report: no Formatter). */
    @Override
    public String toString() {
        char[] out = new char[11];
        twoDigits(out, 0, hours);
        out[2] = ':';
        twoDigits(out, 3, minutes);
        out[5] = ':';
        twoDigits(out, 6, seconds);
        out[8] = dropFrame ? ';' : ':';
        twoDigits(out, 9, frames);
        return new String(out);
    }

    private static void twoDigits(char[] out, int at, int value) {
        out[at] = (char) ('0' + value / 10);
        out[at + 1] = (char) ('0' + value % 10);
    }
}
