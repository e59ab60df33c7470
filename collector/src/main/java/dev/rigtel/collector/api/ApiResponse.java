package dev.rigtel.collector.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP answer: status, content type, body and any further headers (e.g. {@code
 * Content-Disposition} of a download). The body is whole, in memory: routes that could answer
 * without bound cap what they answer.
 *
 * @param headers further response headers by name; the transport sets them as given
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public ApiResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    public static ApiResponse json(int status, byte[] body) {
        return new ApiResponse(status, "application/json", body);
    }

    /** {@code {"error": message}} with the status. */
    public static ApiResponse error(int status, String message) {
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\p{Cntrl}", " ");
        return json(status, ("{\"error\":\"" + escaped + "\"}\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A CSV file to download: {@code text/csv; charset=utf-8}, as {@link #download}.
     */
    public static ApiResponse csvDownload(String fileName, byte[] body) {
        return download(fileName, "text/csv; charset=utf-8", body);
    }

    /**
     * A file to download, with {@code Content-Disposition: attachment; filename="..."}. The file name
     * is reduced to letters, digits, {@code . _ -} (others become {@code _}), so nothing from a slate
     * can break the header.
     */
    public static ApiResponse download(String fileName, String contentType, byte[] body) {
        StringBuilder safe = new StringBuilder(fileName.length());
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            safe.append(plain ? c : '_');
        }
        return new ApiResponse(
                200, contentType, body, Map.of("Content-Disposition", "attachment; filename=\"" + safe + "\""));
    }
}
