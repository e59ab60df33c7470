package dev.rigtel.collector.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the API sees it, copied out of the transport.
 *
 * @param path the path as sent, still percent-encoded: the API splits it into segments and decodes
 *     each once ({@link PathSegments})
 * @param query the query parameters, decoded
 * @param authorization the {@code Authorization} header, if any
 * @param remoteAddress the client's IP address, for the login limits ({@link BasicAuth})
 */
public record ApiRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        byte[] body,
        Optional<String> authorization,
        String remoteAddress) {

    /** A request from this host ("local"). */
    public ApiRequest(
            String method, String path, Map<String, List<String>> query, byte[] body, Optional<String> authorization) {
        this(method, path, query, body, authorization, "local");
    }

    public Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
