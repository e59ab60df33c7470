package dev.rigtel.collector.testing;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.CredentialsFile;
import dev.rigtel.collector.auth.PasswordHasher;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.broker.BrokerOptions;
import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.config.TlsOptions;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.mqtt.MqttServerOptions;
import dev.rigtel.collector.store.InfluxOptions;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.WriteBufferOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;

/** Builds collectors for integration tests: free ports, a real InfluxDB, rigs rig-01.. with password pw-01... */
public final class TestCollector {

    public static final String DATABASE = "rigtel";

    private TestCollector() {}

    /** Writes credentials for rigs rig-01..rig-NN (password pw-NN) with cheap hashes. */
    /** A viewer in every {@link #credentials} file: the API's reads need one. */
    public static final String VIEWER = "viewer";

    /** Its {@code Authorization} header. */
    public static final String VIEWER_AUTHORIZATION = "Basic "
            + java.util.Base64.getEncoder()
                    .encodeToString((VIEWER + ":pw-viewer").getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /** Rigs rig-01.. with passwords pw-01.., and the {@link #VIEWER} (password pw-viewer). */
    public static Path credentials(Path dir, int rigs) throws IOException {
        CredentialsFile file = CredentialsFile.empty()
                .with(new CredentialsFile.Entry(
                        VIEWER, Role.VIEWER, PasswordHasher.hash("pw-viewer".toCharArray(), 1000)));
        for (int n = 1; n <= rigs; n++) {
            String id = String.format("rig-%02d", n);
            file = file.with(new CredentialsFile.Entry(
                    id,
                    Role.RIG,
                    PasswordHasher.hash(String.format("pw-%02d", n).toCharArray(), 1000)));
        }
        Path path = dir.resolve("credentials");
        file.save(path);
        return path;
    }

    /** Adds a user with a cheap hash to an existing credentials file. */
    public static void addUser(Path credentials, String user, Role role, String password) throws IOException {
        CredentialsFile.load(credentials)
                .with(new CredentialsFile.Entry(user, role, PasswordHasher.hash(password.toCharArray(), 1000)))
                .save(credentials);
    }

    /** An MQTT listener on loopback, on any free port, with a 10 s connect timeout; credentials required. */
    public static MqttServerOptions.Builder loopbackMqtt(int maxMessageBytes) {
        return MqttServerOptions.builder()
                .host("127.0.0.1")
                .port(0)
                .maxMessageBytes(maxMessageBytes)
                .connectTimeout(Duration.ofSeconds(10))
                .allowAnonymous(false);
    }

    public static CollectorConfig config(Path dataDir, Path credentials, String influxUrl) {
        return config(dataDir, credentials, influxUrl, null);
    }

    public static CollectorConfig config(Path dataDir, Path credentials, String influxUrl, TlsOptions tls) {
        return CollectorConfig.builder()
                .mqtt(loopbackMqtt(256 * 1024).build())
                .httpHost("127.0.0.1")
                .httpPort(0)
                .influx(InfluxOptions.of(influxUrl, DATABASE, true, Duration.ofSeconds(10)))
                .writeBuffer(WriteBufferOptions.defaults())
                .spool(SpoolOptions.defaults(dataDir.resolve("spool")))
                .dataDir(dataDir)
                .credentialsFile(credentials)
                .maxBatchSamples(4000)
                .timezone(ZoneOffset.UTC)
                .motion(MotionConfig.defaults())
                .tls(tls)
                .broker(BrokerOptions.DEFAULTS)
                .build();
    }

    /** A collector on the {@link TestClocks#clock()}. */
    public static Collector.Running start(Path dataDir, Path credentials, String influxUrl)
            throws IOException, InterruptedException {
        return Collector.start(config(dataDir, credentials, influxUrl), TestClocks.clock());
    }
}
