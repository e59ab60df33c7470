package dev.rigtel.dashboard;

import dev.rigtel.common.http.HttpServerOptions;
import dev.rigtel.common.time.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./rigtel dashboard}: parses options, starts the dashboard, stops it on SIGINT/SIGTERM. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Runs the rigtel dashboard: live rig status and traces, and the review of a shooting day, in a browser.",
            "It follows the collector's live topics over MQTT and passes the browser's API requests to the"
                    + " collector's HTTP API."
        },
        footer = {
            "",
            "Every option can also be set in the environment as RIGTEL_DASHBOARD_<OPTION>, e.g.",
            "RIGTEL_DASHBOARD_CONTROL_TOKEN=...; better for secrets, which the process list then does not show.",
            "Access: without --access-token anyone who reaches the port can watch (a warning is logged);",
            "without --control-token slate controls and rig commands are off. Open the dashboard once with",
            "http://host:port/?token=TOKEN: the token is kept in an HttpOnly cookie."
        })
public final class DashboardMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DashboardMain.class);
    static final String ENV_PREFIX = "RIGTEL_DASHBOARD_";

    @Option(
            names = "--host",
            paramLabel = "HOST",
            defaultValue = "0.0.0.0",
            description = "HTTP listen address. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8090",
            description = "HTTP port, 0 for any free port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--collector-url",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8080",
            description =
                    "The collector's HTTP API; several collectors comma-separated, tried in this order"
                            + " (the first that answers, failing over on 502, 503 or no connection). Default: ${DEFAULT-VALUE}.")
    String collectorUrl;

    @Option(
            names = "--mqtt-url",
            paramLabel = "URL",
            defaultValue = "tcp://127.0.0.1:1883",
            description = "The collector's MQTT listener (tcp:// or ssl://); several collectors comma-separated,"
                    + " one live feed each. Default: ${DEFAULT-VALUE}.")
    String mqttUrl;

    @Option(
            names = "--collector-user",
            paramLabel = "USER",
            defaultValue = "",
            description = "The dashboard's user in the collector's credentials file: admin for slate events and"
                    + " rig commands (slate: slate events only; viewer: read only).")
    String collectorUser;

    @Option(
            names = "--collector-password",
            paramLabel = "PASSWORD",
            defaultValue = "",
            description = "Its password (better: RIGTEL_DASHBOARD_COLLECTOR_PASSWORD).")
    String collectorPassword;

    @Option(
            names = "--access-token",
            paramLabel = "TOKEN",
            defaultValue = "",
            description = "Token needed to watch and read (8+ characters of A-Z a-z 0-9 - . _ ~)."
                    + " Default: none, reading is open.")
    String accessToken;

    @Option(
            names = "--control-token",
            paramLabel = "TOKEN",
            defaultValue = "",
            description = "Token needed for slate controls and rig commands (12+ characters); it also reads."
                    + " Default: none, controls are off.")
    String controlToken;

    @Option(
            names = "--browser-queue",
            paramLabel = "MESSAGES",
            defaultValue = "512",
            description =
                    "Live messages a slow browser may have waiting before it loses traces. Default: ${DEFAULT-VALUE}.")
    int browserQueue;

    @Option(
            names = "--recent-alerts",
            paramLabel = "N",
            defaultValue = "50",
            description = "Alerts, and motion events, a newly opened page gets. Default: ${DEFAULT-VALUE}.")
    int recentAlerts;

    @Option(
            names = "--heartbeat",
            paramLabel = "DURATION",
            defaultValue = "15s",
            description = "Interval of the live stream's heartbeat. Default: ${DEFAULT-VALUE}.")
    String heartbeat;

    @Option(
            names = "--proxy-timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "Longest wait for the collector's API. Default: ${DEFAULT-VALUE}.")
    String proxyTimeout;

    @Option(
            names = "--max-proxy-response-bytes",
            paramLabel = "BYTES",
            defaultValue = "33554432",
            description = "Largest answer passed on from the collector's API. Default: ${DEFAULT-VALUE}.")
    int maxProxyResponseBytes;

    @Option(
            names = "--impact-alert-g",
            paramLabel = "G",
            defaultValue = "10",
            description = "The live page raises an alert for impacts over this many g. Default: ${DEFAULT-VALUE}.")
    double impactAlertG;

    @Option(
            names = "--stunt-impact-alert-g",
            paramLabel = "G",
            defaultValue = "15",
            description = "The impact alert threshold while a take rolled with the slate's stunt flag (a rehearsed"
                    + " fight) is rolling. Default: ${DEFAULT-VALUE}.")
    double stuntImpactAlertG;

    @Option(
            names = "--wearer-impact-alert-g",
            paramLabel = "NAME=G",
            split = ",",
            description = "A wearer's own impact alert threshold, by the name the slate assigns (repeat, or"
                    + " separate with commas): it replaces --impact-alert-g for that wearer; in a stunt take the"
                    + " higher of it and --stunt-impact-alert-g counts. Default: none.")
    Map<String, Double> wearerImpactAlertG = new LinkedHashMap<>();

    @Option(
            names = "--battery-low-percent",
            paramLabel = "PERCENT",
            defaultValue = "20",
            description = "The live page raises an alert for batteries under this. Default: ${DEFAULT-VALUE}.")
    double batteryLowPercent;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            defaultValue = "256",
            description = "Open HTTP connections above which a new one is closed at once. Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(
            names = "--max-connections-per-address",
            paramLabel = "N",
            defaultValue = "32",
            description = "Open HTTP connections from one remote address above which a new one from it is closed"
                    + " at once. Default: ${DEFAULT-VALUE}.")
    int maxConnectionsPerAddress;

    @Option(
            names = "--request-timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            description = "Longest a whole HTTP request (head and body) may take to arrive, from its first byte;"
                    + " past it: 408 and the connection is closed. Default: ${DEFAULT-VALUE}.")
    String requestTimeout;

    @Option(
            names = "--allowed-hosts",
            paramLabel = "NAMES",
            defaultValue = "",
            description = "Host names, comma-separated, that a request's Host header may name besides IP literals"
                    + " and localhost (against DNS rebinding); * allows any. Others are answered 421."
                    + " Default: none.")
    String allowedHosts;

    DashboardOptions options() {
        return DashboardOptions.builder()
                .host(host)
                .port(port)
                .collectorUrls(list(collectorUrl).stream().map(URI::create).toList())
                .mqttUrls(list(mqttUrl))
                .collectorUser(collectorUser)
                .collectorPassword(collectorPassword)
                .accessToken(accessToken)
                .controlToken(controlToken)
                .browserQueueMessages(browserQueue)
                .recentAlerts(recentAlerts)
                .heartbeat(duration("--heartbeat", heartbeat))
                .proxyTimeout(duration("--proxy-timeout", proxyTimeout))
                .maxProxyResponseBytes(maxProxyResponseBytes)
                .impactAlertG(impactAlertG)
                .stuntImpactAlertG(stuntImpactAlertG)
                .wearerImpactAlertG(wearerImpactAlertG)
                .batteryLowPercent(batteryLowPercent)
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .requestTimeout(duration("--request-timeout", requestTimeout))
                .allowedHosts(HttpServerOptions.hostNames(allowedHosts))
                .build();
    }

    /** A comma-separated list, blanks around each item trimmed; one item without a comma. */
    static java.util.List<String> list(String text) {
        return java.util.Arrays.stream(text.split(",", -1)).map(String::strip).toList();
    }

    /** {@code 250ms}, {@code 15s}, {@code 2m}, {@code 1h} (or {@code 7d}, ISO-8601): {@link Durations}. */
    static Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    option + " takes a duration such as 250ms, 15s, 2m or 1h, not '" + text + "'");
        }
    }

    @Override
    public Integer call() throws Exception {
        DashboardOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            System.err.println("rigtel dashboard: " + e.getMessage());
            return 2;
        }
        log.info("starting with {}", options);
        Dashboard.Running running = Dashboard.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("stopping");
                            running.close();
                            stopped.countDown();
                        },
                        "dashboard-shutdown"));
        stopped.await();
        return 0;
    }

    /** Reads option defaults from RIGTEL_DASHBOARD_<OPTION> in the environment. */
    static CommandLine.IDefaultValueProvider environment(Map<String, String> env) {
        return argSpec -> {
            if (argSpec instanceof CommandLine.Model.OptionSpec option) {
                String name = option.longestName().replaceFirst("^--", "");
                if (name.equals("help") || name.equals("version")) {
                    return null;
                }
                String value =
                        env.get(ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_'));
                if (value != null) {
                    return value;
                }
            }
            return argSpec.defaultValue();
        };
    }

    static CommandLine commandLine(Map<String, String> env) {
        CommandLine commandLine = new CommandLine(new DashboardMain());
        commandLine.setDefaultValueProvider(environment(env));
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }
}
