package dev.rigtel.collector.csv;

/**
 * RFC 4180 CSV fields for every CSV the collector writes (the API's downloads, the cut-candidate
 * export), so that one rule guards them all against formula injection.
 */
public final class Csv {

    private Csv() {}

    /**
     * A text field: quoted if it holds a comma, a quote, CR or LF (quotes doubled, RFC 4180 section
     * 2). Text from people (names, notes) that starts like a formula ({@code = + - @}, tab, CR) gets
     * a leading {@code '}, so a spreadsheet shows it instead of running it (OWASP CSV injection).
     */
    public static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        String text = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value
                : value;
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\r') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** A number, empty if there is none. */
    public static String number(Object value) {
        return value == null ? "" : value.toString();
    }
}
