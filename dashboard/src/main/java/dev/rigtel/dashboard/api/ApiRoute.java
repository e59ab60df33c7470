package dev.rigtel.dashboard.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Which requests under {@code /api/} the dashboard passes to the collector, and what they need:
 * any GET (or HEAD) needs read rights; {@code POST /api/slate} and
 * {@code POST /api/rigs/{rig}/commands} need control rights; nothing else is passed on.
 */
public enum ApiRoute {
    /** A GET or HEAD of the collector's read API. */
    READ,
    /** A slate event or a rig command. */
    CONTROL,
    /** Another method, or a POST elsewhere: 405. */
    METHOD_NOT_ALLOWED,
    /** A path that is not a plain {@code /api/...} path (dot segments, control characters): 400. */
    BAD_PATH;

    public static final String PREFIX = "/api/";

    /**
     * @param rawPath the request's path as sent, still percent-encoded, without the query
     */
    public static ApiRoute of(String method, String rawPath) {
        if (!rawPath.startsWith(PREFIX) || !plain(rawPath)) {
            return BAD_PATH;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            return READ;
        }
        if (method.equals("POST")) {
            String[] parts = rawPath.substring(1).split("/", -1);
            boolean slate = parts.length == 2 && parts[1].equals("slate");
            boolean command =
                    parts.length == 4 && parts[1].equals("rigs") && !parts[2].isEmpty() && parts[3].equals("commands");
            return slate || command ? CONTROL : METHOD_NOT_ALLOWED;
        }
        return METHOD_NOT_ALLOWED;
    }

    /** No segment that is, or decodes to, {@code .} or {@code ..}; no backslash or control character. */
    private static boolean plain(String rawPath) {
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == ' ') {
                return false;
            }
        }
        for (String segment : rawPath.split("/", -1)) {
            String decoded;
            try {
                decoded = URLDecoder.decode(segment, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (decoded.equals(".") || decoded.equals("..") || decoded.contains("/") || decoded.contains("\\")) {
                return false;
            }
        }
        return true;
    }
}
