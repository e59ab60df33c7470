package dev.rigtel.collector.store;

/** InfluxQL text built from values: string literals quoted so a value can never end them. */
public final class Influxql {

    private Influxql() {}

    /** A single-quoted string literal (InfluxQL escapes {@code '} and {@code \} with a backslash). */
    public static String literal(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'' || c == '\\') {
                out.append('\\');
            }
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.append('\'').toString();
    }

    /** A double-quoted identifier (a measurement, tag or field key, a retention policy). */
    public static String identifier(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
