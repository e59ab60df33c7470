package dev.rigtel.collector.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments of a request path as sent (still percent-encoded), each decoded exactly once: split
 * at {@code /} first, so an encoded {@code %2F} stays inside its segment, then {@code %XX} escapes
 * decoded as UTF-8. A {@code +} stays a plus: only form-encoded query strings make it a space, a
 * path never does (RFC 3986 sections 2.1 and 3.3). Not {@link java.net.URLDecoder}, which is for
 * forms.
 */
final class PathSegments {

    private PathSegments() {}

    /**
     * @throws ApiException 400 for a bad escape ({@code %} not followed by two hex digits) or escapes
     *     that are not UTF-8
     */
    static List<String> of(String rawPath) {
        List<String> parts = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                parts.add(decode(part));
            }
        }
        return parts;
    }

    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                int end = i + 1;
                while (end < segment.length() && segment.charAt(end) != '%') {
                    end++;
                }
                bytes.writeBytes(segment.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
                continue;
            }
            int high = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
            if (low < 0) {
                throw ApiException.badRequest(
                        "malformed path segment '" + segment + "': '%' at " + i + " is not followed by two hex digits");
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("malformed path segment '" + segment + "': its escapes are not UTF-8");
        }
    }
}
