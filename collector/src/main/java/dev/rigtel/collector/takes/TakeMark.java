package dev.rigtel.collector.takes;

import java.util.Locale;
import java.util.Optional;

/** How a take was marked. */
public enum TakeMark {
    GOOD,
    NG,
    CIRCLED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TakeMark> fromLabel(String label) {
        for (TakeMark mark : values()) {
            if (mark.label().equals(label)) {
                return Optional.of(mark);
            }
        }
        return Optional.empty();
    }
}
