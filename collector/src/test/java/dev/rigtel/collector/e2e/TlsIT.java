package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.Collector.Running;
import dev.rigtel.collector.auth.LoginGate;
import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.config.SecurityOptions;
import dev.rigtel.collector.config.TlsOptions;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS listeners from PEM files (a certificate made here with Debian's openssl): MQTT over TLS with
 * Paho, HTTPS for the API, and clients that do not trust the certificate or do not speak TLS refused.
 */
class TlsIT {

    @TempDir
    static Path dir;

    private static InfluxdbServer influx;
    private static Running collector;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString(),
                        "-days",
                        "2",
                        "-subj",
                        "/CN=localhost",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .redirectErrorStream(true)
                .start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue())
                .as(new String(openssl.getInputStream().readAllBytes()))
                .isZero();

        influx = InfluxdbServer.start();
        collector = Collector.start(TestCollector.config(
                dir.resolve("collector"),
                TestCollector.credentials(dir, 2),
                influx.url(),
                new TlsOptions(cert, key, 0)));
        trusting = trusting(cert);
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

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry(
                    "rigtel", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static MqttConnectOptions options(SSLContext tls) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("rig-01");
        options.setPassword("pw-01".toCharArray());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(10);
        if (tls != null) {
            options.setSocketFactory(tls.getSocketFactory());
        }
        return options;
    }

    @Test
    void aRigPublishesOverTls() throws Exception {
        MqttClient client =
                new MqttClient("ssl://127.0.0.1:" + collector.mqttsPort(), "rig-01", new MemoryPersistence());
        client.connect(options(trusting));
        client.publish("rigtel/v1/rig-01/imu", FirmwareNotes.example("imu-1khz.json"), 1, false);
        client.disconnect();
        client.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<List<Object>> rows =
                    influx.query(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu WHERE rig = 'rig-01'");
            return !rows.isEmpty() && ((Number) rows.get(0).get(1)).longValue() == 50;
        });
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() throws Exception {
        MqttClient client =
                new MqttClient("ssl://127.0.0.1:" + collector.mqttsPort(), "rig-02", new MemoryPersistence());
        assertThatThrownBy(() -> client.connect(options(SSLContext.getDefault())))
                .isInstanceOf(MqttException.class);
        client.close();
    }

    @Test
    void plainMqttOnTheTlsPortGetsNoConnack() throws Exception {
        MqttConnectOptions options = options(null);
        options.setConnectionTimeout(3);
        MqttClient client =
                new MqttClient("tcp://127.0.0.1:" + collector.mqttsPort(), "rig-02", new MemoryPersistence());
        assertThatThrownBy(() -> client.connect(options)).isInstanceOf(MqttException.class);
        client.close();
    }

    @Test
    void aClientOfferingOnlyRsaKeyExchangeOrCbcIsRefused() throws Exception {
        for (String suite : List.of("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")) {
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket)
                    trusting.getSocketFactory().createSocket("127.0.0.1", collector.mqttsPort())) {
                socket.setSoTimeout(5000);
                // Newer JDKs may not even offer such a suite: either way no session comes of it.
                assertThatThrownBy(() -> {
                            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                            socket.setEnabledCipherSuites(new String[] {suite});
                            socket.startHandshake();
                        })
                        .as(suite)
                        .isInstanceOfAny(java.io.IOException.class, IllegalArgumentException.class);
            }
        }
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket)
                trusting.getSocketFactory().createSocket("127.0.0.1", collector.mqttsPort())) {
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
            socket.startHandshake();
            assertThat(socket.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @Test
    void withPlainMqttOffOnlyTheTlsListenerIsOpen() throws Exception {
        Path data = dir.resolve("tls-only");
        CollectorConfig config = TestCollector.config(
                        data,
                        TestCollector.credentials(data, 1),
                        influx.url(),
                        new TlsOptions(dir.resolve("cert.pem"), dir.resolve("key.pem"), 0))
                .withSecurity(new SecurityOptions(LoginGate.Options.DEFAULTS, 64, false, false));
        try (Running tlsOnly = Collector.start(config)) {
            assertThat(tlsOnly.mqttPort()).isZero();
            MqttClient client =
                    new MqttClient("ssl://127.0.0.1:" + tlsOnly.mqttsPort(), "rig-01", new MemoryPersistence());
            client.connect(options(trusting));
            client.disconnect();
            client.close();
        }
        assertThatThrownBy(() -> TestCollector.config(dir, dir.resolve("credentials"), influx.url())
                        .withSecurity(new SecurityOptions(LoginGate.Options.DEFAULTS, 64, false, false)))
                .hasMessageContaining("needs TLS");
    }

    @Test
    void theHttpApiIsServedOverHttps() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting).build();
        HttpResponse<String> health = https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + collector.httpPort() + "/health"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.version()).isNotNull();
    }
}
