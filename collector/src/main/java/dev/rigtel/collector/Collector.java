package dev.rigtel.collector;

import dev.rigtel.collector.api.CollectorApi;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.broker.Broker;
import dev.rigtel.collector.broker.BrokerMessage;
import dev.rigtel.collector.broker.BrokerStateFile;
import dev.rigtel.collector.broker.MessageProperties;
import dev.rigtel.collector.broker.SysTopics;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.config.ConfigException;
import dev.rigtel.collector.config.TlsOptions;
import dev.rigtel.collector.http.HttpRoutes;
import dev.rigtel.collector.http.HttpServer;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.StorageReports;
import dev.rigtel.collector.ingest.TakeSummaries;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.metrics.HttpMeters;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.metrics.MqttMeters;
import dev.rigtel.collector.metrics.ShootMeters;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.mqtt.MqttServer;
import dev.rigtel.collector.mqtt.MqttServerInitializer;
import dev.rigtel.collector.store.DiscardSink;
import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.store.PointSink;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.StorageWatch;
import dev.rigtel.collector.store.StoreMode;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.takes.SlateLog;
import dev.rigtel.collector.takes.SlateStore;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of the collector by hand and wires them. Nothing else
 * knows every part. {@link #start} returns a running collector that must be closed.
 */
public final class Collector {

    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    private Collector() {}

    /** A started collector: its ports and meters, and {@link #close} to stop it. */
    public static final class Running implements AutoCloseable {
        private final Deque<AutoCloseable> closeInOrder;
        private final int mqttPort;
        private final int mqttsPort;
        private final int httpPort;
        private final PrometheusMeterRegistry registry;
        private final WriteBuffer buffer;

        private Running(
                Deque<AutoCloseable> closeInOrder,
                int mqttPort,
                int mqttsPort,
                int httpPort,
                PrometheusMeterRegistry registry,
                WriteBuffer buffer) {
            this.closeInOrder = closeInOrder;
            this.mqttPort = mqttPort;
            this.mqttsPort = mqttsPort;
            this.httpPort = httpPort;
            this.registry = registry;
            this.buffer = buffer;
        }

        public int mqttPort() {
            return mqttPort;
        }

        /** The MQTT-over-TLS port, 0 without TLS. */
        public int mqttsPort() {
            return mqttsPort;
        }

        public int httpPort() {
            return httpPort;
        }

        public PrometheusMeterRegistry registry() {
            return registry;
        }

        /** Points accepted but not yet stored. */
        public long unwrittenPoints() {
            return buffer.queuedPoints();
        }

        /** Stops listening, writes what is buffered, releases everything. */
        @Override
        public void close() {
            while (!closeInOrder.isEmpty()) {
                try {
                    closeInOrder.pop().close();
                } catch (Exception e) {
                    log.warn("error while stopping", e);
                }
            }
        }
    }

    public static Running start(CollectorConfig config) throws IOException, InterruptedException {
        return start(config, Clock.systemUTC());
    }

    public static Running start(CollectorConfig config, Clock clock) throws IOException, InterruptedException {
        Deque<AutoCloseable> closeInOrder = new ArrayDeque<>();
        boolean started = false;
        try {
            Files.createDirectories(config.dataDir());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            closeInOrder.push(registry::close);
            closeInOrder.push(gc);

            InfluxStore influx = new InfluxStore(config.influx());
            closeInOrder.push(influx);
            boolean discard = config.store() == StoreMode.DISCARD;
            AtomicBoolean influxReachable = new AtomicBoolean(!discard && influx.reachable());
            if (discard) {
                log.warn("STORE DISCARD: points are dropped after the spool and never stored. "
                        + "For benchmarks of the MQTT intake only.");
            } else if (influxReachable.get()) {
                influx.createDatabase();
                influx.createRetentionPolicies();
            } else {
                log.warn(
                        "InfluxDB at {} is not reachable now; points wait in the write buffer until it is",
                        config.influx().url());
            }
            DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
            Spool spool = Spool.open(config.spool());
            PointSink sink = discard ? new DiscardSink() : influx;
            WriteBuffer buffer = new WriteBuffer(sink, spool, config.writeBuffer(), new StoreMeters(registry));
            WireMapper wire = WireMapper.create();
            TakeHistory takes = new TakeHistory(
                    discard ? SlateStore.NONE : new SlateLog(influx),
                    config.timezone(),
                    clock,
                    buffer::storedThrough,
                    TakeHistory.Options.DEFAULTS);
            StateRestore restore = new StateRestore(influx, wire.mapper(), clocks, takes, clock);
            // Records acknowledged before a stop but not yet in InfluxDB: their slate events, commands
            // and clock segments are state again before anything else arrives (a batch re-sent after
            // the restart must land on the timestamps it had).
            restore.fromSpool(spool);
            buffer.start();
            closeInOrder.push(buffer);
            PayloadDecoder decoder = new PayloadDecoder(wire, config.maxBatchSamples());
            MotionConfig motion = config.motion();
            BrokerMeters brokerMeters = new BrokerMeters(registry);
            Broker broker = new Broker(config.broker(), brokerMeters, clock);
            // Retained messages and offline persistent sessions survive a restart (the brief: state
            // is rebuildable from disk, never only in memory). Loaded before the listeners open.
            BrokerStateFile brokerState =
                    new BrokerStateFile(config.dataDir().resolve("broker-state.json"), wire.mapper(), clock);
            broker.restore(brokerState.load());
            closeInOrder.push(() -> saveBrokerState(broker, brokerState));
            // Commands reach rigs through the broker at QoS 1; an MQTT 5 rig that reconnects after the
            // expiry never gets a stale one (firmware-notes/commands.md).
            RigCommands commands = new RigCommands(
                    wire,
                    (topic, payload, qos, retain, expirySeconds) -> broker.publish(
                            new BrokerMessage(
                                    topic,
                                    payload,
                                    qos,
                                    retain,
                                    MessageProperties.json(),
                                    expirySeconds < 0 ? BrokerMessage.NEVER : clock.millis() + expirySeconds * 1000L),
                            null),
                    buffer,
                    brokerMeters,
                    clock);
            restore.commands(commands);
            if (discard) {
                log.info("nothing to restore from storage with --store discard");
            } else if (influxReachable.get()) {
                restore.fromStorage();
            }
            IngestService ingest = new IngestService(
                    decoder,
                    clocks,
                    takes,
                    motion,
                    config.timezone(),
                    buffer,
                    new IngestMeters(registry),
                    clock,
                    // Derived live topics (firmware-notes/live-topics.md) go to subscribers only.
                    (topic, payload, qos, retain) -> broker.publish(
                            new BrokerMessage(
                                    topic, payload, qos, retain, MessageProperties.json(), BrokerMessage.NEVER),
                            null));

            ExecutorService authExecutor = Executors.newFixedThreadPool(2, daemon("rigtel-auth"));
            closeInOrder.push(authExecutor::shutdownNow);
            Authenticator authenticator = new Authenticator(config.credentialsFile(), authExecutor);
            if (config.mqtt().allowAnonymous()) {
                log.warn("ANONYMOUS ACCESS IS ON: any client can publish as the rig named by its client id. "
                        + "For development only; never on a set network.");
            }
            log.info("{} users in {}", authenticator.users(), config.credentialsFile());

            EventLoopGroup boss = MqttServer.eventLoops(1);
            EventLoopGroup workers = MqttServer.eventLoops(0);
            closeInOrder.push(
                    () -> workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
            closeInOrder.push(
                    () -> boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
            MqttMeters mqttMeters = new MqttMeters(registry);
            MqttServerInitializer plain = new MqttServerInitializer(
                    config.mqtt(), authenticator, ingest, broker, commands, mqttMeters, brokerMeters, clock);
            // Closed in reverse: listeners stop accepting, then connections close, then the loops stop.
            closeInOrder.push(plain::closeConnections);
            MqttServer mqtt =
                    MqttServer.start(config.mqtt().host(), config.mqtt().port(), plain, boss, workers);
            closeInOrder.push(mqtt);
            SslContext tls = config.tls() == null ? null : tlsContext(config.tls());
            int mqttsPort = 0;
            if (tls != null) {
                MqttServerInitializer secure = new MqttServerInitializer(
                        config.mqtt(), authenticator, ingest, broker, commands, mqttMeters, brokerMeters, clock, tls);
                closeInOrder.push(secure::closeConnections);
                MqttServer mqtts =
                        MqttServer.start(config.mqtt().host(), config.tls().mqttsPort(), secure, boss, workers);
                closeInOrder.push(mqtts);
                mqttsPort = mqtts.port();
            }

            ScheduledExecutorService probe = Executors.newScheduledThreadPool(2, daemon("rigtel-scheduler"));
            closeInOrder.push(probe::shutdownNow);
            if (!discard) {
                probe.scheduleWithFixedDelay(
                        () -> {
                            influxReachable.set(influx.reachable());
                            if (influxReachable.get() && !restore.complete()) {
                                restore.fromStorage();
                            }
                        },
                        5,
                        5,
                        TimeUnit.SECONDS);
            }
            // Memory of a collector that runs for a whole shoot: clock segments of the last day.
            probe.scheduleWithFixedDelay(
                    () -> clocks.evictBefore((clock.millis() - StateRestore.SEGMENT_HISTORY.toMillis()) * 1_000_000L),
                    10,
                    10,
                    TimeUnit.MINUTES);
            probe.scheduleWithFixedDelay(ingest::tick, 1, 1, TimeUnit.SECONDS);
            probe.scheduleWithFixedDelay(broker::tick, 1, 1, TimeUnit.SECONDS);
            probe.scheduleWithFixedDelay(
                    () -> {
                        if (broker.dirty()) {
                            saveBrokerState(broker, brokerState);
                        }
                    },
                    1,
                    1,
                    TimeUnit.SECONDS);
            String version = Collector.class.getPackage().getImplementationVersion();
            SysTopics sys = new SysTopics(broker, version == null ? "dev" : version, mqttMeters::connections, clock);
            probe.scheduleWithFixedDelay(sys::tick, 0, 10, TimeUnit.SECONDS);
            ExecutorService apiExecutor = new java.util.concurrent.ThreadPoolExecutor(
                    2,
                    2,
                    0,
                    TimeUnit.SECONDS,
                    new java.util.concurrent.ArrayBlockingQueue<>(256),
                    daemon("rigtel-api"));
            closeInOrder.push(apiExecutor::shutdownNow);
            probe.scheduleWithFixedDelay(commands::tick, 1, 1, TimeUnit.SECONDS);
            StorageWatch storageWatch = new StorageWatch(
                    discard ? null : influx,
                    config.shoot(),
                    config.influx().rawRetention(),
                    config.dataDir(),
                    config.spool().maxBytes(),
                    spool::diskBytes,
                    () -> takes.firstEventNanos()
                            .map(n -> java.time.LocalDate.ofInstant(
                                    java.time.Instant.ofEpochSecond(n / 1_000_000_000L), config.timezone())),
                    config.timezone(),
                    clock);
            StorageReports storage = new StorageReports(
                    storageWatch,
                    buffer,
                    wire.mapper(),
                    (topic, payload, qos, retain) -> broker.publish(
                            new BrokerMessage(
                                    topic, payload, qos, retain, MessageProperties.json(), BrokerMessage.NEVER),
                            null));
            probe.scheduleWithFixedDelay(() -> guarded("storage", storage::tick), 2, 60, TimeUnit.SECONDS);
            ShootMeters shootMeters = new ShootMeters(registry);
            shootMeters.bindDisks(
                    storageWatch,
                    new ShootMeters.Disks<StorageWatch>(
                            w -> figure(w, StorageWatch.Reading::rawBytes),
                            w -> figure(w, r -> r.influxBytes() < 0 ? -1 : r.influxBytes() - Math.max(0, r.rawBytes())),
                            w -> figure(w, StorageWatch.Reading::forecastBytes),
                            w -> figure(w, StorageWatch.Reading::influxFreeBytes),
                            w -> figure(w, StorageWatch.Reading::spoolFreeBytes),
                            w -> figure(w, r -> r.shootDay()),
                            w -> figure(w, r -> r.level().ordinal())));
            shootMeters.bindTakes(takes, TakeHistory::pendingEvents, TakeHistory::dayLoads);
            shootMeters.bindRestore(restore, r -> discard || r.complete() ? 1 : 0);
            CollectorApi api = new CollectorApi(
                    wire.mapper(),
                    decoder,
                    ingest,
                    takes,
                    clocks,
                    influx,
                    authenticator,
                    config.timezone(),
                    clock,
                    motion,
                    commands,
                    () -> storageWatch.last() == null ? null : StorageReports.view(storageWatch.last()));
            ingest.recomputeSummariesWith((rig, take) -> {
                try {
                    apiExecutor.execute(() -> {
                        try {
                            TakeSummary summary = TakeSummaries.recompute(
                                            influx, take, take.endNanos().getAsLong(), motion, rig)
                                    .get(rig);
                            if (summary != null) {
                                ingest.storeSummary(rig, take, summary);
                            }
                        } catch (RuntimeException e) {
                            log.warn(
                                    "cannot recompute the summary of take {} for {}: {}",
                                    take.name(),
                                    rig,
                                    e.getMessage());
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    log.warn("too busy to recompute the summary of take {} for {}", take.name(), rig);
                }
            });
            HttpMeters httpMeters = new HttpMeters(registry);
            HttpServer http = HttpServer.start(
                    config.httpHost(),
                    config.httpPort(),
                    config.http(),
                    boss,
                    workers,
                    new HttpRoutes(
                            registry::scrape,
                            () -> health(
                                    discard ? null : influxReachable.get(),
                                    discard || restore.complete(),
                                    buffer,
                                    storageWatch.last()),
                            api::handle,
                            apiExecutor,
                            httpMeters),
                    httpMeters,
                    tls);
            closeInOrder.push(http);
            started = true;
            return new Running(closeInOrder, mqtt.port(), mqttsPort, http.port(), registry, buffer);
        } finally {
            if (!started) {
                new Running(closeInOrder, 0, 0, 0, null, null).close();
            }
        }
    }

    private static SslContext tlsContext(TlsOptions tls) throws IOException {
        try {
            return SslContextBuilder.forServer(
                            tls.certificateChain().toFile(), tls.privateKey().toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (IllegalArgumentException | javax.net.ssl.SSLException e) {
            throw new ConfigException("cannot use the TLS certificate and key: " + e.getMessage());
        }
    }

    /**
     * @param influxReachable null with {@code --store discard}, where InfluxDB is not used
     * @param restored the state kept in InfluxDB is read back ({@link StateRestore})
     * @param disks the last look at the disks, null before the first; critical degrades the health
     */
    private static HttpRoutes.Health health(
            Boolean influxReachable, boolean restored, WriteBuffer buffer, StorageWatch.Reading disks) {
        boolean diskCritical = disks != null && disks.level() == StorageWatch.Level.CRITICAL;
        boolean healthy =
                (influxReachable == null || influxReachable) && restored && !buffer.overCapacity() && !diskCritical;
        String influx = influxReachable == null ? "discard" : influxReachable ? "reachable" : "unreachable";
        String json = "{\"status\":\"" + (healthy ? "UP" : "DEGRADED") + "\",\"influxdb\":\""
                + influx + "\",\"restored\":" + restored + ",\"buffered_points\":" + buffer.queuedPoints()
                + ",\"back_pressure\":" + buffer.overCapacity()
                + (disks == null
                        ? ""
                        : ",\"disk\":{\"level\":\"" + disks.level().name().toLowerCase(java.util.Locale.ROOT)
                                + "\",\"influx_bytes\":" + disks.influxBytes() + ",\"forecast_bytes\":"
                                + disks.forecastBytes() + ",\"influx_free_bytes\":" + disks.influxFreeBytes()
                                + ",\"spool_free_bytes\":" + disks.spoolFreeBytes() + ",\"shoot_day\":"
                                + disks.shootDay() + ",\"shoot_days\":" + disks.shootDays() + "}")
                + "}\n";
        return new HttpRoutes.Health(healthy, json);
    }

    /** A reading's figure for a gauge: NaN before the first reading or where unknown (-1). */
    private static double figure(StorageWatch watch, java.util.function.ToLongFunction<StorageWatch.Reading> f) {
        StorageWatch.Reading r = watch.last();
        long value = r == null ? -1 : f.applyAsLong(r);
        return value < 0 ? Double.NaN : value;
    }

    /** A scheduled task whose failure is logged and does not cancel its later runs. */
    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.warn("{} failed; tried again at its next run: {}", what, e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void saveBrokerState(Broker broker, BrokerStateFile file) {
        try {
            file.save(broker.state());
        } catch (IOException | RuntimeException e) {
            log.warn("could not save the MQTT broker state to {}: {}", file.path(), e.toString());
        }
    }
}
