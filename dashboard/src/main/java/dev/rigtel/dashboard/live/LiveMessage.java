package dev.rigtel.dashboard.live;

import java.util.Objects;

/**
 * One message for browsers, framed once as a server-sent event and shared by every browser.
 *
 * @param kind the SSE event name
 * @param rig the rig it is about, or null
 * @param frame the whole SSE event, UTF-8; never modified
 */
public record LiveMessage(LiveKind kind, String rig, byte[] frame) {

    public LiveMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(frame, "frame");
    }

    /** A live message with its JSON as the event's data. */
    public static LiveMessage of(LiveKind kind, String rig, String json) {
        return new LiveMessage(kind, rig, EventStreamFormat.event(kind.label(), json));
    }

    /** Whether a slow browser may lose it; see {@link LiveKind#droppable()}. */
    public boolean droppable() {
        return kind.droppable();
    }
}
