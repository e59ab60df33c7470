package dev.rigtel.collector.config;

import dev.rigtel.collector.broker.BrokerOptions;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.mqtt.MqttServerOptions;
import dev.rigtel.collector.source.SourceOptions;
import dev.rigtel.collector.store.InfluxOptions;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.StorageWatch;
import dev.rigtel.collector.store.StoreMode;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.common.http.HttpServerOptions;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Everything the collector is configured with, validated. Built from command-line options, the
 * environment and a config file by {@code CollectorMain}; tests build it with {@link #builder()}, or
 * change one with {@link #toBuilder()}.
 *
 * @param spool the durable spool between intake and InfluxDB (normally {@code <dataDir>/spool})
 * @param dataDir the collector's own folder (credentials by default, later the durable spool)
 * @param credentialsFile the users file; null only when anonymous access is on and no file exists
 * @param httpHost address of the HTTP listener ({@code /metrics}, {@code /health})
 * @param httpPort HTTP port, 0 for any free port
 * @param maxBatchSamples most samples accepted in one IMU batch
 * @param store where points go after the spool: InfluxDB, or nowhere (benchmarks only)
 * @param shoot the shoot the disk forecast is for ({@code --shoot-days}, {@code --shoot-start},
 *     {@code --influx-data-dir})
 * @param security login limits, open reads, the plain MQTT listener
 * @param http the HTTP listener's limits ({@code --http-max-connections}, ...)
 * @param source consumer mode: the external MQTT broker to subscribe on ({@code --source}); null for
 *     none
 */
public record CollectorConfig(
        MqttServerOptions mqtt,
        String httpHost,
        int httpPort,
        InfluxOptions influx,
        WriteBufferOptions writeBuffer,
        SpoolOptions spool,
        Path dataDir,
        Path credentialsFile,
        int maxBatchSamples,
        ZoneId timezone,
        MotionConfig motion,
        TlsOptions tls,
        BrokerOptions broker,
        StoreMode store,
        StorageWatch.Plan shoot,
        SecurityOptions security,
        HttpServerOptions http,
        SourceOptions source) {

    /** The reference production: 120 days from its first slate event, InfluxDB's disk not known. */
    public static final StorageWatch.Plan DEFAULT_SHOOT = new StorageWatch.Plan(Optional.empty(), 120, null);

    /** This configuration consuming from an external MQTT broker ({@code --source}). */
    public CollectorConfig withSource(SourceOptions options) {
        return toBuilder().source(options).build();
    }

    /** This configuration with other security options. */
    public CollectorConfig withSecurity(SecurityOptions options) {
        return toBuilder().security(options).build();
    }

    /** This configuration with other spool options (a test's faulty disk, say). */
    public CollectorConfig withSpool(SpoolOptions options) {
        return toBuilder().spool(options).build();
    }

    /** This configuration with other HTTP limits. */
    public CollectorConfig withHttp(HttpServerOptions options) {
        return toBuilder().http(options).build();
    }

    public CollectorConfig {
        if (security == null) {
            throw new ConfigException("security options missing");
        }
        if (!security.plainMqtt() && tls == null && source == null) {
            throw new ConfigException(
                    "--mqtt-plain false needs TLS (--tls-cert, --tls-key) or --source: rigs would have no listener");
        }
        if (http == null) {
            throw new ConfigException("HTTP limits missing");
        }
        if (shoot == null) {
            throw new ConfigException("shoot plan missing");
        }
        if (store == null) {
            throw new ConfigException("store mode missing");
        }
        if (maxBatchSamples < 1) {
            throw new ConfigException("max-batch-samples must be at least 1");
        }
        if (credentialsFile == null && !mqtt.allowAnonymous()) {
            throw new ConfigException("no credentials file: create one with ./rigtel credentials add, "
                    + "or pass --allow-anonymous for development");
        }
    }

    /** A builder with no value yet for the options without a default (each setter says). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder()
                .mqtt(mqtt)
                .httpHost(httpHost)
                .httpPort(httpPort)
                .influx(influx)
                .writeBuffer(writeBuffer)
                .spool(spool)
                .dataDir(dataDir)
                .credentialsFile(credentialsFile)
                .maxBatchSamples(maxBatchSamples)
                .timezone(timezone)
                .motion(motion)
                .tls(tls)
                .broker(broker)
                .store(store)
                .shoot(shoot)
                .security(security)
                .http(http)
                .source(source);
    }

    /**
     * Builds a {@link CollectorConfig}; the record's constructor validates. Every option without a
     * default must be set.
     */
    public static final class Builder {
        private MqttServerOptions mqtt;
        private String httpHost;
        private int httpPort;
        private InfluxOptions influx;
        private WriteBufferOptions writeBuffer;
        private SpoolOptions spool;
        private Path dataDir;
        private Path credentialsFile;
        private int maxBatchSamples;
        private ZoneId timezone;
        private MotionConfig motion;
        private TlsOptions tls;
        private BrokerOptions broker;
        private StoreMode store = StoreMode.INFLUXDB;
        private StorageWatch.Plan shoot = DEFAULT_SHOOT;
        private SecurityOptions security = SecurityOptions.DEFAULTS;
        private HttpServerOptions http = HttpServerOptions.DEFAULTS;
        private SourceOptions source;

        private Builder() {}

        /** No default. */
        public Builder mqtt(MqttServerOptions value) {
            this.mqtt = value;
            return this;
        }

        /** No default. */
        public Builder httpHost(String value) {
            this.httpHost = value;
            return this;
        }

        /** No default (0 for any free port). */
        public Builder httpPort(int value) {
            this.httpPort = value;
            return this;
        }

        /** No default. */
        public Builder influx(InfluxOptions value) {
            this.influx = value;
            return this;
        }

        /** No default. */
        public Builder writeBuffer(WriteBufferOptions value) {
            this.writeBuffer = value;
            return this;
        }

        /** No default. */
        public Builder spool(SpoolOptions value) {
            this.spool = value;
            return this;
        }

        /** No default. */
        public Builder dataDir(Path value) {
            this.dataDir = value;
            return this;
        }

        /** Default none (anonymous access only). */
        public Builder credentialsFile(Path value) {
            this.credentialsFile = value;
            return this;
        }

        /** No default. */
        public Builder maxBatchSamples(int value) {
            this.maxBatchSamples = value;
            return this;
        }

        /** No default. */
        public Builder timezone(ZoneId value) {
            this.timezone = value;
            return this;
        }

        /** No default. */
        public Builder motion(MotionConfig value) {
            this.motion = value;
            return this;
        }

        /** Default none: no TLS listener. */
        public Builder tls(TlsOptions value) {
            this.tls = value;
            return this;
        }

        /** No default. */
        public Builder broker(BrokerOptions value) {
            this.broker = value;
            return this;
        }

        /** Default {@link StoreMode#INFLUXDB}. */
        public Builder store(StoreMode value) {
            this.store = value;
            return this;
        }

        /** Default {@link CollectorConfig#DEFAULT_SHOOT}. */
        public Builder shoot(StorageWatch.Plan value) {
            this.shoot = value;
            return this;
        }

        /** Default {@link SecurityOptions#DEFAULTS}. */
        public Builder security(SecurityOptions value) {
            this.security = value;
            return this;
        }

        /** Default {@link HttpServerOptions#DEFAULTS}. */
        public Builder http(HttpServerOptions value) {
            this.http = value;
            return this;
        }

        /** Default none: no external broker. */
        public Builder source(SourceOptions value) {
            this.source = value;
            return this;
        }

        public CollectorConfig build() {
            return new CollectorConfig(
                    mqtt,
                    httpHost,
                    httpPort,
                    influx,
                    writeBuffer,
                    spool,
                    dataDir,
                    credentialsFile,
                    maxBatchSamples,
                    timezone,
                    motion,
                    tls,
                    broker,
                    store,
                    shoot,
                    security,
                    http,
                    source);
        }
    }
}
