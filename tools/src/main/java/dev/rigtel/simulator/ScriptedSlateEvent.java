package dev.rigtel.simulator;

import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.json.SlateJson;
import dev.rigtel.collector.timecode.FrameRate;
import java.time.Instant;
import java.util.Objects;

/**
 * One event of a {@link ShootingDay}'s script, before it is given its timecode. Fields that the
 * contract does not ask of this type are null.
 *
 * @param offsetNanos true time since the start of the run at which it happens
 * @param id the event's unique id, at most 64 of {@code A-Z a-z 0-9 _ . : -}
 * @param dayTake the take of the day (1-based) it belongs to; for an assign, the take it precedes
 * @param take the take number on the slate, counting up per scene and shot (roll and mark)
 * @param mark {@code good}, {@code ng} or {@code circled} (mark)
 * @param rig the rig id (assign)
 * @param person who wears the rig from now on, empty for nobody (assign)
 */
public record ScriptedSlateEvent(
        long offsetNanos,
        SlateEventType type,
        String id,
        int dayTake,
        String scene,
        String shot,
        Integer take,
        String cameraRoll,
        String notes,
        String mark,
        String rig,
        String person) {

    public ScriptedSlateEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    /**
     * The wire form of this event in a run that started at {@code runStart} (true time): its
     * timecode is the label of the frame in which it happens, with the UTC date beside it.
     */
    public SlateJson toJson(Instant runStart, FrameRate rate, boolean dropFrame) {
        SimulatedRig.TimecodeFrame frame =
                SimulatedRig.TimecodeFrame.beganAtOrBefore(runStart.plusNanos(offsetNanos), rate, dropFrame);
        return new SlateJson(
                PayloadDecoder.CONTRACT_VERSION,
                id,
                type.label(),
                frame.timecode().toString(),
                rate.label(),
                dropFrame,
                frame.date().toString(),
                scene,
                shot,
                take,
                cameraRoll,
                notes,
                mark,
                rig,
                person);
    }
}
