package dev.rigtel.collector.ingest;

/**
 * A rig's identity: the username it authenticates with. 1 to 64 characters, none of them
 * {@code / + #} (MQTT topic syntax), a backslash, white space or a control character, so that it
 * fits one topic level and one line-protocol tag value unambiguously on every InfluxDB version.
 */
public record RigId(String value) {

    public static final int MAX_LENGTH = 64;

    public RigId {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException("invalid rig id '" + value + "': " + problem);
        }
    }

    /** Why {@code value} cannot be a rig id, or null if it can. */
    public static String problem(String value) {
        if (value == null || value.isEmpty()) {
            return "empty";
        }
        if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (c == '/' || c == '+' || c == '#' || c == '\\') {
                return "contains '" + Character.toString(c) + "'";
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c) || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFD) {
                return "contains white space, a control character or an unpaired surrogate";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    @Override
    public String toString() {
        return value;
    }
}
