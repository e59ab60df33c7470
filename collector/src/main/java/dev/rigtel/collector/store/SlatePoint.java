package dev.rigtel.collector.store;

import java.time.LocalDate;

/**
 * A slate event (roll, cut, mark, assign), stored at {@code timeNanos}: its time, made unique per
 * id within its frame by the caller.
 *
 * @param label the event's timecode as SMPTE text
 * @param rate the frame rate's label
 */
public record SlatePoint(
        String id, long atNanos, String label, String rate, LocalDate date, Kind kind, long timeNanos) {

    /** What the event is, with the fields only it has. */
    public sealed interface Kind permits Roll, Cut, Mark, Assign, Snooze {}

    /** @param stunt stored as the field {@code stunt=true} only when set, so older points read false */
    public record Roll(String scene, String shot, int take, String cameraRoll, String notes, boolean stunt)
            implements Kind {
        public Roll(String scene, String shot, int take, String cameraRoll, String notes) {
            this(scene, shot, take, cameraRoll, notes, false);
        }
    }

    public record Cut() implements Kind {}

    /** @param mark the mark's label: {@code good}, {@code ng}, {@code circled} */
    public record Mark(String scene, String shot, int take, String mark, String notes) implements Kind {}

    /** Who wears {@code rig} from now on. */
    public record Assign(String rig, String person) implements Kind {}

    /** Impact alerts of {@code rig} ({@code *}: every rig) snoozed until the take is cut. */
    public record Snooze(String rig) implements Kind {}

    /** The {@code type} tag: {@code roll}, {@code cut}, {@code mark}, {@code assign} or {@code snooze}. */
    public String type() {
        if (kind instanceof Roll) {
            return "roll";
        } else if (kind instanceof Cut) {
            return "cut";
        } else if (kind instanceof Mark) {
            return "mark";
        } else if (kind instanceof Snooze) {
            return "snooze";
        }
        return "assign";
    }
}
