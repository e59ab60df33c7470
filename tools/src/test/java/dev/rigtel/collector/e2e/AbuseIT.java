package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.UnixOperatingSystemMXBean;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.CredentialsFile;
import dev.rigtel.collector.auth.PasswordHasher;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.broker.BrokerOptions;
import dev.rigtel.collector.mqtt.MqttServerOptions;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.MqttFrames;
import dev.rigtel.collector.testing.RawMqttClient;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.Simulator;
import dev.rigtel.simulator.SimulatorOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The abuse suite (issue 14): what one host on the set network or one stolen account tries, against
 * a collector with its default limits and real 600,000-iteration password hashes. Other hosts are
 * played from other loopback addresses (127.0.0.0/8 is all loopback on Linux). Each test prints its
 * figures.
 */
class AbuseIT {

    private static final Logger log = LoggerFactory.getLogger(AbuseIT.class);

    private static final String HONEST = "127.0.0.1";
    private static final String FLOODER = "127.0.0.2";
    private static final String HOARDER = "127.0.0.3";

    /** Simulated rigs behind one address, for the limits' other side. */
    private static final int CROWD = 8;

    @TempDir
    static Path dir;

    private static InfluxdbServer influx;
    private static Collector.Running collector;
    private static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        CredentialsFile users = CredentialsFile.empty();
        for (int n = 1; n <= 6; n++) {
            users = users.with(entry(String.format("rig-%02d", n), Role.RIG));
        }
        for (int n = 1; n <= CROWD; n++) {
            users = users.with(entry(String.format("cam-%02d", n), Role.RIG));
        }
        users = users.with(entry("floor", Role.VIEWER)).with(entry("dit", Role.ADMIN));
        Path credentials = dir.resolve("credentials");
        users.save(credentials);
        influx = InfluxdbServer.start();
        dataDir = dir.resolve("collector");
        collector = Collector.start(TestCollector.config(dataDir, credentials, influx.url()), TestClocks.clock());
    }

    /** A user whose password is its name with "pw-" in front, hashed as the real tool does. */
    private static CredentialsFile.Entry entry(String user, Role role) {
        return new CredentialsFile.Entry(
                user, role, PasswordHasher.hash(("pw-" + user).toCharArray(), PasswordHasher.DEFAULT_ITERATIONS));
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    private static double count(String meter, String tag, String value) {
        Counter c = collector.registry().find(meter).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    /** The sum of a counter over all its tags; 0 before it counted anything. */
    private static double total(String meter) {
        return collector.registry().find(meter).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static MqttConnectReturnCode connectFrom(String address, String user, String password) {
        try (RawMqttClient client = RawMqttClient.open(address, collector.mqttPort(), MqttVersion.MQTT_3_1_1)) {
            MqttConnAckMessage ack = (MqttConnAckMessage)
                    client.handshake(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, user, user, password)
                            .build());
            return ack.variableHeader().connectReturnCode();
        }
    }

    // --- login flood -----------------------------------------------------------------------------

    @Test
    void duringALoginFloodFromOneAddressAnHonestRigFromAnotherConnectsLongBeforeItsTimeout() throws Exception {
        byte[] badConnect;
        try (MqttFrames frames = new MqttFrames()) {
            ByteBuf buf = frames.connect(MqttVersion.MQTT_3_1_1, "rig-01", "rig-01", "guessed", 60);
            badConnect = ByteBufUtil.getBytes(buf);
            buf.release();
        }
        double checkedBefore = count("rigtel.mqtt.connects", "result", "bad-credentials");
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        // As found: 80 bad-password CONNECTs for a known user in 20 ms, sockets closed; again every
        // 100 ms (the flood runs in this JVM, on the collector's two cores: not flat out).
        Thread flood = new Thread(
                () -> {
                    while (flooding.get()) {
                        List<Socket> burst = new ArrayList<>();
                        for (int i = 0; i < 80 && flooding.get(); i++) {
                            try {
                                Socket s = new Socket();
                                s.bind(new InetSocketAddress(FLOODER, 0));
                                s.connect(new InetSocketAddress("127.0.0.1", collector.mqttPort()), 2_000);
                                s.getOutputStream().write(badConnect);
                                burst.add(s);
                                sent.incrementAndGet();
                            } catch (IOException refused) {
                                // closed by the server's limits: the flood goes on
                            }
                        }
                        sleep(20);
                        burst.forEach(AbuseIT::closeQuietly);
                        sleep(100);
                    }
                },
                "login-flood");
        long floodStart = System.nanoTime();
        flood.start();
        List<Long> honestMillis = new ArrayList<>();
        try {
            sleep(500);
            for (String rig : List.of("rig-02", "rig-03", "rig-04")) {
                long t0 = System.nanoTime();
                MqttConnectReturnCode code = connectFrom(HONEST, rig, "pw-" + rig);
                honestMillis.add((System.nanoTime() - t0) / 1_000_000);
                assertThat(code).as(rig).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
                sleep(700);
            }
            // The flooded user itself: refused as busy while the flood's checks run, then in once
            // the flooding address has spent its failures (they count against the address only).
            long t0 = System.nanoTime();
            MqttConnectReturnCode code;
            int tries = 0;
            do {
                tries++;
                code = connectFrom(HONEST, "rig-01", "pw-rig-01");
                if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    sleep(250);
                }
            } while (code != MqttConnectReturnCode.CONNECTION_ACCEPTED && tries < 40);
            long floodedUserMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(code).as("the flooded user").isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            honestMillis.add(floodedUserMillis);
        } finally {
            flooding.set(false);
            flood.join();
        }
        double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
        double checked = count("rigtel.mqtt.connects", "result", "bad-credentials") - checkedBefore;
        double busy = count("rigtel.mqtt.connects", "result", "auth-busy");
        double blocked = count("rigtel.mqtt.connects", "result", "auth-blocked");
        log.info(
                "login flood: {} bad CONNECTs from {} in {} s; {} hashed, {} busy, {} blocked; honest rigs from {} "
                        + "connected in {} ms (the flooded user's own rig last, with retries)",
                sent.get(),
                FLOODER,
                String.format("%.1f", floodSeconds),
                (long) checked,
                (long) busy,
                (long) blocked,
                HONEST,
                honestMillis);

        // Locked out, an honest rig waits past its 10 s connect timeout; let through, it takes 0.1-0.5 s
        // on a quiet 2-core machine (the log line above) and up to about 1.2 s on one busy with builds.
        // The bound tells the two apart without timing the machine (figures belong in the bench).
        assertThat(honestMillis.subList(0, 3)).allSatisfy(ms -> assertThat(ms).isLessThan(3_000));
        assertThat(honestMillis.get(3)).as("the flooded user's rig").isLessThan(5_000);
        // PBKDF2 ran only for the failure budget (10, one more per 6 s) and what was under way.
        assertThat(checked).isLessThanOrEqualTo(10 + Math.ceil(floodSeconds / 6) + 4);
        assertThat(sent.get()).isGreaterThan(200);
        assertThat(busy + blocked).isGreaterThan(0);
    }

    @Test
    void rigsBehindOneAddressAllLogInThoughOnlyAFewChecksOfItMayRunAtOnce() throws Exception {
        SimulatorOptions options = SimulatorOptions.builder()
                .brokerUri("tcp://127.0.0.1:" + collector.mqttPort())
                .rigs(CROWD)
                .sampleRateHz(200)
                .duration(Duration.ofSeconds(2))
                .qos(1)
                .usernamePattern("cam-{n}")
                .passwordPattern("pw-cam-{n}")
                .build();
        double busyBefore = count("rigtel.mqtt.connects", "result", "auth-busy");
        SimulationSummary summary;
        try (Simulator simulator = new Simulator(options, java.time.Clock.systemUTC())) {
            summary = simulator.run();
        }
        double busy = count("rigtel.mqtt.connects", "result", "auth-busy") - busyBefore;
        log.info(
                "{} simulated rigs from one address with real hashes: {} logins answered busy and retried; all "
                        + "acknowledged: {}",
                CROWD,
                (long) busy,
                summary.allAcknowledged());
        assertThat(summary.allAcknowledged()).isTrue();
        assertThat(summary.perRig()).hasSize(CROWD);
        assertThat(summary.totals().samplesSent()).isPositive();
        assertThat(busy).as("more logins at once than --max-logins-per-address").isPositive();
    }

    // --- idle sockets ----------------------------------------------------------------------------

    @Test
    void thousandsOfIdleSocketsFromOneAddressLeaveRoomForTheRigs() throws Exception {
        UnixOperatingSystemMXBean os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // Both ends live in this JVM: each held socket costs the test one descriptor, and each one
        // the collector has not closed yet another.
        long spare = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
        int sockets = (int) Math.min(5_000, spare / 2 - 500);
        assertThat(sockets)
                .as("descriptors for the test (limit %d)", os.getMaxFileDescriptorCount())
                .isGreaterThanOrEqualTo(1_000);
        double limitedBefore = count("rigtel.mqtt.closed", "reason", "address-limit");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < sockets; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(HOARDER, 0));
                s.connect(new InetSocketAddress("127.0.0.1", collector.mqttPort()), 5_000);
                held.add(s);
            }
            long t0 = System.nanoTime();
            MqttConnectReturnCode code = connectFrom(HONEST, "rig-05", "pw-rig-05");
            long honestMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(code).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);

            int stillOpen = 0;
            for (Socket s : held) {
                s.setSoTimeout(2);
                try (InputStream in = s.getInputStream()) {
                    if (in.read() != -1) {
                        throw new AssertionError("the server sent something to an idle socket");
                    }
                } catch (SocketTimeoutException open) {
                    stillOpen++;
                } catch (IOException reset) {
                    // closed by the server
                }
            }
            double limited = count("rigtel.mqtt.closed", "reason", "address-limit") - limitedBefore;
            log.info(
                    "idle sockets: {} from {} held, {} left open by the collector, {} closed as address-limit; "
                            + "a rig from {} connected in {} ms",
                    sockets,
                    HOARDER,
                    stillOpen,
                    (long) limited,
                    HONEST,
                    honestMillis);
            assertThat(stillOpen).isLessThanOrEqualTo(100);
            assertThat(limited).isGreaterThanOrEqualTo(sockets - 100);
            assertThat(honestMillis).as("well before the 10 s connect timeout").isLessThan(3_000);
        } finally {
            held.forEach(AbuseIT::closeQuietly);
        }
    }

    // --- rejected messages ---------------------------------------------------------------------

    @Test
    void rejectedMessagesDrawFromTheRateBudgetLikeAcceptedOnes() throws Exception {
        int messages = 12_000;
        int perSecond = MqttServerOptions.DEFAULT_MAX_MESSAGES_PER_SECOND;
        double throttledBefore = total("rigtel.mqtt.throttled");
        double rejectedBefore = total("rigtel.ingest.rejected");
        byte[] garbage = "{\"not\": \"an imu batch\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long elapsedMillis;
        try (RawMqttClient rig = RawMqttClient.open(HONEST, collector.mqttPort(), MqttVersion.MQTT_3_1_1)) {
            MqttConnAckMessage ack = (MqttConnAckMessage)
                    rig.handshake(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, "rig-06", "rig-06", "pw-rig-06")
                            .build());
            assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            long t0 = System.nanoTime();
            Thread writer = new Thread(
                    () -> {
                        for (int i = 0; i < messages; i++) {
                            rig.send(RawMqttClient.publish(
                                    "rigtel/v1/rig-06/imu",
                                    MqttQoS.AT_LEAST_ONCE,
                                    1 + i % 60_000,
                                    garbage,
                                    false,
                                    MqttProperties.NO_PROPERTIES));
                        }
                    },
                    "rejected-flood");
            writer.start();
            for (int i = 0; i < messages; i++) {
                rig.next(MqttMessageType.PUBACK);
            }
            elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
            writer.join();
        }
        double throttled = total("rigtel.mqtt.throttled") - throttledBefore;
        double rejected = total("rigtel.ingest.rejected") - rejectedBefore;
        log.info(
                "rejected messages: {} refused QoS 1 PUBLISHes answered in {} ms ({}/s; limit {}/s), {} throttle "
                        + "pauses",
                (long) rejected,
                elapsedMillis,
                Math.round(messages * 1000.0 / elapsedMillis),
                perSecond,
                (long) throttled);
        assertThat(rejected).isEqualTo(messages);
        assertThat(throttled).isPositive();
        // A burst of two seconds' worth, then the rate: (12,000 - 4,000) / 2,000 = 4 s, less what the
        // last read held (its debt is paid after the answers went out): at most a second's worth.
        assertThat(elapsedMillis).isGreaterThanOrEqualTo((messages - 3L * perSecond) * 1000 / perSecond);
    }

    // --- session amplification ------------------------------------------------------------------

    private static MqttClient paho(String clientId, String user, boolean cleanSession) throws MqttException {
        MqttClient client =
                new MqttClient("tcp://127.0.0.1:" + collector.mqttPort(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(user);
        options.setPassword(("pw-" + user).toCharArray());
        options.setCleanSession(cleanSession);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(10);
        client.connect(options);
        return client;
    }

    @Test
    void oneAccountsPersistentSessionsStayBoundedAndSoDoesTheStateFile() throws Exception {
        BrokerOptions limits = BrokerOptions.DEFAULTS;
        // As found: 25 persistent sessions of one viewer, then 100 messages of 68 KB for each.
        for (int i = 0; i < 25; i++) {
            MqttClient viewer = paho("hoard-" + i, "floor", false);
            viewer.subscribe("rigtel/#", 1);
            viewer.disconnect();
            viewer.close();
        }
        double evicted = count("rigtel.broker.dropped", "reason", "sessions-per-user");
        assertThat(evicted).isEqualTo(25 - limits.maxSessionsPerUser());

        MqttClient admin = paho("dit-console", "dit", true);
        byte[] payload = new byte[68 * 1024];
        java.util.Arrays.fill(payload, (byte) 'x');
        for (int i = 0; i < 100; i++) {
            admin.publish("rigtel/notes/flood", payload, 1, false);
        }
        admin.disconnect();
        admin.close();
        long published = System.currentTimeMillis();

        Path stateFile = dataDir.resolve("broker-state.json");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(stateFile)
                        && Files.getLastModifiedTime(stateFile).compareTo(FileTime.fromMillis(published)) > 0);
        long fileBytes = Files.size(stateFile);
        JsonNode state = new ObjectMapper().readTree(stateFile.toFile());
        int viewerSessions = 0;
        for (JsonNode s : state.path("sessions")) {
            if ("floor".equals(s.path("username").asText())) {
                viewerSessions++;
            }
        }
        double queuedBytes = gauge("rigtel.broker.queued.bytes");
        // The documented bound (collector README, "Security"): payloads are base64 in the file.
        long documented = (limits.maxQueuedBytesTotal() + limits.maxRetainedBytes()) * 4 / 3
                + 2048L * state.path("sessions").size();
        long thisCase = limits.maxSessionsPerUser() * limits.maxQueuedBytes() * 4 / 3 + 256 * 1024;
        log.info(
                "session amplification: 25 persistent sessions of one viewer, 100 x 68 KB each asked; {} kept "
                        + "({} ended), {} MB queued, broker-state.json {} MB (bound for this case {} MB, "
                        + "documented bound {} MB)",
                viewerSessions,
                (long) evicted,
                String.format("%.1f", queuedBytes / 1e6),
                String.format("%.1f", fileBytes / 1e6),
                String.format("%.1f", thisCase / 1e6),
                String.format("%.1f", documented / 1e6));
        assertThat(viewerSessions).isEqualTo(limits.maxSessionsPerUser());
        assertThat(queuedBytes).isLessThanOrEqualTo(limits.maxSessionsPerUser() * limits.maxQueuedBytes());
        assertThat(fileBytes).isLessThan(thisCase).isLessThan(documented);

        // Every session the account may have online: one more is refused, not another evicted.
        List<MqttClient> online = new ArrayList<>();
        try {
            for (int i = 0; i < limits.maxSessionsPerUser(); i++) {
                online.add(paho("hoard-" + i, "floor", false));
            }
            assertThatThrownBy(() -> paho("hoard-extra", "floor", false))
                    .isInstanceOf(MqttException.class)
                    .extracting(e -> ((MqttException) e).getReasonCode())
                    .isEqualTo((int) MqttException.REASON_CODE_BROKER_UNAVAILABLE);
            MqttClient clean = paho("floor-live", "floor", true);
            assertThat(clean.isConnected()).as("a clean session is not counted").isTrue();
            clean.disconnect();
            clean.close();
        } finally {
            for (MqttClient c : online) {
                c.disconnect();
                c.close();
            }
        }
    }

    private static double gauge(String name) {
        Gauge g = collector.registry().find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a socket the server already closed
        }
    }
}
