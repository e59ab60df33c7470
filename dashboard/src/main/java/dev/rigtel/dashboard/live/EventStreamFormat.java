package dev.rigtel.dashboard.live;

import java.nio.charset.StandardCharsets;

/**
 * Server-sent events framing (WHATWG HTML, section 9.2 "Server-sent events"): {@code event:} and
 * {@code data:} lines ended by a blank line. Data with line breaks becomes several {@code data:}
 * lines, which the browser joins back with {@code \n}; a name or comment never holds one.
 */
public final class EventStreamFormat {

    private EventStreamFormat() {}

    /** One event, UTF-8. */
    public static byte[] event(String name, String data) {
        StringBuilder out = new StringBuilder(data.length() + name.length() + 16);
        out.append("event: ").append(singleLine(name)).append('\n');
        int start = 0;
        for (int i = 0; i <= data.length(); i++) {
            char c = i < data.length() ? data.charAt(i) : '\n';
            if (c == '\n' || c == '\r') {
                out.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A comment line, which browsers ignore: keeps proxies and the TCP connection from idling out. */
    public static byte[] comment(String text) {
        return (": " + singleLine(text) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** How long a browser waits before it reconnects after the stream ended. */
    public static byte[] retry(long millis) {
        return ("retry: " + millis + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String singleLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
