package dev.rigtel.collector;

import dev.rigtel.collector.auth.LoginGate;
import dev.rigtel.collector.broker.BrokerOptions;
import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.config.ConfigException;
import dev.rigtel.collector.config.ConfigSources;
import dev.rigtel.collector.config.DurationConverter;
import dev.rigtel.collector.config.SecurityOptions;
import dev.rigtel.collector.config.TlsOptions;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.mqtt.MqttServerOptions;
import dev.rigtel.collector.source.ClusterOptions;
import dev.rigtel.collector.source.Roster;
import dev.rigtel.collector.source.SourceOptions;
import dev.rigtel.collector.store.FsyncPolicy;
import dev.rigtel.collector.store.InfluxOptions;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.StorageWatch;
import dev.rigtel.collector.store.StoreMode;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.common.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./rigtel collector}: parses options, starts the collector, stops it on SIGINT/SIGTERM. */
@Command(
        name = "collector",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Runs the rigtel collector: an MQTT server for rigs that stores their telemetry in InfluxDB.",
        footer = {
            "",
            "Every option can also be set in the environment as RIGTEL_<OPTION> (e.g. RIGTEL_MQTT_PORT=1884)",
            "or in a properties file given by --config or RIGTEL_CONFIG (e.g. mqtt-port=1884).",
            "Precedence: command line, then environment, then config file, then the default."
        })
