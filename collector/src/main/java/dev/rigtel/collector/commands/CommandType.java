package dev.rigtel.collector.commands;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The commands a rig understands, with the arguments each takes (firmware-notes/commands.md).
 * Argument names are snake_case, like every field of the contract.
 */
public enum CommandType {
    /** Set the rig's timecode generator: {@code timecode} at {@code frame_rate}. */
    JAM_TIMECODE("jam-timecode", CommandArgs.TIMECODE, CommandArgs.FRAME_RATE),
    /** Set the IMU sample rate: {@code sample_rate_hz}, 200..1000. */
    SET_SAMPLE_RATE("set-sample-rate", CommandArgs.SAMPLE_RATE_HZ),
    /** Start recording; optional {@code take_id}. */
    START_RECORDING("start-recording", CommandArgs.TAKE_ID),
    /** Stop recording; optional {@code take_id}. */
    STOP_RECORDING("stop-recording", CommandArgs.TAKE_ID),
    /** Blink the rig's LEDs for {@code seconds}, 1..60, default 10, so a person can find it. */
    IDENTIFY("identify", CommandArgs.SECONDS);

    private final String label;
    private final List<String> argNames;

    CommandType(String label, String... argNames) {
        this.label = label;
        this.argNames = List.of(argNames);
    }

    /** The name on the wire, e.g. {@code jam-timecode}. */
    public String label() {
        return label;
    }

    /** Every argument the command accepts, required or not, by its name on the wire. */
    public List<String> argNames() {
        return argNames;
    }

    public static Optional<CommandType> fromLabel(String label) {
        for (CommandType type : values()) {
            if (type.label.equals(label)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** {@code jam-timecode, set-sample-rate, ...} for messages. */
    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(CommandType::label).toList());
    }
}
