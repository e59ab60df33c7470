package dev.rigtel.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes a bench run measures, each started on its own and stopped by {@link #close} (also
 * from the shutdown hook, so Ctrl-C leaves nothing running): InfluxDB through {@code
 * scripts/influxd-local.sh}, collectors from the shaded jar, Mosquitto with a generated config.
 * Logs and data go to the work directory.
 */
final class Services implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Services.class);

    private final Path root;
    private final Path jar;
    private final Path work;
    private final Deque<Runnable> stops = new ArrayDeque<>();
    private boolean closed;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Services(Path root, Path jar, Path work) {
        this.root = root;
        this.jar = jar;
        this.work = work;
    }

    Path work() {
        return work;
    }

    /** Starts a private InfluxDB; returns its URL. */
    String startInfluxDb() throws IOException, InterruptedException {
        return startInfluxDb("influxdb", false);
    }

    /**
     * Starts a private InfluxDB in {@code work/name}; returns its URL.
     *
     * @param compactFast shards fully compacted after seconds of quiet (to measure bytes on disk)
     */
    String startInfluxDb(String name, boolean compactFast) throws IOException, InterruptedException {
        Path dir = work.resolve(name);
        Path script = root.resolve("scripts/influxd-local.sh");
        List<String> command = new ArrayList<>(List.of(script.toString(), "start"));
        if (compactFast) {
            command.add("--compact-fast");
        }
        command.addAll(List.of(dir.toString(), Integer.toString(freePort())));
        Process start = new ProcessBuilder(command)
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        work.resolve("influxd-local.log").toFile()))
                .start();
        String out = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (start.waitFor() != 0) {
            throw new IOException("scripts/influxd-local.sh start failed, see " + work.resolve("influxd-local.log"));
        }
        onClose(() -> {
            try {
                new ProcessBuilder(script.toString(), "stop", dir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(
                                work.resolve("influxd-local.log").toFile()))
                        .start()
                        .waitFor(40, TimeUnit.SECONDS);
            } catch (IOException e) {
                log.warn("could not stop influxd: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String[] lines = out.split("\n");
        return lines[lines.length - 1].trim();
    }

    /** A collector process and where to reach it. */
    record Collector(Process process, int mqttPort, int httpPort, Path log) {
        long pid() {
            return process.pid();
        }

        InetSocketAddress mqtt() {
            return new InetSocketAddress("127.0.0.1", mqttPort);
        }

        String metricsUrl() {
            return "http://127.0.0.1:" + httpPort + "/metrics";
        }
    }

    /**
     * Starts a collector with its own data directory {@code work/name} and log {@code
     * work/name.log}; returns once its {@code /metrics} answers.
     */
    Collector startCollector(String name, List<String> jvmOptions, List<String> options)
            throws IOException, InterruptedException {
        int mqttPort = freePort();
        int httpPort = freePort();
        Path dataDir = work.resolve(name);
        Files.createDirectories(dataDir);
        Path logFile = work.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                jar.toString(),
                "dev.rigtel.collector.CollectorMain",
                "--mqtt-host",
                "127.0.0.1",
                "--mqtt-port",
                Integer.toString(mqttPort),
                "--http-host",
                "127.0.0.1",
                "--http-port",
                Integer.toString(httpPort),
                "--data-dir",
                dataDir.toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // The collector reads RIGTEL_* variables as options: the bench's own must not leak in.
        builder.environment().keySet().removeIf(k -> k.startsWith("RIGTEL_"));
        Process process = builder.start();
        Collector collector = new Collector(process, mqttPort, httpPort, logFile);
        Runnable stop = () -> stopProcess("collector " + name, process, 30);
        onClose(stop);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (get(collector.metricsUrl()) == null) {
            if (!process.isAlive()) {
                throw new IOException(
                        "collector " + name + " exited with " + process.exitValue() + ":\n" + tail(logFile));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("collector " + name + " did not answer " + collector.metricsUrl() + " in 60 s");
            }
            Thread.sleep(200);
        }
        return collector;
    }

    /** Stops a collector started here (SIGTERM, then SIGKILL after 30 s). */
    void stop(Collector collector) {
        stopProcess("collector", collector.process(), 30);
    }

    /** Starts Debian's Mosquitto on a free port with anonymous access and no persistence. */
    Process startMosquitto(int port) throws IOException, InterruptedException {
        return startMosquitto(port, "mosquitto", List.of("persistence false"));
    }

    /**
     * Starts Debian's Mosquitto on {@code port} with anonymous access and the given extra
     * configuration lines; its configuration and log are {@code work/<name>.conf} and {@code .log}.
     */
    Process startMosquitto(int port, String name, List<String> extra) throws IOException, InterruptedException {
        Path config = work.resolve(name + ".conf");
        List<String> lines = new ArrayList<>(List.of(
                "# Generated by ./rigtel bench.",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "max_connections -1",
                "log_dest stderr",
                "log_type error",
                "log_type warning"));
        lines.addAll(extra);
        lines.add("");
        Files.writeString(config, String.join("\n", lines));
        String binary = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        Process process = new ProcessBuilder(binary, "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        work.resolve(name + ".log").toFile()))
                .start();
        onClose(() -> stopProcess("mosquitto", process, 10));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return process;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("mosquitto did not start:\n" + tail(work.resolve(name + ".log")));
                }
                Thread.sleep(50);
            }
        }
    }

    /** GET {@code url}: the body on 200, null on anything else or no answer. */
    String get(String url) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", Bench.READ_AUTHORIZATION)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Stops everything started, last first. Safe to call twice. */
    @Override
    public void close() {
        synchronized (stops) {
            closed = true;
        }
        while (true) {
            Runnable stop;
            synchronized (stops) {
                stop = stops.poll();
            }
            if (stop == null) {
                return;
            }
            try {
                stop.run();
            } catch (RuntimeException e) {
                log.warn("error while stopping: {}", e.toString());
            }
        }
    }

    /** Registers how to stop what was just started; after {@link #close} it is stopped at once. */
    private void onClose(Runnable stop) {
        synchronized (stops) {
            if (!closed) {
                stops.push(stop);
                return;
            }
        }
        stop.run();
        throw new IllegalStateException("the bench is stopping");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopProcess(String name, Process process, int seconds) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                log.warn("{} did not stop within {} s; killing it", name, seconds);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
