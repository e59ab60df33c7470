package dev.rigtel.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The collector's import API over HTTP: {@code GET /api/import/{clip}} (progress and the timeline's
 * zone) and {@code POST /api/import} (one batch). A busy answer ({@code 503} with {@code
 * Retry-After}) and a connection that fails are retried a few times; other refusals are returned.
 */
final class CollectorClient {

    /** An answer: the status and the JSON body. */
    record Answer(int status, JsonNode body) {
        String error() {
            return body != null && body.has("error") ? body.get("error").asText() : "HTTP " + status;
        }
    }

    private static final int ATTEMPTS = 6;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json;
    private final URI base;
    private final String authorization;

    CollectorClient(ObjectMapper json, URI base, String user, String password) {
        this.json = json;
        this.base = base;
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Answer progress(String clip) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(base.resolve("/api/import/" + URLEncoder.encode(clip, StandardCharsets.UTF_8)))
                        .GET());
    }

    /** {@code GET /api/import/rig-samples}: the rig's gyro magnitude at 100 Hz over at most 15 minutes. */
    Answer rigGyro(String rig, long fromNanos, long toNanos) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve("/api/import/rig-samples?rig="
                        + URLEncoder.encode(rig, StandardCharsets.UTF_8) + "&from=" + fromNanos + "&to=" + toNanos))
                .GET());
    }

    /** {@code GET /api/import/takes/{id}}: a take's name and span. */
    Answer take(String id) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(
                        base.resolve("/api/import/takes/" + URLEncoder.encode(id, StandardCharsets.UTF_8)))
                .GET());
    }

    Answer post(byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve("/api/import"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.header("Authorization", authorization)
                .timeout(Duration.ofSeconds(60))
                .build();
        IOException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
                JsonNode body = response.body().length == 0 ? null : parse(response.body());
                boolean busy = response.statusCode() == 503
                        && response.headers().firstValue("Retry-After").isPresent();
                if (!busy || attempt == ATTEMPTS) {
                    return new Answer(response.statusCode(), body);
                }
                long seconds = response.headers()
                        .firstValue("Retry-After")
                        .map(CollectorClient::seconds)
                        .orElse(1L);
                Thread.sleep(Math.min(10, seconds) * 1000 + (long) (Math.random() * 250));
            } catch (IOException e) {
                failure = e;
                Thread.sleep(200L << attempt);
            }
        }
        throw failure;
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static long seconds(String value) {
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
