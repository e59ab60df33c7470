package dev.rigtel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.store.InfluxOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The few InfluxDB 1.x HTTP calls the bench makes: {@code /query} and gzip {@code /write}. */
final class InfluxHttp {

    private final String url;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    InfluxHttp(String url) {
        this.url = url;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    String url() {
        return url;
    }

    /** Runs one InfluxQL statement; throws on an HTTP error or an error in the result. */
    JsonNode query(String db, String q) throws IOException, InterruptedException {
        String uri = url + "/query?db=" + enc(db) + "&q=" + enc(q);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(uri))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("InfluxDB /query answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode result = mapper.readTree(response.body()).path("results").path(0);
        if (result.has("error")) {
            throw new IOException("InfluxDB: " + result.get("error").asText() + " (" + q + ")");
        }
        return result;
    }

    void createDatabase(String db) throws IOException, InterruptedException {
        query(db, "CREATE DATABASE \"" + db + "\"");
    }

    /** The IMU samples a collector stored in {@code db}: in its raw samples' policy. */
    long countImu(String db) throws IOException, InterruptedException {
        return countImu(db, InfluxOptions.DEFAULT_RAW_RETENTION_POLICY);
    }

    /** {@code SELECT count(ax) FROM imu} in retention policy {@code rp} (empty: the default). */
    long countImu(String db, String rp) throws IOException, InterruptedException {
        String from = rp.isEmpty() ? "imu" : "\"" + rp + "\".imu";
        JsonNode values = query(db, "SELECT count(ax) FROM " + from)
                .path("series")
                .path(0)
                .path("values");
        return values.isMissingNode() || values.isEmpty()
                ? 0
                : values.path(0).path(1).asLong();
    }

    /** Newest {@code dev_ns} stored per rig of the given ones, in the last {@code window}. */
    Map<String, Long> lastDeviceNanos(String db, String rigRegex) throws IOException, InterruptedException {
        JsonNode series = query(
                        db,
                        "SELECT last(dev_ns) FROM \"" + InfluxOptions.DEFAULT_RAW_RETENTION_POLICY
                                + "\".imu WHERE rig =~ /^(" + rigRegex + ")$/ AND time > now() - 10m" + " GROUP BY rig")
                .path("series");
        Map<String, Long> last = new HashMap<>();
        for (JsonNode s : series) {
            last.put(
                    s.path("tags").path("rig").asText(),
                    s.path("values").path(0).path(1).asLong());
        }
        return last;
    }

    /** Writes one gzip body of line protocol with nanosecond timestamps; throws unless 204. */
    void writeGzip(String db, byte[] gzipBody) throws IOException, InterruptedException {
        write(db, gzipBody, true);
    }

    /** Writes one body of line protocol, gzip or plain, with nanosecond timestamps; throws unless 204. */
    void write(String db, byte[] body, boolean gzip) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/write?db=" + enc(db) + "&precision=ns"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/plain; charset=utf-8");
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        HttpResponse<String> response = http.send(
                request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 204) {
            throw new IOException("InfluxDB /write answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
