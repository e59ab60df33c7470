package dev.rigtel.collector.timecode;

import java.util.Objects;

/**
 * Something about a rig's timecode sync that a person on set should hear about, raised by {@link
 * ClockAligner} (or {@link DeviceClocks}, for a message refused for its time). The {@link Type#tag() tag} is a bounded lowercase value for logs and meter tags;
 * the message is for people.
 *
 * @param type what happened
 * @param message a human-readable description with the figures
 * @param value the figure of the alert, in the unit its {@link Type} names
 */
public record ClockAlert(Type type, String message, double value) {

    public ClockAlert {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }

    /** The kinds of alert, each with the unit of {@link ClockAlert#value()}. */
    public enum Type {
        /** The timecode stepped against the device clock (re-jam, generator change); value: frames. */
        TIMECODE_JUMP("timecode-jump"),
        /** Reports stopped: locked to holdover; value: seconds since the last report. */
        TIMECODE_LOST("timecode-lost"),
        /** Holdover ran out: the mapping is no longer trusted; value: seconds since the last report. */
        TIMECODE_UNLOCKED("timecode-unlocked"),
        /** Locked again after a loss; value: seconds from the last report before the loss to the relock. */
        TIMECODE_RESTORED("timecode-restored"),
        /**
         * The device clock drifts enough to reach half a frame within one take if synced only once;
         * value: drift in ppm.
         */
        DRIFT("drift"),
        /**
         * A message of the rig was refused for a time that cannot be right (its device time jumped
         * ahead of the collector's clock, or it would be stored far ahead of the collector's clock
         * and the rig's timecode; {@link DeviceClocks}); value: seconds ahead.
         */
        IMPLAUSIBLE_TIME("implausible-time");

        private final String tag;

        Type(String tag) {
            this.tag = tag;
        }

        /** Bounded lowercase tag, e.g. {@code timecode-jump}. */
        public String tag() {
            return tag;
        }
    }
}
