package dev.rigtel.collector.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.InvalidTimecodeException;
import dev.rigtel.collector.timecode.Timecode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates the arguments of a command strictly: unknown names, missing required ones, wrong JSON
 * types (a number in a string, {@code 5.0} for an integer) and values out of range are refused with
 * a message that says what is allowed. The result has every argument with its default filled in,
 * so a rig never needs to know the defaults.
 *
 * <p>Argument names are snake_case, like every field of the contract ({@code sample_rate_hz}); the
 * camelCase spelling of a name ({@code sampleRateHz}) is an unknown argument, refused with a message
 * that names the right one.
 */
public final class CommandArgs {

    /** {@code jam-timecode}: the label to load, {@code hh:mm:ss:ff} ({@code ;ff} for drop-frame). */
    public static final String TIMECODE = "timecode";
    /** {@code jam-timecode}: the frame rate label, e.g. {@code 29.97}. */
    public static final String FRAME_RATE = "frame_rate";
    /** {@code set-sample-rate}: the IMU sample rate in Hz. */
    public static final String SAMPLE_RATE_HZ = "sample_rate_hz";
    /** {@code start-recording}, {@code stop-recording}: the optional take id. */
    public static final String TAKE_ID = "take_id";
    /** {@code identify}: how long to blink. */
    public static final String SECONDS = "seconds";

    public static final int MIN_SAMPLE_RATE_HZ = 200;
    public static final int MAX_SAMPLE_RATE_HZ = 1000;
    public static final int MIN_IDENTIFY_SECONDS = 1;
    public static final int MAX_IDENTIFY_SECONDS = 60;
    public static final int DEFAULT_IDENTIFY_SECONDS = 10;

    /** What a take id may be: a slate id or a take name such as {@code 42A-3}. */
    static final Pattern TAKE_ID_PATTERN = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private static final String RATE_LABELS = String.join(
            ", ", Arrays.stream(FrameRate.values()).map(FrameRate::label).toList());

    private CommandArgs() {}

    /**
     * The validated arguments of {@code type}.
     *
     * @param args a JSON object; null, JSON null or a missing node mean no arguments
     */
    public static Map<String, Object> validate(CommandType type, JsonNode args) throws CommandRefusedException {
        if (args == null || args.isMissingNode() || args.isNull()) {
            args = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!args.isObject()) {
            throw invalid("args of " + type.label() + " must be a JSON object, got "
                    + args.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        for (Iterator<String> names = args.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!type.argNames().contains(name)) {
                String snake = snakeCase(name);
                String hint = !snake.equals(name) && type.argNames().contains(snake)
                        ? " (argument names are snake_case: '" + snake + "', not '" + name + "')"
                        : "";
                throw invalid("unknown argument '" + name + "' for " + type.label() + "; it takes "
                        + String.join(", ", type.argNames()) + hint);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        switch (type) {
            case JAM_TIMECODE -> {
                FrameRate rate = frameRate(args.get(FRAME_RATE));
                out.put(TIMECODE, timecode(args.get(TIMECODE), rate).toString());
                out.put(FRAME_RATE, rate.label());
            }
            case SET_SAMPLE_RATE ->
                out.put(
                        SAMPLE_RATE_HZ,
                        integer(args, SAMPLE_RATE_HZ, MIN_SAMPLE_RATE_HZ, MAX_SAMPLE_RATE_HZ, null, " Hz"));
            case START_RECORDING, STOP_RECORDING -> {
                JsonNode takeId = args.get(TAKE_ID);
                if (takeId != null) {
                    if (!takeId.isTextual()
                            || !TAKE_ID_PATTERN.matcher(takeId.asText()).matches()) {
                        throw invalid(TAKE_ID + " must be a string of 1 to 64 characters A-Z a-z 0-9 _ . : -, got "
                                + shorten(takeId.toString()));
                    }
                    out.put(TAKE_ID, takeId.asText());
                }
            }
            case IDENTIFY ->
                out.put(
                        SECONDS,
                        integer(
                                args,
                                SECONDS,
                                MIN_IDENTIFY_SECONDS,
                                MAX_IDENTIFY_SECONDS,
                                DEFAULT_IDENTIFY_SECONDS,
                                " seconds"));
        }
        return out;
    }

    private static FrameRate frameRate(JsonNode node) throws CommandRefusedException {
        if (node == null) {
            throw invalid("jam-timecode needs " + FRAME_RATE + ", one of " + RATE_LABELS);
        }
        if (!node.isTextual()) {
            throw invalid(
                    FRAME_RATE + " must be a string, one of " + RATE_LABELS + ", got " + shorten(node.toString()));
        }
        return FrameRate.fromLabel(node.asText())
                .orElseThrow(() -> invalid(
                        FRAME_RATE + " must be one of " + RATE_LABELS + ", got '" + shorten(node.asText()) + "'"));
    }

    private static Timecode timecode(JsonNode node, FrameRate rate) throws CommandRefusedException {
        if (node == null) {
            throw invalid("jam-timecode needs timecode, \"hh:mm:ss:ff\" (\"hh:mm:ss;ff\" for drop-frame)");
        }
        if (!node.isTextual()) {
            throw invalid("timecode must be a string \"hh:mm:ss:ff\" (\"hh:mm:ss;ff\" for drop-frame), got "
                    + shorten(node.toString()));
        }
        String label = node.asText();
        // Timecode.parse also takes '.' and ',' as drop-frame separators (what some devices print);
        // the command contract has exactly one spelling.
        boolean dropFrame = label.length() == 11 && label.charAt(8) == ';';
        if (label.length() == 11 && (label.charAt(8) == '.' || label.charAt(8) == ',')) {
            throw invalid("timecode separates drop-frame frames with ';', got '" + label + "'");
        }
        try {
            return Timecode.parse(label, rate, dropFrame);
        } catch (InvalidTimecodeException e) {
            throw invalid("timecode: " + shorten(e.getMessage()));
        }
    }

    private static int integer(JsonNode args, String name, int min, int max, Integer defaultValue, String unit)
            throws CommandRefusedException {
        JsonNode node = args.get(name);
        if (node == null) {
            if (defaultValue == null) {
                throw invalid(name + " is required: an integer " + min + ".." + max + unit);
            }
            return defaultValue;
        }
        if (!node.isIntegralNumber()) {
            throw invalid(
                    name + " must be an integer " + min + ".." + max + unit + ", got " + shorten(node.toString()));
        }
        if (!node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            throw invalid(name + " must be " + min + ".." + max + unit + ", got " + shorten(node.asText()));
        }
        return node.intValue();
    }

    /** {@code sampleRateHz} as {@code sample_rate_hz}; a name without capitals unchanged. */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (i > 0) {
                    out.append('_');
                }
                out.append((char) (c - 'A' + 'a'));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static CommandRefusedException invalid(String message) {
        return new CommandRefusedException(CommandRefusedException.INVALID_ARGS, message);
    }

    static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
