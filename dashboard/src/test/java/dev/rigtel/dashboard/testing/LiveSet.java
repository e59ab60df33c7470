package dev.rigtel.dashboard.testing;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.dashboard.Dashboard;
import dev.rigtel.dashboard.DashboardOptions;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.Simulator;
import dev.rigtel.simulator.SimulatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Everything the dashboard works with, for integration tests, browser tests and the latency
 * bench: a real InfluxDB, a real collector on free ports (rigs rig-01.. with passwords pw-01..,
 * one more than are simulated,
 * the dashboard's admin user {@value #DASHBOARD_USER}, a slate user), simulated rigs publishing
 * (optionally playing a scripted shooting day) and a dashboard on a free port. {@link #close()}
 * stops them all, in reverse order.
 */
public final class LiveSet implements AutoCloseable {

    public static final String DASHBOARD_USER = "dashboard";
    public static final String DASHBOARD_PASSWORD = "dash-pass";

    /** HTTP Basic of the dashboard's collector user: the collector's reads need a user. */
    public static final String COLLECTOR_AUTHORIZATION = "Basic "
            + java.util.Base64.getEncoder()
                    .encodeToString((DASHBOARD_USER + ":" + DASHBOARD_PASSWORD)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));

    public static final String SLATE_USER = "slate-sim";
    public static final String SLATE_PASSWORD = "clap";
    public static final String ACCESS_TOKEN = "read-token-1234";
    public static final String CONTROL_TOKEN = "control-token-5678";

    private final Path dir;
    private final InfluxdbServer influx;
    private final Collector.Running collector;
    private final Dashboard.Running dashboard;
    private final Simulator simulator;
    private final CompletableFuture<SimulationSummary> simulation;

    private LiveSet(
            Path dir,
            InfluxdbServer influx,
            Collector.Running collector,
            Dashboard.Running dashboard,
            Simulator simulator,
            CompletableFuture<SimulationSummary> simulation) {
        this.dir = dir;
        this.influx = influx;
        this.collector = collector;
        this.dashboard = dashboard;
        this.simulator = simulator;
        this.simulation = simulation;
    }

    /**
     * Starts everything.
     *
     * @param simulation the simulator's options, given a builder already pointed at the collector
     *     with the test rigs' credentials and the slate user; return null to run no rigs
     * @param dashboardOptions the dashboard's options, given a builder already pointed at the
     *     collector with the dashboard's user, on a free port, with {@link #ACCESS_TOKEN} and
     *     {@link #CONTROL_TOKEN}
     */
    public static LiveSet start(
            int rigs,
            UnaryOperator<SimulatorOptions.Builder> simulation,
            UnaryOperator<DashboardOptions.Builder> dashboardOptions)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("rigtel-dashboard-it-");
        InfluxdbServer influx = null;
        Collector.Running collector = null;
        Dashboard.Running dashboard = null;
        try {
            influx = InfluxdbServer.start();
            // One spare rig beyond the simulated ones, for tests that play a rig by hand.
            Path credentials = TestCollector.credentials(dir, rigs + 1);
            TestCollector.addUser(credentials, DASHBOARD_USER, Role.ADMIN, DASHBOARD_PASSWORD);
            TestCollector.addUser(credentials, SLATE_USER, Role.SLATE, SLATE_PASSWORD);
            collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());
            dashboard = Dashboard.start(
                    dashboardOptions.apply(dashboardOptions(collector)).build());
            SimulatorOptions.Builder simulatorBuilder = SimulatorOptions.builder()
                    .brokerUri("tcp://127.0.0.1:" + collector.mqttPort())
                    .rigs(rigs)
                    .usernamePattern("rig-{n}")
                    .passwordPattern("pw-{n}")
                    .slateUsername(SLATE_USER)
                    .slatePassword(SLATE_PASSWORD);
            SimulatorOptions.Builder configured = simulation.apply(simulatorBuilder);
            Simulator simulator = null;
            CompletableFuture<SimulationSummary> run = CompletableFuture.completedFuture(null);
            if (configured != null) {
                simulator = new Simulator(configured.build(), Clock.systemUTC());
                Simulator started = simulator;
                run = CompletableFuture.supplyAsync(() -> {
                    try {
                        return started.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                });
            }
            return new LiveSet(dir, influx, collector, dashboard, simulator, run);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (dashboard != null) {
                dashboard.close();
            }
            if (collector != null) {
                collector.close();
            }
            if (influx != null) {
                influx.close();
            }
            deleteRecursively(dir);
            throw e;
        }
    }

    /** A dashboard builder pointed at this collector, as {@link #start} gives it. */
    public static DashboardOptions.Builder dashboardOptions(Collector.Running collector) {
        return DashboardOptions.builder()
                .host("127.0.0.1")
                .port(0)
                .collectorUrl(URI.create("http://127.0.0.1:" + collector.httpPort()))
                .mqttUrl("tcp://127.0.0.1:" + collector.mqttPort())
                .collectorUser(DASHBOARD_USER)
                .collectorPassword(DASHBOARD_PASSWORD)
                .accessToken(ACCESS_TOKEN)
                .controlToken(CONTROL_TOKEN);
    }

    public Collector.Running collector() {
        return collector;
    }

    public Dashboard.Running dashboard() {
        return dashboard;
    }

    public InfluxdbServer influx() {
        return influx;
    }

    /** The simulator, or null if none runs. */
    public Simulator simulator() {
        return simulator;
    }

    /** Completes when the simulation is over (never, for a run without end, until close). */
    public CompletableFuture<SimulationSummary> simulation() {
        return simulation;
    }

    /** The dashboard's URL of a path such as {@code /} or {@code /api/rigs}. */
    public String url(String path) {
        return "http://127.0.0.1:" + dashboard.port() + path;
    }

    /** The collector's HTTP URL of a path. */
    public String collectorUrl(String path) {
        return "http://127.0.0.1:" + collector.httpPort() + path;
    }

    @Override
    public void close() {
        if (simulator != null) {
            simulator.close();
        }
        try {
            simulation.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // Stopped anyway; the run's outcome is the tests' business.
        }
        dashboard.close();
        collector.close();
        influx.close();
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    /** How long to wait for something the live feed should show "within seconds". */
    public static final Duration SECONDS_TO_SHOW = Duration.ofSeconds(20);
}
