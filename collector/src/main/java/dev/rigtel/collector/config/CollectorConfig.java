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
 * environment and a config file by {@code CollectorMain}; tests build it directly.
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

    /** A collector that consumes no external broker. */
    public CollectorConfig(
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
            HttpServerOptions http) {
        this(
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
                null);
    }

    /** This configuration consuming from an external MQTT broker ({@code --source}). */
    public CollectorConfig withSource(SourceOptions options) {
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
                options);
    }

    /** A collector with {@link SecurityOptions#DEFAULTS} and {@link HttpServerOptions#DEFAULTS}. */
    public CollectorConfig(
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
            StorageWatch.Plan shoot) {
        this(
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
                SecurityOptions.DEFAULTS,
                HttpServerOptions.DEFAULTS);
    }

    /** A collector with the {@link #DEFAULT_SHOOT}. */
    public CollectorConfig(
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
            StoreMode store) {
        this(
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
                DEFAULT_SHOOT);
    }

    /** A collector that stores in InfluxDB. */
    public CollectorConfig(
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
            BrokerOptions broker) {
        this(
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
                StoreMode.INFLUXDB);
    }

    /** This configuration with other security options. */
    public CollectorConfig withSecurity(SecurityOptions options) {
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
                options,
                http,
                source);
    }

    /** This configuration with other spool options (a test's faulty disk, say). */
    public CollectorConfig withSpool(SpoolOptions options) {
        return new CollectorConfig(
                mqtt,
                httpHost,
                httpPort,
                influx,
                writeBuffer,
                options,
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

    /** This configuration with other HTTP limits. */
    public CollectorConfig withHttp(HttpServerOptions options) {
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
                options,
                source);
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
}
