package dev.rigtel.collector.timecode;

import java.util.List;

/**
 * A rig's message whose time cannot be right ({@link DeviceClocks}: a device timer that jumped, or
 * a time far ahead of the collector's clock): it is refused, not mapped, so that it cannot move the
 * rig's timeline. Carries the {@link ClockAlert.Type#IMPLAUSIBLE_TIME} alert to raise, if one is due.
 */
public final class ImplausibleTimeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ClockAlert> alerts;

    public ImplausibleTimeException(String message, List<ClockAlert> alerts) {
        super(message, null, false, false);
        this.alerts = List.copyOf(alerts);
    }

    /** The alert to raise (none if one was raised for the rig within the last minute). */
    public List<ClockAlert> alerts() {
        return alerts;
    }
}
