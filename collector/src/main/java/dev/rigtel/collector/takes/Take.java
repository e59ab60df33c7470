package dev.rigtel.collector.takes;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One take, derived from slate events.
 *
 * @param id the id of the roll event that started it
 * @param endNanos empty while it is rolling
 * @param closedByNextRoll no cut came: the next roll ended it (flagged for the script supervisor)
 * @param stunt rolled with the slate's stunt flag: a rehearsed stunt or fight
 * @param wearers who wore which rig during the take, each with the part of the take they wore it
 */
public record Take(
        String id,
        LocalDate date,
        String scene,
        String shot,
        int take,
        String cameraRoll,
        String notes,
        long startNanos,
        String startLabel,
        OptionalLong endNanos,
        Optional<String> endLabel,
        String rate,
        Optional<TakeMark> mark,
        boolean closedByNextRoll,
        List<Wearing> wearers,
        boolean stunt) {

    /** A take that is no stunt. */
    public Take(
            String id,
            LocalDate date,
            String scene,
            String shot,
            int take,
            String cameraRoll,
            String notes,
            long startNanos,
            String startLabel,
            OptionalLong endNanos,
            Optional<String> endLabel,
            String rate,
            Optional<TakeMark> mark,
            boolean closedByNextRoll,
            List<Wearing> wearers) {
        this(
                id,
                date,
                scene,
                shot,
                take,
                cameraRoll,
                notes,
                startNanos,
                startLabel,
                endNanos,
                endLabel,
                rate,
                mark,
                closedByNextRoll,
                wearers,
                false);
    }

    /** {@code person} wore {@code rig} from {@code fromNanos} to {@code toNanos} within the take. */
    public record Wearing(String rig, String person, long fromNanos, long toNanos) {}

    public boolean rolling() {
        return endNanos.isEmpty();
    }

    /** E.g. {@code 42A-3}. */
    public String name() {
        return scene + shot + "-" + take;
    }
}
