package dev.rigtel.collector;

import dev.rigtel.collector.api.CollectorApi;
import dev.rigtel.collector.api.ReadAccess;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.LoginGate;
import dev.rigtel.collector.auth.LoginWorkers;
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
import dev.rigtel.collector.imports.ImportService;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.MotionTracker;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.TakeSummaries;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.live.LiveOutlet;
import dev.rigtel.collector.live.LiveTopics;
import dev.rigtel.collector.live.StorageReports;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.metrics.ClusterMeters;
import dev.rigtel.collector.metrics.HttpMeters;
import dev.rigtel.collector.metrics.ImportMeters;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.metrics.MqttMeters;
import dev.rigtel.collector.metrics.ShootMeters;
import dev.rigtel.collector.metrics.SourceMeters;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.mqtt.MqttServer;
import dev.rigtel.collector.mqtt.MqttServerInitializer;
import dev.rigtel.collector.source.ClusterSource;
import dev.rigtel.collector.source.MqttSource;
import dev.rigtel.collector.store.DiscardSink;
import dev.rigtel.collector.store.Faults;
import dev.rigtel.collector.store.InfluxReads;
import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.PointSink;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.StorageWatch;
import dev.rigtel.collector.store.StoreMode;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.store.StoreWrites;
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
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
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

        /** The plain MQTT port, 0 with {@code --mqtt-plain false}. */
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
            // The spool, the broker's state and (by default) the credentials live here.
            Spool.ownerOnly(config.dataDir());
            restrictCredentials(config.credentialsFile());
            PrometheusMeterRegistry registry = openMeters(closeInOrder);
            Store store = openStore(config, clock, registry, closeInOrder);
            Messaging messaging = openBroker(config, clock, registry, store, closeInOrder);
            Ingest ingest = wireIngest(config, clock, registry, store, messaging);
            Listeners listeners = openListeners(config, clock, registry, messaging, ingest, closeInOrder);
            Scheduled scheduled = schedule(config, clock, registry, store, messaging, ingest, listeners, closeInOrder);
            Source source = openSource(config, clock, registry, store, ingest, closeInOrder);
            HttpServer http = openHttp(
                    config, clock, registry, store, messaging, ingest, listeners, scheduled, source, closeInOrder);
            started = true;
            return new Running(
                    closeInOrder, listeners.mqttPort(), listeners.mqttsPort(), http.port(), registry, store.buffer());
        } finally {
            if (!started) {
                new Running(closeInOrder, 0, 0, 0, null, null).close();
            }
        }
    }

    /** What {@link #openStore} opened: storage, and the state restored from it. */
    private record Store(
            InfluxStore influx,
            boolean discard,
            AtomicBoolean influxReachable,
            Faults faults,
            Spool spool,
            WriteBuffer buffer,
            StoreWrites writes,
            StoreReads reads,
            WireMapper wire,
            DeviceClocks clocks,
            TakeHistory takes,
            StateRestore restore) {}

    /** What {@link #openBroker} opened: the MQTT broker, its saved state and the rig commands. */
    private record Messaging(
            Broker broker, BrokerMeters meters, BrokerStateFile state, RigCommands commands, LiveOutlet live) {}

    /** The intake and its peers, wired by {@link #wireIngest}. */
    private record Ingest(PayloadDecoder decoder, MotionConfig motion, IngestService service) {}

    /** What {@link #openListeners} opened: the event loops, logins and the MQTT ports. */
    private record Listeners(
            EventLoopGroup boss,
            EventLoopGroup workers,
            Authenticator authenticator,
            MqttMeters mqttMeters,
            SslContext tls,
            int mqttPort,
            int mqttsPort) {}

    /**
     * Consumer or cluster mode as {@code /health} sees it.
     *
     * @param cluster the cluster block of {@code /health}, null outside cluster mode
     */
    private record Source(java.util.function.BooleanSupplier connected, java.util.function.Supplier<String> cluster) {}

    /** What {@link #schedule} made besides the periodic tasks: the disk watch and the API's workers. */
    private record Scheduled(StorageWatch storageWatch, ExecutorService apiExecutor) {}

    private static PrometheusMeterRegistry openMeters(Deque<AutoCloseable> closeInOrder) {
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
        return registry;
    }

    /**
     * InfluxDB (created if reachable), the spool and its write buffer, and the state kept in them:
     * what the spool holds is state again before anything else arrives.
     */
    private static Store openStore(
            CollectorConfig config, Clock clock, PrometheusMeterRegistry registry, Deque<AutoCloseable> closeInOrder)
            throws IOException {
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
        StoreMeters storeMeters = new StoreMeters(registry);
        // Disk faults of the spool and the broker state: /health DEGRADED with the reason, counted.
        Faults faults = new Faults(clock, storeMeters::fault);
        Spool spool = Spool.open(config.spool(), faults);
        PointSink sink = discard ? new DiscardSink() : influx;
        StoreReads reads = new InfluxReads(influx);
        WriteBuffer buffer = new WriteBuffer(sink, spool, config.writeBuffer(), storeMeters, faults);
        WireMapper wire = WireMapper.create();
        TakeHistory takes = new TakeHistory(
                discard ? SlateStore.NONE : new SlateLog(reads),
                config.timezone(),
                clock,
                buffer::storedThrough,
                TakeHistory.Options.DEFAULTS);
        StateRestore restore = new StateRestore(reads, wire.mapper(), clocks, takes, clock);
        // Records acknowledged before a stop but not yet in InfluxDB: their slate events, commands
        // and clock segments are state again before anything else arrives (a batch re-sent after
        // the restart must land on the timestamps it had).
        restore.fromSpool(spool);
        buffer.start();
        closeInOrder.push(buffer);
        return new Store(
                influx,
                discard,
                influxReachable,
                faults,
                spool,
                buffer,
                new InfluxWrites(buffer),
                reads,
                wire,
                clocks,
                takes,
                restore);
    }

    /**
     * The MQTT broker with its saved state, and the rig commands that go through it; then the state
     * kept in InfluxDB is read back (commands included).
     */
    private static Messaging openBroker(
            CollectorConfig config,
            Clock clock,
            PrometheusMeterRegistry registry,
            Store store,
            Deque<AutoCloseable> closeInOrder)
            throws IOException {
        BrokerMeters brokerMeters = new BrokerMeters(registry);
        Broker broker = new Broker(config.broker(), brokerMeters, clock);
        // Retained messages and offline persistent sessions survive a restart (the brief: state
        // is rebuildable from disk, never only in memory). Loaded before the listeners open.
        BrokerStateFile brokerState = new BrokerStateFile(
                config.dataDir().resolve("broker-state.json"),
                store.wire().mapper(),
                clock,
                config.spool().io());
        broker.restore(brokerState.load());
        closeInOrder.push(() -> saveBrokerState(broker, brokerState, store.faults()));
        // Commands reach rigs through the broker at QoS 1; an MQTT 5 rig that reconnects after the
        // expiry never gets a stale one (firmware-notes/commands.md).
        RigCommands commands = new RigCommands(
                store.wire(),
                (topic, payload, qos, retain, expirySeconds) -> broker.publish(
                        new BrokerMessage(
                                topic,
                                payload,
                                qos,
                                retain,
                                MessageProperties.json(),
                                expirySeconds < 0 ? BrokerMessage.NEVER : clock.millis() + expirySeconds * 1000L),
                        null),
                store.writes(),
                brokerMeters,
                clock);
        store.restore().commands(commands);
        if (store.discard()) {
            log.info("nothing to restore from storage with --store discard");
        } else if (store.influxReachable().get()) {
            store.restore().fromStorage();
        }
        // Derived live topics (firmware-notes/live-topics.md) go to subscribers only.
        LiveOutlet live = new LiveOutlet() {
            @Override
            public void publish(String topic, byte[] payload, int qos, boolean retain) {
                broker.publish(
                        new BrokerMessage(topic, payload, qos, retain, MessageProperties.json(), BrokerMessage.NEVER),
                        null);
            }

            @Override
            public boolean wanted(String topic) {
                return broker.hasSubscribers(topic);
            }
        };
        return new Messaging(broker, brokerMeters, brokerState, commands, live);
    }

    /**
     * The intake and its outputs: what it derives goes to the store (typed points), to motion and to
     * the live topics; no part builds its peers.
     */
    private static Ingest wireIngest(
            CollectorConfig config, Clock clock, PrometheusMeterRegistry registry, Store store, Messaging messaging) {
        PayloadDecoder decoder = new PayloadDecoder(store.wire(), config.maxBatchSamples());
        MotionConfig motion = config.motion();
        LiveTopics live =
                new LiveTopics(messaging.live(), store.wire(), store.takes().live(), clock);
        IngestService ingest = new IngestService(
                decoder,
                store.clocks(),
                store.takes(),
                new MotionTracker(motion, store.takes().live(), live),
                live,
                config.timezone(),
                store.writes(),
                new IngestMeters(registry),
                clock);
        return new Ingest(decoder, motion, ingest);
    }

    /** Logins (shared by MQTT and HTTP), the event loops, and the MQTT listeners (plain, TLS). */
    private static Listeners openListeners(
            CollectorConfig config,
            Clock clock,
            PrometheusMeterRegistry registry,
            Messaging messaging,
            Ingest ingest,
            Deque<AutoCloseable> closeInOrder)
            throws IOException, InterruptedException {
        // PBKDF2 workers shared by MQTT and HTTP logins: a bounded queue (full: refused as busy),
        // taken fairly by address, and a LoginGate of per-address and per-user limits keep one
        // client from taking them; an address that failed lately runs one check at a time.
        LoginGate loginGate = new LoginGate(config.security().logins(), clock);
        LoginWorkers loginWorkers =
                new LoginWorkers(2, config.security().loginQueue(), loginGate::failedLately, daemon("rigtel-auth"));
        closeInOrder.push(loginWorkers::close);
        Authenticator authenticator = new Authenticator(config.credentialsFile(), loginWorkers, loginGate, clock);
        if (config.mqtt().allowAnonymous()) {
            log.warn("ANONYMOUS ACCESS IS ON: any client can publish as the rig named by its client id. "
                    + "For development only; never on a set network.");
        }
        log.info("{} users in {}", authenticator.users(), config.credentialsFile());

        EventLoopGroup boss = MqttServer.eventLoops(1);
        EventLoopGroup workers = MqttServer.eventLoops(0);
        closeInOrder.push(
                () -> workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
        closeInOrder.push(() -> boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
        MqttMeters mqttMeters = new MqttMeters(registry);
        int mqttPort = 0;
        if (config.security().plainMqtt()) {
            MqttServerInitializer plain = new MqttServerInitializer(
                    config.mqtt(),
                    authenticator,
                    ingest.service(),
                    messaging.broker(),
                    messaging.commands(),
                    mqttMeters,
                    messaging.meters(),
                    clock);
            // Closed in reverse: listeners stop accepting, then connections close, then the loops stop.
            closeInOrder.push(plain::closeConnections);
            MqttServer mqtt =
                    MqttServer.start(config.mqtt().host(), config.mqtt().port(), plain, boss, workers);
            closeInOrder.push(mqtt);
            mqttPort = mqtt.port();
        } else {
            log.info("plain MQTT is off (--mqtt-plain false): rigs connect over TLS only");
        }
        SslContext tls = config.tls() == null ? null : tlsContext(config.tls());
        int mqttsPort = 0;
        if (tls != null) {
            MqttServerInitializer secure = new MqttServerInitializer(
                    config.mqtt(),
                    authenticator,
                    ingest.service(),
                    messaging.broker(),
                    messaging.commands(),
                    mqttMeters,
                    messaging.meters(),
                    clock,
                    tls);
            closeInOrder.push(secure::closeConnections);
            MqttServer mqtts =
                    MqttServer.start(config.mqtt().host(), config.tls().mqttsPort(), secure, boss, workers);
            closeInOrder.push(mqtts);
            mqttsPort = mqtts.port();
        }
        return new Listeners(boss, workers, authenticator, mqttMeters, tls, mqttPort, mqttsPort);
    }

    /**
     * The periodic tasks (InfluxDB probe, clock eviction, ticks, broker state, $SYS, commands, disks),
     * and the disk and take gauges. Every periodic task is guarded: an exception would cancel its
     * later runs without a word.
     */
    private static Scheduled schedule(
            CollectorConfig config,
            Clock clock,
            PrometheusMeterRegistry registry,
            Store store,
            Messaging messaging,
            Ingest ingest,
            Listeners listeners,
            Deque<AutoCloseable> closeInOrder) {
        ScheduledExecutorService probe = Executors.newScheduledThreadPool(2, daemon("rigtel-scheduler"));
        closeInOrder.push(probe::shutdownNow);
        InfluxStore influx = store.influx();
        StateRestore restore = store.restore();
        if (!store.discard()) {
            probe.scheduleWithFixedDelay(
                    Periodic.guarded("InfluxDB probe", () -> {
                        store.influxReachable().set(influx.reachable());
                        if (store.influxReachable().get() && !restore.complete()) {
                            restore.fromStorage();
                        }
                    }),
                    5,
                    5,
                    TimeUnit.SECONDS);
        }
        // Memory of a collector that runs for a whole shoot: clock segments of the last day.
        probe.scheduleWithFixedDelay(
                Periodic.guarded("clock eviction", () -> store.clocks()
                        .evictBefore((clock.millis() - StateRestore.SEGMENT_HISTORY.toMillis()) * 1_000_000L)),
                10,
                10,
                TimeUnit.MINUTES);
        probe.scheduleWithFixedDelay(Periodic.guarded("ingest tick", ingest.service()::tick), 1, 1, TimeUnit.SECONDS);
        Broker broker = messaging.broker();
        probe.scheduleWithFixedDelay(Periodic.guarded("broker tick", broker::tick), 1, 1, TimeUnit.SECONDS);
        probe.scheduleWithFixedDelay(
                Periodic.guarded("broker state save", () -> {
                    if (broker.dirty() || store.faults().current().containsKey("broker-state")) {
                        saveBrokerState(broker, messaging.state(), store.faults());
                    }
                }),
                1,
                1,
                TimeUnit.SECONDS);
        String version = Collector.class.getPackage().getImplementationVersion();
        SysTopics sys =
                new SysTopics(broker, version == null ? "dev" : version, listeners.mqttMeters()::connections, clock);
        probe.scheduleWithFixedDelay(Periodic.guarded("$SYS topics", sys::tick), 0, 10, TimeUnit.SECONDS);
        ExecutorService apiExecutor = new java.util.concurrent.ThreadPoolExecutor(
                2, 2, 0, TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(256), daemon("rigtel-api"));
        closeInOrder.push(apiExecutor::shutdownNow);
        probe.scheduleWithFixedDelay(
                Periodic.guarded("commands tick", messaging.commands()::tick), 1, 1, TimeUnit.SECONDS);
        TakeHistory takes = store.takes();
        StorageWatch storageWatch = new StorageWatch(
                store.discard() ? null : influx,
                config.shoot(),
                config.influx().rawRetention(),
                config.dataDir(),
                config.spool().maxBytes(),
                store.spool()::diskBytes,
                () -> takes.firstEventNanos()
                        .map(n -> java.time.LocalDate.ofInstant(
                                java.time.Instant.ofEpochSecond(n / 1_000_000_000L), config.timezone())),
                config.timezone(),
                clock);
        StorageReports storage =
                new StorageReports(storageWatch, store.writes(), store.wire().mapper(), messaging.live());
        probe.scheduleWithFixedDelay(Periodic.guarded("storage", storage::tick), 2, 60, TimeUnit.SECONDS);
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
        shootMeters.bindRestore(restore, r -> store.discard() || r.complete() ? 1 : 0);
        return new Scheduled(storageWatch, apiExecutor);
    }

    /**
     * Consumer mode ({@code --source}): the subscription on an external MQTT broker, null without.
     * Closed before the write buffer, like the listeners: what it took in is still stored.
     */
    private static Source openSource(
            CollectorConfig config,
            Clock clock,
            PrometheusMeterRegistry registry,
            Store store,
            Ingest ingest,
            Deque<AutoCloseable> closeInOrder)
            throws IOException {
        if (config.source() == null) {
            return null;
        }
        if (config.source().cluster() != null) {
            // Cluster mode: a taken-over partition's rigs get their clock segments from the store
            // first (in --store discard there is nothing to read).
            ClusterSource[] cluster = new ClusterSource[1];
            SourceMeters meters = new SourceMeters(registry, () -> cluster[0] != null && cluster[0].healthy());
            cluster[0] = ClusterSource.start(
                    config.source(),
                    ingest.service(),
                    meters,
                    gauges -> new ClusterMeters(registry, gauges),
                    rigs -> {
                        if (!store.discard()) {
                            store.restore().reloadClocks(rigs);
                        }
                    },
                    clock);
            closeInOrder.push(cluster[0]);
            return new Source(cluster[0]::healthy, cluster[0]::json);
        }
        MqttSource[] started = new MqttSource[1];
        SourceMeters meters = new SourceMeters(registry, () -> started[0] != null && started[0].connected());
        started[0] = MqttSource.start(config.source(), ingest.service(), meters, clock);
        closeInOrder.push(started[0]);
        return new Source(started[0]::connected, null);
    }

    /**
     * The HTTP API and its listener, opened last: it serves what the parts above hold. Summaries
     * that could not be computed live are recomputed from storage on the API's workers.
     */
    private static HttpServer openHttp(
            CollectorConfig config,
            Clock clock,
            PrometheusMeterRegistry registry,
            Store store,
            Messaging messaging,
            Ingest ingest,
            Listeners listeners,
            Scheduled scheduled,
            Source source,
            Deque<AutoCloseable> closeInOrder)
            throws InterruptedException {
        StoreReads reads = store.reads();
        StorageWatch storageWatch = scheduled.storageWatch();
        ExecutorService apiExecutor = scheduled.apiExecutor();
        MotionConfig motion = ingest.motion();
        IngestService service = ingest.service();
        CollectorApi api = new CollectorApi(
                store.wire().mapper(),
                ingest.decoder(),
                service,
                store.takes(),
                store.clocks(),
                reads,
                listeners.authenticator(),
                config.timezone(),
                clock,
                motion,
                messaging.commands(),
                () -> storageWatch.last() == null ? null : StorageReports.view(storageWatch.last()),
                new ImportService(store.writes(), reads, store.takes(), motion, config.timezone()),
                new ImportMeters(registry));
        service.recomputeSummariesWith((rig, take) -> {
            try {
                apiExecutor.execute(() -> {
                    try {
                        TakeSummary summary = TakeSummaries.recompute(
                                        reads, take, take.endNanos().getAsLong(), motion, rig)
                                .get(rig);
                        if (summary != null) {
                            service.storeSummary(rig, take, summary);
                        }
                    } catch (RuntimeException e) {
                        log.warn(
                                "cannot recompute the summary of take {} for {}: {}", take.name(), rig, e.getMessage());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.warn("too busy to recompute the summary of take {} for {}", take.name(), rig);
            }
        });
        HttpMeters httpMeters = new HttpMeters(registry);
        if (config.security().openReads()) {
            log.warn(
                    "OPEN READS ARE ON (--open-reads): anyone who reaches port {} reads every take, person, "
                            + "command and meter without credentials. For a closed network only.",
                    config.httpPort());
        }
        StateRestore restore = store.restore();
        HttpServer http = HttpServer.start(
                config.httpHost(),
                config.httpPort(),
                config.http(),
                listeners.boss(),
                listeners.workers(),
                new HttpRoutes(
                        registry::scrape,
                        () -> health(
                                store.discard() ? null : store.influxReachable().get(),
                                store.discard() || restore.complete(),
                                store.buffer(),
                                storageWatch.last(),
                                store.faults().current(),
                                source == null ? null : source.connected().getAsBoolean(),
                                source == null || source.cluster() == null
                                        ? null
                                        : source.cluster().get()),
                        api::handle,
                        apiExecutor,
                        new ReadAccess(
                                listeners.authenticator(), config.security().openReads()),
                        httpMeters),
                httpMeters,
                listeners.tls());
        closeInOrder.push(http);
        return http;
    }

    /**
     * TLS 1.3, and TLS 1.2 with forward secrecy and AEAD only: ECDHE key exchange with AES-GCM or
     * ChaCha20-Poly1305 (RFC 9325 section 4.2). No RSA key exchange, no CBC, no SHA-1 MACs.
     */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static SslContext tlsContext(TlsOptions tls) throws IOException {
        try {
            return SslContextBuilder.forServer(
                            tls.certificateChain().toFile(), tls.privateKey().toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .build();
        } catch (IllegalArgumentException | javax.net.ssl.SSLException e) {
            throw new ConfigException("cannot use the TLS certificate and key: " + e.getMessage());
        }
    }

    /**
     * @param influxReachable null with {@code --store discard}, where InfluxDB is not used
     * @param restored the state kept in InfluxDB is read back ({@link StateRestore})
     * @param disks the last look at the disks, null before the first; critical degrades the health
     * @param sourceConnected null without {@code --source}; false (degraded) while away from the broker
     * @param cluster the {@code cluster} JSON object in cluster mode, else null
     */
    private static HttpRoutes.Health health(
            Boolean influxReachable,
            boolean restored,
            WriteBuffer buffer,
            StorageWatch.Reading disks,
            java.util.Map<String, Faults.Fault> faults,
            Boolean sourceConnected,
            String cluster) {
        boolean diskCritical = disks != null && disks.level() == StorageWatch.Level.CRITICAL;
        boolean healthy = (influxReachable == null || influxReachable)
                && restored
                && !buffer.overCapacity()
                && !diskCritical
                && faults.isEmpty()
                && (sourceConnected == null || sourceConnected);
        StringBuilder faultJson = new StringBuilder();
        for (java.util.Map.Entry<String, Faults.Fault> f : faults.entrySet()) {
            faultJson
                    .append(faultJson.length() == 0 ? "" : ",")
                    .append('"')
                    .append(f.getKey())
                    .append("\":{\"error\":\"")
                    .append(jsonText(f.getValue().message()))
                    .append("\",\"since\":\"")
                    .append(f.getValue().since())
                    .append("\",\"failures\":")
                    .append(f.getValue().failures())
                    .append('}');
        }
        String influx = influxReachable == null ? "discard" : influxReachable ? "reachable" : "unreachable";
        String json = "{\"status\":\"" + (healthy ? "UP" : "DEGRADED") + "\",\"influxdb\":\""
                + influx + "\",\"restored\":" + restored + ",\"buffered_points\":" + buffer.queuedPoints()
                + ",\"back_pressure\":" + buffer.overCapacity()
                + ",\"faults\":{" + faultJson + "}"
                + (sourceConnected == null ? "" : ",\"source\":\"" + (sourceConnected ? "connected" : "away") + "\"")
                + (cluster == null ? "" : ",\"cluster\":" + cluster)
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

    /** A credentials file others may read (made by hand, or under a lax umask): made owner-only, with a warning. */
    private static void restrictCredentials(java.nio.file.Path file) {
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            java.util.Set<java.nio.file.attribute.PosixFilePermission> open = java.util.EnumSet.of(
                    java.nio.file.attribute.PosixFilePermission.GROUP_READ,
                    java.nio.file.attribute.PosixFilePermission.GROUP_WRITE,
                    java.nio.file.attribute.PosixFilePermission.OTHERS_READ,
                    java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
            open.retainAll(perms);
            if (!open.isEmpty()) {
                perms.removeAll(open);
                Files.setPosixFilePermissions(file, perms);
                log.warn("credentials file {} was readable or writable by others; made it owner-only", file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            log.debug("cannot check the permissions of {}: {}", file, e.toString());
        }
    }

    /** Text safe inside a JSON string: quotes, backslashes and control characters escaped. */
    private static String jsonText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A reading's figure for a gauge: NaN before the first reading or where unknown (-1). */
    private static double figure(StorageWatch watch, java.util.function.ToLongFunction<StorageWatch.Reading> f) {
        StorageWatch.Reading r = watch.last();
        long value = r == null ? -1 : f.applyAsLong(r);
        return value < 0 ? Double.NaN : value;
    }

    /** A scheduled task whose failure is logged and does not cancel its later runs. */
    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Saves the broker's state; a failure is a fault (logged once, retried each second) until a save works. */
    private static void saveBrokerState(Broker broker, BrokerStateFile file, Faults faults) {
        try {
            file.save(broker.state());
            if (faults.ok("broker-state") != null) {
                log.info("the MQTT broker state is saved again to {}", file.path());
            }
        } catch (IOException | RuntimeException e) {
            if (faults.failed("broker-state", e)) {
                log.error(
                        "could not save the MQTT broker state to {}; retrying every second, /health is DEGRADED: {}",
                        file.path(),
                        e.toString());
            }
        }
    }
}
