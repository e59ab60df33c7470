package dev.rigtel.gopro.mp4;

import java.io.IOException;

/** A file that is not an MP4/MOV this reader can use, or whose boxes contradict each other. */
public final class Mp4FormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public Mp4FormatException(String message) {
        super(message);
    }
}
