package dev.rigtel.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.dashboard.access.AccessPolicy;
import dev.rigtel.dashboard.access.RefusalLog;
import dev.rigtel.dashboard.api.ApiProxy;
import dev.rigtel.dashboard.http.DashboardInitializer;
import dev.rigtel.dashboard.http.DashboardServer;
import dev.rigtel.dashboard.http.HttpRoutes;
import dev.rigtel.dashboard.http.StaticFiles;
import dev.rigtel.dashboard.live.LiveFeed;
import dev.rigtel.dashboard.live.LiveHub;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's composition root: builds every part by hand and wires them.
 *
 * <pre>
 * collector MQTT --rigtel/v1/live/#--> LiveFeed (Paho), one per collector --> LiveHub --> EventStream per browser (SSE)
 * browser --HTTP--> HttpRoutes --> StaticFiles (web/), /live/stream, /session, /health, /metrics
 *                              \-> ApiProxy --java.net.http--> collector HTTP API
 * </pre>
 */
public final class Dashboard {

    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    private Dashboard() {}

    /** A running dashboard; {@link #close()} stops it. */
    public static final class Running implements AutoCloseable {
        private final DashboardServer server;
        private final List<LiveFeed> feeds;
        private final LiveHub hub;
        private final EventLoopGroup boss;
        private final EventLoopGroup workers;
        private final ExecutorService proxyExecutor;
        private final PrometheusMeterRegistry registry;
        private final DashboardMeters meters;

        private Running(
                DashboardServer server,
                List<LiveFeed> feeds,
                LiveHub hub,
                EventLoopGroup boss,
                EventLoopGroup workers,
                ExecutorService proxyExecutor,
                PrometheusMeterRegistry registry,
                DashboardMeters meters) {
            this.server = server;
            this.feeds = feeds;
            this.hub = hub;
            this.boss = boss;
            this.workers = workers;
            this.proxyExecutor = proxyExecutor;
            this.registry = registry;
            this.meters = meters;
        }

        /** The HTTP port (the chosen one when the options said 0). */
        public int port() {
            return server.port();
        }

        public LiveHub hub() {
            return hub;
        }

        public DashboardMeters meters() {
            return meters;
        }

        @Override
        public void close() {
            feeds.forEach(LiveFeed::close);
            server.close();
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            proxyExecutor.shutdownNow();
            registry.close();
        }
    }

    public static Running start(DashboardOptions options) throws InterruptedException {
        return start(options, Clock.systemUTC());
    }

    public static Running start(DashboardOptions options, Clock clock) throws InterruptedException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        DashboardMeters meters = new DashboardMeters(registry);
        ObjectMapper json = new ObjectMapper();

        AccessPolicy policy = new AccessPolicy(options.accessToken(), options.controlToken());
        warnAboutAccess(options, policy);
        LiveHub hub = new LiveHub(json, meters, clock, options.recentAlerts());
        meters.bindGauges(hub::subscribers, () -> hub.feedConnected() ? 1 : 0);

        // The HTTP client's own threads: completing a future here never runs on an event loop.
        ExecutorService proxyExecutor = Executors.newFixedThreadPool(2, daemonThreads("collector-api"));
        ApiProxy proxy = new ApiProxy(
                options.collectorUrls(),
                options.collectorUser(),
                options.collectorPassword(),
                options.proxyTimeout(),
                options.maxProxyResponseBytes(),
                meters,
                proxyExecutor);
        HttpRoutes routes = new HttpRoutes(
                StaticFiles.load("web"),
                policy,
                new RefusalLog(meters, clock),
                proxy,
                hub,
                meters,
                registry,
                json,
                new HttpRoutes.Settings(
                        options.browserQueueMessages(),
                        options.heartbeat(),
                        options.impactAlertG(),
                        options.batteryLowPercent(),
                        options.stuntImpactAlertG(),
                        options.wearerImpactAlertG()));

        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        DashboardServer server;
        try {
            server = DashboardServer.start(
                    options.host(),
                    options.port(),
                    boss,
                    workers,
                    new DashboardInitializer(routes, meters, options.http(), clock));
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            proxyExecutor.shutdownNow();
            throw e;
        }
        // One feed per collector, each with its own connection and retries, all into the one hub.
        List<LiveFeed> feeds = new ArrayList<>();
        for (String mqttUrl : options.mqttUrls()) {
            try {
                feeds.add(LiveFeed.open(mqttUrl, options.collectorUser(), options.collectorPassword(), hub, meters));
            } catch (MqttException e) {
                feeds.forEach(LiveFeed::close);
                server.close();
                boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                proxyExecutor.shutdownNow();
                throw new IllegalArgumentException("cannot create an MQTT client for " + mqttUrl + ": " + e, e);
            }
        }
        return new Running(server, List.copyOf(feeds), hub, boss, workers, proxyExecutor, registry, meters);
    }

    private static void warnAboutAccess(DashboardOptions options, AccessPolicy policy) {
        if (policy.readOpen()) {
            log.warn(
                    "no --access-token: anyone who reaches {}:{} can watch the live feed and read the shoot's data;"
                            + " fine on a closed set network, otherwise set --access-token",
                    options.host(),
                    options.port());
        }
        if (!policy.controlsEnabled()) {
            log.info("no --control-token: slate controls and rig commands are off");
        }
        if (options.collectorUser().isEmpty()) {
            log.warn("no --collector-user: the collector will refuse the live feed unless it allows anonymous access");
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