public final class CollectorMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(CollectorMain.class);

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with option values.")
    Path config;

    @Option(
            names = "--mqtt-host",
            defaultValue = "0.0.0.0",
            description = "MQTT listen address. Default: ${DEFAULT-VALUE}.")
    String mqttHost;

    @Option(
            names = "--mqtt-port",
            defaultValue = "1883",
            description = "MQTT TCP port, 0 for any free port. Default: ${DEFAULT-VALUE}.")
    int mqttPort;

    @Option(
            names = "--http-host",
            defaultValue = "0.0.0.0",
            description = "HTTP listen address (/metrics, /health). Default: ${DEFAULT-VALUE}.")
    String httpHost;

    @Option(
            names = "--http-port",
            defaultValue = "8080",
            description = "HTTP TCP port, 0 for any free port. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(
            names = "--http-max-connections",
            defaultValue = "" + HttpServerOptions.DEFAULT_MAX_CONNECTIONS,
            description = "Open HTTP connections above which a new one is closed at once. Default: ${DEFAULT-VALUE}.")
    int httpMaxConnections;

    @Option(
            names = "--http-max-connections-per-address",
            defaultValue = "" + HttpServerOptions.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            description = "Open HTTP connections from one remote address above which a new one from it is closed"
                    + " at once. Default: ${DEFAULT-VALUE}.")
    int httpMaxConnectionsPerAddress;

    @Option(
            names = "--http-request-timeout",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Longest a whole HTTP request (head and body) may take to arrive, from its first byte;"
                    + " past it: 408 and the connection is closed. Default: ${DEFAULT-VALUE}.")
    Duration httpRequestTimeout;

    @Option(
            names = "--http-allowed-hosts",
            defaultValue = "",
            description = "Host names, comma-separated, that a request's Host header may name besides IP literals"
                    + " and localhost (against DNS rebinding); * allows any. Others are answered 421."
                    + " Default: none.")
    String httpAllowedHosts;

    @Option(
            names = "--influx-url",
            defaultValue = "http://127.0.0.1:8086",
            description = "InfluxDB base URL (v1 HTTP API). Default: ${DEFAULT-VALUE}.")
    String influxUrl;

    @Option(
            names = "--influx-db",
            defaultValue = "rigtel",
            description = "InfluxDB database (2.x: DBRP-mapped bucket). Default: ${DEFAULT-VALUE}.")
    String influxDb;

    @Option(
            names = "--influx-rp",
            defaultValue = "",
            description = "Retention policy; empty for the database default. Default: empty.")
    String influxRp;

    @Option(
            names = "--influx-raw-rp",
            defaultValue = InfluxOptions.DEFAULT_RAW_RETENTION_POLICY,
            description = "Retention policy of the raw IMU samples, which the collector creates (1.x; 2.x: map it "
                    + "to a bucket). Default: ${DEFAULT-VALUE}.")
    String influxRawRp;

    @Option(
            names = "--raw-retention",
            defaultValue = "keep",
            description = "How long InfluxDB keeps raw IMU samples: keep, or a duration of at least 1h (e.g. 30d). "
                    + "Rollups, events, take summaries and slate events are kept for the whole shoot. "
                    + "Default: ${DEFAULT-VALUE}.")
    String rawRetention;

    @Option(
            names = "--shoot-days",
            defaultValue = "120",
            description = "Days the shoot runs: the disk forecast is for its last day. Default: ${DEFAULT-VALUE}.")
    int shootDays;

    @Option(
            names = "--shoot-start",
            defaultValue = "",
            description = "First shooting day, YYYY-MM-DD. Default: the date of the first slate event stored.")
    String shootStart;

    @Option(
            names = "--influx-data-dir",
            defaultValue = "",
            description = "Where a local InfluxDB keeps its files: its disk use and free space are then measured "
                    + "there (and alerted on). Default: empty (InfluxDB's own SHOW STATS, free space unknown).")
    String influxDataDir;

    @Option(
            names = "--influx-username",
            defaultValue = "",
            description = "InfluxDB v1 username; empty for none. Default: empty.")
    String influxUsername;

    @Option(
            names = "--influx-password",
            defaultValue = "",
            description = "InfluxDB v1 password (prefer RIGTEL_INFLUX_PASSWORD). Default: empty.")
    String influxPassword;

    @Option(
            names = "--influx-token",
            defaultValue = "",
            description =
                    "InfluxDB 2.x/3.x token, sent as 'Authorization: Token' (prefer RIGTEL_INFLUX_TOKEN). Default: empty.")
    String influxToken;

    @Option(
            names = "--influx-gzip",
            defaultValue = "auto",
            arity = "1",
            description = "Gzip write bodies: true, false, or auto (on unless --influx-url is this machine)."
                    + " Default: ${DEFAULT-VALUE}.")
    String influxGzip;

    @Option(
            names = "--influx-timeout",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Timeout of one InfluxDB request. Default: ${DEFAULT-VALUE}.")
    Duration influxTimeout;

    @Option(
            names = "--data-dir",
            defaultValue = "var/collector",
            description = "The collector's folder (credentials, spool). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(
            names = "--credentials",
            description = "Credentials file (./rigtel credentials add). Default: <data-dir>/credentials.")
    Path credentials;

    @Option(
            names = "--allow-anonymous",
            defaultValue = "false",
            arity = "0..1",
            description =
                    "Accept rigs without credentials, client id as rig id. Development only. Default: ${DEFAULT-VALUE}.")
    boolean allowAnonymous;

    @Option(
            names = "--max-message-bytes",
            defaultValue = "262144",
            description = "Largest MQTT packet accepted, bytes. Default: ${DEFAULT-VALUE}.")
    int maxMessageBytes;

    @Option(
            names = "--max-batch-samples",
            defaultValue = "4000",
            description = "Most samples in one IMU batch. Default: ${DEFAULT-VALUE}.")
    int maxBatchSamples;

    @Option(
            names = "--connect-timeout",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Time allowed from TCP connect to MQTT CONNECT. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(
            names = "--write-batch-points",
            defaultValue = "5000",
            description = "Points per InfluxDB write. Default: ${DEFAULT-VALUE}.")
    int writeBatchPoints;

    @Option(
            names = "--write-flush-interval",
            defaultValue = "200ms",
            converter = DurationConverter.class,
            description = "Longest wait before a partial batch is written. Default: ${DEFAULT-VALUE}.")
    Duration writeFlushInterval;

    @Option(
            names = "--write-concurrency",
            defaultValue = "2",
            description = "InfluxDB writes in flight at once (1-16), committed in order. Default: ${DEFAULT-VALUE}.")
    int writeConcurrency;

    @Option(
            names = "--timezone",
            defaultValue = "",
            description =
                    "Zone of the shoot's time-of-day timecode (e.g. Europe/London). Default: this machine's zone.")
    String timezone;

    @Option(
            names = "--tls-cert",
            description =
                    "Server certificate chain, PEM: turns on MQTT over TLS on --mqtts-port and HTTPS on --http-port.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "Private key of --tls-cert, PEM (PKCS#8).")
    Path tlsKey;

    @Option(
            names = "--mqtts-port",
            defaultValue = "8883",
            description = "MQTT-over-TLS port when --tls-cert is set. Default: ${DEFAULT-VALUE}.")
    int mqttsPort;

    @Option(
            names = "--max-connections",
            defaultValue = "" + MqttServerOptions.DEFAULT_MAX_CONNECTIONS,
            description =
                    "Open MQTT connections per listener above which new ones are closed. Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(
            names = "--max-connections-per-address",
            defaultValue = "" + MqttServerOptions.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            description = "Open MQTT connections of one remote address per listener above which its new ones are "
                    + "closed: one host cannot hold every slot. Default: ${DEFAULT-VALUE}.")
    int maxConnectionsPerAddress;

    @Option(
            names = "--mqtt-max-keep-alive",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "Longest keep-alive an MQTT 5 client is held to: one asking for 0 or more gets this in "
                    + "CONNACK (Server Keep Alive), so a dead connection is closed within 1.5 x it. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration mqttMaxKeepAlive;

    @Option(
            names = "--max-messages-per-second",
            defaultValue = "" + MqttServerOptions.DEFAULT_MAX_MESSAGES_PER_SECOND,
            description = "PUBLISH packets per second one connection may send (bursts of twice that); above it "
                    + "the connection is throttled. Default: ${DEFAULT-VALUE}.")
    int maxMessagesPerSecond;

    @Option(
            names = "--max-logins-per-address",
            defaultValue = "4",
            description = "Password checks of one address waiting or running at once; beyond it a login is refused "
                    + "as busy. Default: ${DEFAULT-VALUE}.")
    int maxLoginsPerAddress;

    @Option(
            names = "--max-logins-per-user",
            defaultValue = "2",
            description = "Password checks of one username waiting or running at once. Default: ${DEFAULT-VALUE}.")
    int maxLoginsPerUser;

    @Option(
            names = "--max-login-failures",
            defaultValue = "10",
            description = "Failed logins one address may make in a row (one more is allowed every 6 s); beyond it "
                    + "its logins are refused unchecked. Default: ${DEFAULT-VALUE}.")
    int maxLoginFailures;

    @Option(
            names = "--login-queue",
            defaultValue = "64",
            description = "Password checks that may wait for the two PBKDF2 workers; beyond it a login is refused as "
                    + "busy. Default: ${DEFAULT-VALUE}.")
    int loginQueue;

    @Option(
            names = "--open-reads",
            defaultValue = "false",
            arity = "0..1",
            description = "Serve the HTTP API's reads and /metrics without credentials (/health is always open). Off, "
                    + "they need HTTP Basic credentials of a viewer, slate or admin user. Default: ${DEFAULT-VALUE}.")
    boolean openReads;

    @Option(
            names = "--mqtt-plain",
            defaultValue = "true",
            arity = "1",
            description = "Listen for plain MQTT on --mqtt-port; false leaves only MQTT over TLS (needs --tls-cert). "
                    + "Default: ${DEFAULT-VALUE}.")
    boolean mqttPlain;

    @Option(
            names = "--max-queued-messages",
            defaultValue = "1000",
            description = "QoS 1/2 messages held per MQTT session for a subscriber that is offline or behind; "
                    + "beyond it the oldest is dropped (counted). Default: ${DEFAULT-VALUE}.")
    int maxQueuedMessages;

    @Option(
            names = "--max-inflight",
            defaultValue = "32",
            description = "Unacknowledged QoS 1/2 messages sent to one subscriber at a time (caps an MQTT 5 "
                    + "client's Receive Maximum). Default: ${DEFAULT-VALUE}.")
    int maxInflight;

    @Option(
            names = "--max-retained-messages",
            defaultValue = "10000",
            description = "Retained messages held; beyond it new ones are delivered but not retained (counted). "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxRetainedMessages;

    @Option(
            names = "--max-session-expiry",
            defaultValue = "7d",
            converter = DurationConverter.class,
            description = "Longest a session outlives its client: an MQTT 5 Session Expiry Interval is cut to it, an "
                    + "MQTT 3.1.1 persistent session ends that long after its client left. Default: ${DEFAULT-VALUE}.")
    Duration maxSessionExpiry;

    @Option(
            names = "--max-queued-bytes",
            defaultValue = "1048576",
            description = "Bytes of messages one MQTT session holds, queued or awaiting acknowledgement; beyond it the "
                    + "oldest queued is dropped (counted). Default: ${DEFAULT-VALUE}.")
    long maxQueuedBytes;

    @Option(
            names = "--max-queued-bytes-total",
            defaultValue = "33554432",
            description =
                    "Bytes of such messages in all sessions; beyond it a new one is dropped (counted). Bounds the "
                            + "broker's memory and state file. Default: ${DEFAULT-VALUE}.")
    long maxQueuedBytesTotal;

    @Option(
            names = "--max-retained-bytes",
            defaultValue = "8388608",
            description = "Bytes of retained messages in all; beyond it new ones are delivered but not retained "
                    + "(counted). Default: ${DEFAULT-VALUE}.")
    long maxRetainedBytes;

    @Option(
            names = "--max-sessions-per-user",
            defaultValue = "10",
            description = "Persistent MQTT sessions one username may have; a new one beyond it ends the user's longest "
                    + "offline session, or is refused if all are online. Default: ${DEFAULT-VALUE}.")
    int maxSessionsPerUser;

    @Option(
            names = "--spool-max-bytes",
            defaultValue = "2147483648",
            description = "Disk quota of the spool (points not yet in InfluxDB), bytes; above it rigs are slowed down. "
                    + "Default: ${DEFAULT-VALUE}.")
    long spoolMaxBytes;

    @Option(
            names = "--spool-fsync",
            defaultValue = "every-batch",
            description = "When the spool is fsynced before a PUBACK: every-batch (group commit), interval, or none "
                    + "(survives a collector crash, not a power loss). Default: ${DEFAULT-VALUE}.")
    String spoolFsync;

    @Option(
            names = "--spool-sync-interval",
            defaultValue = "10ms",
            converter = DurationConverter.class,
            description = "With --spool-fsync interval: the longest time between fsyncs. Default: ${DEFAULT-VALUE}.")
    Duration spoolSyncInterval;

    @Option(
            names = "--store",
            defaultValue = "influxdb",
            description = "Where points go after the spool: influxdb, or discard (BENCHMARKS ONLY: nothing is "
                    + "stored; PUBACK still waits for the spool). Default: ${DEFAULT-VALUE}.")
    String store;

    @Option(
            names = "--impact-threshold-g",
            defaultValue = "10",
            description =
                    "Resultant acceleration that makes an impact, g (sports head-impact systems: about 10 g). Default: ${DEFAULT-VALUE}.")
    double impactThresholdG;

    @Option(
            names = "--head-turn-start-dps",
            defaultValue = "110",
            description =
                    "Yaw rate that starts a head turn, deg/s (walking and running stay under ~90). Default: ${DEFAULT-VALUE}.")
    double headTurnStartDps;

    @Option(
            names = "--head-turn-end-dps",
            defaultValue = "35",
            description = "Yaw rate under which a head turn ends, deg/s. Default: ${DEFAULT-VALUE}.")
    double headTurnEndDps;

    @Option(
            names = "--head-turn-min-angle-deg",
            defaultValue = "25",
            description = "Smallest angle a head turn must sweep, degrees. Default: ${DEFAULT-VALUE}.")
    double headTurnMinAngleDeg;

    @Option(
            names = "--whip-pan-dps",
            defaultValue = "300",
            description = "Peak yaw rate above which a turn is a whip pan, deg/s. Default: ${DEFAULT-VALUE}.")
    double whipPanDps;

    @Option(
            names = "--accel-full-scale-g",
            defaultValue = "16",
            description =
                    "Accelerometer full scale of the rigs, g (values near it are flagged as clipped). Default: ${DEFAULT-VALUE}.")
    double accelFullScaleG;

    @Option(
            names = "--gyro-full-scale-dps",
            defaultValue = "2000",
            description = "Gyroscope full scale of the rigs, deg/s. Default: ${DEFAULT-VALUE}.")
    double gyroFullScaleDps;

    @Option(
            names = "--comfort-threshold-dps",
            defaultValue = "30",
            description =
                    "Camera angular speed above which viewers get uncomfortable, deg/s (Lo & So 2001). Default: ${DEFAULT-VALUE}.")
    double comfortThresholdDps;

    @Option(
            names = "--source",
            defaultValue = "",
            description = "Consumer mode: subscribe to the rigs' topics on this external MQTT broker, mqtt://HOST:PORT"
                    + " or mqtts://HOST:PORT; its ACL is then the gatekeeper. Default: empty (none).")
    String source;

    @Option(
            names = "--source-user",
            defaultValue = "",
            description = "Username on the --source broker. Default: empty.")
    String sourceUser;

    @Option(
            names = "--source-password",
            defaultValue = "",
            description = "Password on the --source broker (prefer RIGTEL_SOURCE_PASSWORD or the config file; never"
                    + " logged). Default: empty.")
    String sourcePassword;

    @Option(
            names = "--source-client-id",
            defaultValue = "",
            description = "Client id of the persistent session on the --source broker; keep it across restarts."
                    + " Default: rigtel-collector-<host name>.")
    String sourceClientId;

    @Option(
            names = "--source-ca-file",
            description = "PEM certificates to trust for mqtts:// on --source. Default: the JVM's trust store.")
    Path sourceCaFile;

    @Option(
            names = "--source-group",
            defaultValue = "",
            description = "Cluster mode: share the rigs of --source with the other collectors of this group, one owner"
                    + " per rig, failover on the broker. Default: empty (one collector, one session).")
    String sourceGroup;

    @Option(
            names = "--source-member-id",
            defaultValue = "",
            description = "This collector's id in the --source-group; keep it across restarts. Default: the"
                    + " --source-client-id.")
    String sourceMemberId;

    @Option(
            names = "--source-partitions",
            defaultValue = "16",
            description = "Partitions the rigs are split into in cluster mode; the same in every member. Default:"
                    + " ${DEFAULT-VALUE}.")
    int sourcePartitions;

    @Option(
            names = "--source-rigs",
            defaultValue = "",
            description = "Cluster mode: the rigs, rig-01,rig-02,... or @FILE with one per line; rigs not listed are"
                    + " discovered from their status or online messages. Default: empty.")
    String sourceRigs;

    private SourceOptions sourceOptions() {
        if (source.isBlank()) {
            if (!sourceGroup.isBlank()) {
                throw new ConfigException("--source-group needs --source");
            }
            return null;
        }
        try {
            SourceOptions options = plainSourceOptions();
            if (sourceGroup.isBlank()) {
                return options;
            }
            String member = sourceMemberId.isBlank()
                    ? (sourceClientId.isBlank() ? ClusterOptions.defaultMember() : sourceClientId.trim())
                    : sourceMemberId.trim();
            return options.withCluster(
                    new ClusterOptions(sourceGroup.trim(), member, sourcePartitions, Roster.parse(sourceRigs)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private SourceOptions plainSourceOptions() {
        return new SourceOptions(
                java.net.URI.create(source.trim()),
                sourceUser,
                sourcePassword,
                sourceClientId.isBlank() ? SourceOptions.defaultClientId() : sourceClientId.trim(),
                sourceCaFile,
                SourceOptions.DEFAULT_SESSION_EXPIRY,
                SourceOptions.DEFAULT_RECEIVE_MAXIMUM);
    }

    private Duration rawRetention() {
        String text = rawRetention.trim();
        if (text.equalsIgnoreCase("keep") || text.equalsIgnoreCase("inf") || text.equals("0")) {
            return Duration.ZERO;
        }
        try {
            return DurationConverter.parse(text);
        } catch (CommandLine.TypeConversionException e) {
            throw new ConfigException("--raw-retention: " + e.getMessage() + ", or keep");
        }
    }

    private TlsOptions tls() {
        if (tlsCert == null && tlsKey == null) {
            return null;
        }
        if (tlsCert == null || tlsKey == null) {
            throw new ConfigException("TLS needs both --tls-cert and --tls-key");
        }
        return new TlsOptions(tlsCert, tlsKey, mqttsPort);
    }

    private static FsyncPolicy fsyncPolicy(String text) {
        return switch (text) {
            case "every-batch" -> FsyncPolicy.EVERY_BATCH;
            case "interval" -> FsyncPolicy.INTERVAL;
            case "none" -> FsyncPolicy.NONE;
            default -> throw new ConfigException("--spool-fsync must be every-batch, interval or none, not " + text);
        };
    }

    MotionConfig motionConfig() {
        return MotionConfig.defaults().toBuilder()
                .impactThresholdG(impactThresholdG)
                .turnStartDps(headTurnStartDps)
                .turnEndDps(headTurnEndDps)
                .turnMinAngleDeg(headTurnMinAngleDeg)
                .whipPanPeakDps(whipPanDps)
                .accelFullScaleG(accelFullScaleG)
                .gyroFullScaleDps(gyroFullScaleDps)
                .comfortThresholdDps(comfortThresholdDps)
                .build();
    }

    @Override
    public Integer call() throws Exception {
        CollectorConfig config = config();
        Collector.Running running = Collector.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("stopping");
                            running.close();
                            stopped.countDown();
                        },
                        "rigtel-shutdown"));
        log.info(
                "collector running: MQTT port {}, HTTP port {}, InfluxDB {} database {}",
                running.mqttPort(),
                running.httpPort(),
                config.influx().url(),
                config.influx().database());
        stopped.await();
        return 0;
    }

    CollectorConfig config() {
        Path credentialsFile = credentials != null ? credentials : dataDir.resolve("credentials");
        if (!Files.exists(credentialsFile)) {
            if (credentials != null || !allowAnonymous) {
                throw new ConfigException("credentials file " + credentialsFile + " does not exist: create it with "
                        + "./rigtel credentials add --file " + credentialsFile + " --user rig-01 --role rig"
                        + (allowAnonymous ? "" : ", or pass --allow-anonymous for development"));
            }
            credentialsFile = null;
        }
        try {
            return new CollectorConfig(
                    MqttServerOptions.builder()
                            .host(mqttHost)
                            .port(mqttPort)
                            .maxMessageBytes(maxMessageBytes)
                            .connectTimeout(connectTimeout)
                            .allowAnonymous(allowAnonymous)
                            .maxConnections(maxConnections)
                            .maxMessagesPerSecond(maxMessagesPerSecond)
                            .maxConnectionsPerAddress(maxConnectionsPerAddress)
                            .maxKeepAlive(mqttMaxKeepAlive)
                            .build(),
                    httpHost,
                    httpPort,
                    new InfluxOptions(
                            influxUrl,
                            influxDb,
                            influxRp,
                            influxRawRp,
                            rawRetention(),
                            influxUsername,
                            influxPassword,
                            influxToken,
                            InfluxOptions.gzipFor(influxGzip, influxUrl),
                            influxTimeout),
                    new WriteBufferOptions(
                            writeBatchPoints,
                            writeFlushInterval,
                            Duration.ofMillis(100),
                            Duration.ofSeconds(10),
                            writeConcurrency),
                    SpoolOptions.defaults(dataDir.resolve("spool"))
                            .withMaxBytes(spoolMaxBytes)
                            .withFsyncPolicy(fsyncPolicy(spoolFsync))
                            .withSyncInterval(spoolSyncInterval),
                    dataDir,
                    credentialsFile,
                    maxBatchSamples,
                    timezone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(timezone),
                    motionConfig(),
                    tls(),
                    new BrokerOptions(
                            maxQueuedMessages,
                            maxInflight,
                            maxRetainedMessages,
                            maxSessionExpiry.toSeconds(),
                            maxQueuedBytes,
                            maxQueuedBytesTotal,
                            maxRetainedBytes,
                            maxSessionsPerUser),
                    StoreMode.fromLabel(store),
                    new StorageWatch.Plan(
                            shootStart.isBlank()
                                    ? java.util.Optional.empty()
                                    : java.util.Optional.of(java.time.LocalDate.parse(shootStart.trim())),
                            shootDays,
                            influxDataDir.isBlank() ? null : Path.of(influxDataDir.trim())),
                    new SecurityOptions(
                            new LoginGate.Options(
                                    maxLoginsPerAddress,
                                    maxLoginsPerUser,
                                    maxLoginFailures,
                                    LoginGate.Options.DEFAULTS.failureRefill()),
                            loginQueue,
                            openReads,
                            mqttPlain),
                    HttpServerOptions.of(
                            "http-",
                            httpMaxConnections,
                            httpMaxConnectionsPerAddress,
                            httpRequestTimeout,
                            HttpServerOptions.hostNames("http-", httpAllowedHosts)),
                    sourceOptions());
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses and runs; returns the exit code (2 for bad options or configuration). */
    static int run(String[] args) {
        CommandLine cl = new CommandLine(new CollectorMain());
        try {
            ConfigSources sources = ConfigSources.from(args, System.getenv());
            cl.setDefaultValueProvider(sources);
            sources.checkFileKeys(cl.getCommandSpec());
        } catch (ConfigException e) {
            cl.getErr().println("rigtel collector: " + e.getMessage());
            return 2;
        }
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("rigtel collector: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }
}
