package dev.rigtel.collector.takes;

import dev.rigtel.collector.store.SlatePoint;

/** Slate events as the store's typed points. */
public final class SlatePoints {

    private SlatePoints() {}

    /** The event's point, at its time made unique per id within its frame. */
    public static SlatePoint of(SlateEvent event) {
        SlatePoint.Kind kind;
        if (event instanceof SlateEvent.Roll r) {
            kind = new SlatePoint.Roll(r.scene(), r.shot(), r.take(), r.cameraRoll(), r.notes(), r.stunt());
        } else if (event instanceof SlateEvent.Mark m) {
            kind = new SlatePoint.Mark(m.scene(), m.shot(), m.take(), m.mark().label(), m.notes());
        } else if (event instanceof SlateEvent.Assign a) {
            kind = new SlatePoint.Assign(a.rig(), a.person());
        } else if (event instanceof SlateEvent.Snooze z) {
            kind = new SlatePoint.Snooze(z.rig());
        } else {
            kind = new SlatePoint.Cut();
        }
        return new SlatePoint(
                event.id(),
                event.atNanos(),
                event.label(),
                event.rate(),
                event.date(),
                kind,
                SlateLog.timestampNanos(event));
    }
}
