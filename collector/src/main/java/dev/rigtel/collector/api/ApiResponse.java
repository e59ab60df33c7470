package dev.rigtel.collector.api;

import java.nio.charset.StandardCharsets;

/** An HTTP answer: status, content type and body. */
public record ApiResponse(int status, String contentType, byte[] body) {

    public static ApiResponse json(int status, byte[] body) {
        return new ApiResponse(status, "application/json", body);
    }

    /** {@code {"error": message}} with the status. */
    public static ApiResponse error(int status, String message) {
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\p{Cntrl}", " ");
        return json(status, ("{\"error\":\"" + escaped + "\"}\n").getBytes(StandardCharsets.UTF_8));
    }
}
