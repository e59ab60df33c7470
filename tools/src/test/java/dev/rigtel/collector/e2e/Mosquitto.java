package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.testing.FreePorts;
import dev.rigtel.simulator.SimulatorOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Mosquitto 2.0 for the consumer-mode and cluster-mode tests, with the collector README's ACL
 * and password file (users {@code collector}, {@code slate}, one per rig), and the helpers those
 * tests share: the collector's shaded jar as a process, its meters. Ports for the processes come
 * from {@link FreePorts} (below the kernel's ephemeral range).
 */
final class Mosquitto implements AutoCloseable {

    static final Path MOSQUITTO = Path.of(System.getProperty("rigtel.mosquitto", "/usr/sbin/mosquitto"));
    static final Path MOSQUITTO_PASSWD =
            Path.of(System.getProperty("rigtel.mosquittoPasswd", "/usr/bin/mosquitto_passwd"));
    static final Path JAR =
            Path.of(System.getProperty("rigtel.collectorJar", "../collector/target/rigtel-collector.jar"));

    /** The README's ACL for consumer mode: each rig writes only its own topics, the collector reads. */
    static final String CONSUMER_ACL = "user collector\ntopic read rigtel/v1/+/imu\ntopic read rigtel/v1/+/timecode\n"
            + "topic read rigtel/v1/+/status\ntopic read rigtel/v1/slate\n";

    /**
     * The deployment guide's whole ACL file (docs/studio.md, used by the compose profile): the
     * cluster tests run on it, so the file users copy is one that works.
     */
    static final Path STUDIO_ACL = Path.of("../docs/studio/rigtel.acl");

    private final Path dir;
    private final int port;
    /** Where mosquitto writes its log (appended across restarts): see {@link #logTo}. */
    private Path log;

    private Process process;

    /** Writes the config, ACL ({@code collectorAcl} for user collector) and passwords; not started yet. */
    Mosquitto(Path dir, int rigs, String collectorAcl) throws Exception {
        this(
                rigs,
                dir,
                collectorAcl + "\nuser slate\ntopic write rigtel/v1/slate\n\n"
                        + "pattern write rigtel/v1/%u/imu\npattern write rigtel/v1/%u/timecode\n"
                        + "pattern write rigtel/v1/%u/status\n");
    }

    /** With a whole ACL file of its own, e.g. {@link #STUDIO_ACL}. */
    Mosquitto(Path dir, int rigs, Path aclFile) throws Exception {
        this(rigs, dir, Files.readString(aclFile));
    }

    private Mosquitto(int rigs, Path dir, String acl) throws Exception {
        assertThat(Files.isExecutable(MOSQUITTO))
                .as("this test needs mosquitto at %s (apt-get install mosquitto)", MOSQUITTO)
                .isTrue();
        this.dir = dir;
        this.port = FreePorts.freePort();
        this.log = dir.resolve("mosquitto.log");
        Files.writeString(dir.resolve("rigtel.acl"), acl);
        Path passwd = dir.resolve("rigtel.passwd");
        Files.writeString(passwd, "");
        passwd("collector", "pw-collector");
        passwd("slate", "clap");
        passwd("rig-20", "pw-20");
        for (int n = 1; n <= rigs; n++) {
            passwd(String.format("rig-%02d", n), String.format("pw-%02d", n));
        }
        Files.createDirectories(dir.resolve("mosquitto"));
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                // Started as root, mosquitto would drop to user mosquitto, who cannot read this folder.
                "user " + System.getProperty("user.name") + "\nlistener " + port
                        + " 127.0.0.1\nallow_anonymous false\n"
                        + "password_file " + passwd + "\nacl_file " + dir.resolve("rigtel.acl") + "\n"
                        + "persistence true\npersistence_location " + dir.resolve("mosquitto") + "/\n"
                        + "max_queued_messages 1000000\nmax_queued_bytes 0\nmax_inflight_messages 100\n"
                        // -Drigtel.mosquittoLog=all: every packet in mosquitto.log, for a post-mortem.
                        + (System.getProperty("rigtel.mosquittoLog", "").isEmpty()
                                ? ""
                                : "log_type " + System.getProperty("rigtel.mosquittoLog") + "\n"));
    }

    int port() {
        return port;
    }

    /** Its log from the next {@link #start} on, e.g. in {@link E2eLogs#folder} to outlive the test. */
    Mosquitto logTo(Path file) {
        this.log = file;
        return this;
    }

    /** Mosquitto's log (its default types: errors, warnings, notices such as connects and kicks). */
    Path log() {
        return log;
    }

    /**
     * Simulated rigs {@code rig-01} ... publishing to this broker at QoS 1 as the users this broker's
     * password file has for them.
     */
    SimulatorOptions.Builder rigs(int rigs) {
        return SimulatorOptions.builder()
                .brokerUri("tcp://127.0.0.1:" + port)
                .rigs(rigs)
                .qos(1)
                .usernamePattern("rig-{n}")
                .passwordPattern("pw-{n}");
    }

    private void passwd(String user, String password) throws Exception {
        Process p = new ProcessBuilder(
                        MOSQUITTO_PASSWD.toString(),
                        "-b",
                        dir.resolve("rigtel.passwd").toString(),
                        user,
                        password)
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getInputStream().readAllBytes()))
                .isZero();
    }

    void start() throws Exception {
        process = new ProcessBuilder(
                        MOSQUITTO.toString(),
                        "-c",
                        dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            await("mosquitto listening on " + port)
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> {
                        assertThat(process.isAlive())
                                .as("mosquitto exited: %s", E2eLogs.tail(log, E2eLogs.TAIL_LINES))
                                .isTrue();
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "mosquitto not listening on " + port + " within 10 s\n" + E2eLogs.tail(log, E2eLogs.TAIL_LINES), e);
        }
    }

    /** SIGTERM: mosquitto saves its persistent sessions, queues and retained messages. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /**
     * The collector's shaded jar as a process consuming from this broker as user collector, its
     * password in the environment (never on the command line), its log appended to {@code log}.
     */
    Process startCollector(
            String influxUrl,
            Path credentials,
            int httpPort,
            Path dataDir,
            Path log,
            String clientId,
            List<String> more)
            throws IOException {
        assertThat(JAR).as("the collector's shaded jar").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-cp",
                        JAR.toString(),
                        "dev.rigtel.collector.CollectorMain",
                        "--source",
                        "mqtt://127.0.0.1:" + port,
                        "--source-user",
                        "collector",
                        "--source-client-id",
                        clientId,
                        "--mqtt-plain",
                        "false",
                        "--open-reads",
                        "--http-host",
                        "127.0.0.1",
                        "--http-port",
                        Integer.toString(httpPort),
                        "--influx-url",
                        influxUrl,
                        "--data-dir",
                        dataDir.toString(),
                        "--credentials",
                        credentials.toString(),
                        "--timezone",
                        "UTC")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.command().addAll(more);
        builder.environment().put("RIGTEL_SOURCE_PASSWORD", "pw-collector");
        return builder.start();
    }

    /** GET on a collector's HTTP port: the body, null if it does not answer. */
    /**
     * One client for every poll: a client per request kept its keep-alive connection open (the JDK's
     * default idle timeout is 20 minutes), so polling {@code /health} every 200 ms opened 32
     * connections in 7 s and the collector's per-address limit (32) then refused every further one.
     */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> get(int httpPort, String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static int healthStatus(int httpPort) {
        HttpResponse<String> r = get(httpPort, "/health");
        return r == null ? -1 : r.statusCode();
    }

    /** The sum of a meter's series on a collector, NaN if it does not answer, 0 without series. */
    static double meterSum(int httpPort, String name) {
        HttpResponse<String> r = get(httpPort, "/metrics");
        if (r == null) {
            return Double.NaN;
        }
        Matcher m = meterLines(name, r.body());
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    /** The first series of a meter on a collector, NaN if it does not answer or has none. */
    static double meter(int httpPort, String name) {
        HttpResponse<String> r = get(httpPort, "/metrics");
        if (r == null) {
            return Double.NaN;
        }
        Matcher m = meterLines(name, r.body());
        return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
    }

    private static Matcher meterLines(String name, String prometheusText) {
        return Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(prometheusText);
    }
}
