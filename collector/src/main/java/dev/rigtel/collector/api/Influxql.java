package dev.rigtel.collector.api;

/** InfluxQL text built from values: string literals quoted so a value can never end them. */
final class Influxql {

    private Influxql() {}

    /** A single-quoted string literal (InfluxQL escapes {@code '} and {@code \} with a backslash). */
    static String literal(String value) {
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
}
