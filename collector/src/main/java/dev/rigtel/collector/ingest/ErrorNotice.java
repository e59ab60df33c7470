package dev.rigtel.collector.ingest;

import java.nio.charset.StandardCharsets;

/**
 * What a rig is told on {@code rigtel/v1/{rig}/error} when a message of its was refused:
 * {@code {"v":1,"reason":"out-of-range","message":"...","topic":"...","packet_id":7}}
 * (firmware-notes/README.md). Written by hand: five fields, no mapper needed on the event loop.
 */
public final class ErrorNotice {

    private static final int MAX_MESSAGE_CHARS = 300;

    private ErrorNotice() {}

    public static byte[] json(String reason, String message, String topic, int packetId) {
        StringBuilder out = new StringBuilder(128 + message.length());
        out.append("{\"v\":1,\"reason\":");
        string(out, reason);
        out.append(",\"message\":");
        string(out, message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message);
        out.append(",\"topic\":");
        string(out, topic);
        out.append(",\"packet_id\":").append(packetId).append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string literal (RFC 8259 section 7). */
    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
