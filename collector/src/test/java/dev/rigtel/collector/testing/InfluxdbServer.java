package dev.rigtel.collector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real InfluxDB 1.x ({@code influxd}, Debian package {@code influxdb}) for integration tests:
 * a private config, data directory and log in a temp directory, HTTP on 127.0.0.1 and a free
 * port below the kernel's ephemeral range ({@link FreePorts}), nothing reported home.
 *
 * <pre>{@code
 * try (InfluxdbServer influx = InfluxdbServer.start()) {
 *     influx.createDatabase("rigtel");
 *     // ... point the collector at influx.url() ...
 *     List<List<Object>> rows = influx.query("rigtel", "SELECT count(ax) FROM imu");
 * }
 * }</pre>
 *
 * <p>Tests fail, rather than skip, when {@code influxd} is missing: {@code ./rigtel test}
 * installs it.
 *
 * <p>Query results come back as Jackson maps JSON: strings, {@code Boolean}s, and numbers as
 * {@code Integer}, {@code Long} or {@code Double}. InfluxDB prints a float field that holds a
 * whole number without a decimal point ({@code 2.0} as {@code 2}), so compare numbers through
 * {@link Number#doubleValue()}. The {@code time} column is in epoch nanoseconds ({@code Long}).
 */
public final class InfluxdbServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 40;
    private static final String NOT_FOUND =
            "influxd not found: run ./rigtel test, which installs Debian's influxdb," + " or apt-get install influxdb";
    private static final List<Path> DEBIAN_LOCATIONS =
            List.of(Path.of("/usr/bin/influxd"), Path.of("/usr/sbin/influxd"));

    private final Path influxd;
    private final Path dir;
    private final Path config;
    private final Path log;
    private final int port;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Thread killOnExit;
    private Process process;

    private InfluxdbServer(Path influxd, Path dir, int port, int rpcPort) throws IOException {
        this.influxd = influxd;
        this.dir = dir;
        this.config = dir.resolve("influxdb.conf");
        this.log = dir.resolve("influxd.log");
        this.port = port;
        // HTTP/1.1 explicitly: the default would offer an h2c upgrade that influxd ignores.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        Files.writeString(config, config(port, rpcPort));
        // A test JVM that dies without close() must not leave influxd behind.
        this.killOnExit = new Thread(this::destroyNow, "influxd-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts a fresh InfluxDB and waits until {@code /ping} answers 204.
     *
     * @throws IllegalStateException if {@code influxd} is not installed, or does not come up
     *     within 30 s (the message then holds the end of its log)
     */
    public static InfluxdbServer start() {
        Path influxd = findInfluxd();
        try {
            Path target = Path.of("target");
            Path dir = Files.isDirectory(target)
                    ? Files.createTempDirectory(target.toAbsolutePath(), "influxdb-")
                    : Files.createTempDirectory("rigtel-influxdb-");
            // Below the ephemeral range: influxd binds them later (and again on restart()).
            int[] ports = FreePorts.freePorts(2);
            InfluxdbServer server = new InfluxdbServer(influxd, dir, ports[0], ports[1]);
            try {
                server.launch();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare a directory and ports for influxd", e);
        }
    }

    /** The HTTP base URL, {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The HTTP port; it stays the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The directory holding the config, data and log; deleted by {@link #close()}. */
    public Path directory() {
        return dir;
    }

    /** Runs {@code CREATE DATABASE} (a no-op if it exists). */
    public void createDatabase(String db) {
        post(null, "CREATE DATABASE " + quoteIdentifier(db));
    }

    /**
     * Runs an InfluxQL query and returns the rows ({@code values}) of the first series of the
     * first statement, or an empty list if it returned no series. Columns are in the order the
     * query names them, after {@code time}.
     *
     * @throws IllegalStateException if InfluxDB answers with an error
     */
    public List<List<Object>> query(String db, String influxql) {
        JsonNode series = post(db, influxql).path("series");
        if (series.isEmpty()) {
            return List.of();
        }
        return rows(series.get(0));
    }

    /**
     * Runs a {@code GROUP BY tagKey} query and returns the rows of every series keyed by the
     * value of {@code tagKey}, in the order InfluxDB returned them.
     *
     * @throws IllegalArgumentException if a series lacks the tag (the query did not group by it)
     */
    public Map<String, List<List<Object>>> queryByTag(String db, String influxql, String tagKey) {
        Map<String, List<List<Object>>> byTag = new LinkedHashMap<>();
        for (JsonNode series : post(db, influxql).path("series")) {
            JsonNode tag = series.path("tags").get(tagKey);
            if (tag == null) {
                throw new IllegalArgumentException(
                        "series without tag '" + tagKey + "' (does the query GROUP BY it?): " + influxql);
            }
            byTag.put(tag.asText(), rows(series));
        }
        return byTag;
    }

    /** Stops influxd (SIGTERM, then SIGKILL after 30 s), keeping its data. */
    public void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops influxd and starts it again on the same port with the same data, e.g. to test how
     * a writer lives through an outage. Points acknowledged before the stop are still there.
     */
    public void restart() {
        stop();
        launch();
    }

    /** Stops influxd and deletes its directory. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs anyway; nothing left to undo.
        }
        deleteRecursively(dir);
    }

    private void launch() {
        ProcessBuilder builder = new ProcessBuilder(influxd.toString(), "-config", config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // influxd reads INFLUXDB_* variables as config overrides; keep the test's config as is.
        builder.environment().keySet().removeIf(name -> name.startsWith("INFLUXDB_"));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + influxd, e);
        }
        awaitPing();
    }

    private void awaitPing() {
        HttpRequest ping = HttpRequest.newBuilder(URI.create(url() + "/ping"))
                .timeout(Duration.ofSeconds(1))
                .GET()
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                String exit = p == null ? "" : " with status " + p.exitValue();
                throw new IllegalStateException("influxd exited during start-up" + exit + "; " + logTail());
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 204) {
                    return;
                }
            } catch (IOException notYetListening) {
                // Expected until influxd has bound its port.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while waiting for influxd", e);
            }
            sleep(Duration.ofMillis(50));
        }
        stop();
        throw new IllegalStateException("influxd did not answer " + url() + "/ping with 204 within "
                + START_TIMEOUT.toSeconds() + " s; " + logTail());
    }

    /** POSTs a query (POST runs every statement kind) and returns the first statement result. */
    private JsonNode post(String db, String influxql) {
        StringBuilder form = new StringBuilder("epoch=ns&q=").append(encode(influxql));
        if (db != null) {
            form.append("&db=").append(encode(db));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/query"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("InfluxDB query failed: " + influxql, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during InfluxDB query: " + influxql, e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "InfluxDB answered " + response.statusCode() + " to '" + influxql + "': " + response.body());
        }
        JsonNode result;
        try {
            result = json.readTree(response.body()).path("results").path(0);
        } catch (IOException e) {
            throw new IllegalStateException("InfluxDB sent unreadable JSON: " + response.body(), e);
        }
        if (result.has("error")) {
            throw new IllegalStateException("InfluxDB error for '" + influxql + "': "
                    + result.get("error").asText());
        }
        return result;
    }

    private List<List<Object>> rows(JsonNode series) {
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode values : series.path("values")) {
            List<Object> row = new ArrayList<>(values.size());
            for (JsonNode value : values) {
                row.add(json.convertValue(value, Object.class));
            }
            rows.add(row);
        }
        return rows;
    }

    private String config(int httpPort, int rpcPort) {
        return String.join(
                "\n",
                "reporting-enabled = false",
                "bind-address = \"127.0.0.1:" + rpcPort + "\"",
                "",
                "[meta]",
                "  dir = " + tomlString(dir.resolve("meta")),
                "  logging-enabled = false",
                "",
                "[data]",
                "  dir = " + tomlString(dir.resolve("data")),
                "  wal-dir = " + tomlString(dir.resolve("wal")),
                "  query-log-enabled = false",
                "",
                "[monitor]",
                "  store-enabled = false",
                "",
                "[http]",
                "  enabled = true",
                "  bind-address = \"127.0.0.1:" + httpPort + "\"",
                "  log-enabled = false",
                "",
                "[continuous_queries]",
                "  log-enabled = false",
                "",
                "[logging]",
                "  level = \"warn\"",
                "  suppress-logo = true",
                "");
    }

    private String logTail() {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.collect(Collectors.toList());
            List<String> tail = all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size());
            return tail.isEmpty()
                    ? "its log " + log + " is empty"
                    : "last lines of " + log + ":\n" + String.join("\n", tail);
        } catch (IOException | UncheckedIOException e) {
            return "its log " + log + " is unreadable: " + e;
        }
    }

    private void destroyNow() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private static Path findInfluxd() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(entry, "influxd");
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        return DEBIAN_LOCATIONS.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(NOT_FOUND));
    }

    private static String quoteIdentifier(String identifier) {
        return '"' + identifier.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String tomlString(Path path) {
        return '"' + path.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
