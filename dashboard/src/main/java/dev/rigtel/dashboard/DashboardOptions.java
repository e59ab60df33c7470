package dev.rigtel.dashboard;

import dev.rigtel.common.http.HttpServerOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the dashboard needs, validated on construction. Build one with {@link #builder()},
 * whose defaults are the command line's (each setter names its default).
 *
 * @param host HTTP listen address
 * @param port HTTP port; 0 picks a free one
 * @param collectorUrl the collector's HTTP API, {@code http://host:port}; the first of {@code
 *     collectorUrls}
 * @param mqttUrl the collector's MQTT listener, {@code tcp://host:port} or {@code ssl://host:port};
 *     the first of {@code mqttUrls}
 * @param collectorUser the dashboard's user in the collector's credentials file: it reads the
 *     live topics (slate, viewer or admin) and sends slate events (slate or admin) and rig
 *     commands (admin); empty for none
 * @param collectorPassword its password
 * @param accessToken the read token; empty: reading is open
 * @param controlToken the control token; empty: slate events and commands are off
 * @param browserQueueMessages messages a slow browser may have waiting before it loses traces
 * @param recentAlerts alerts, and motion events, kept for a new browser's snapshot
 * @param heartbeat interval of the live stream's heartbeat comments
 * @param proxyTimeout the longest a request to the collector's API may take
 * @param maxProxyResponseBytes the largest answer passed on from the collector's API
 * @param impactAlertG the live page raises an alert for impacts over this, in g
 * @param batteryLowPercent the live page raises an alert for batteries under this
 * @param stuntImpactAlertG the impact alert threshold of takes rolled with the slate's stunt flag, in g
 * @param wearerImpactAlertG a wearer's own impact alert threshold in g, by the name the slate assigns
 *     (a stunt performer used to falls, a first-timer); it replaces {@code impactAlertG} for that
 *     wearer, and in a stunt take the higher of it and {@code stuntImpactAlertG} counts
 * @param http the HTTP listener's limits: connections in all and per remote address, the longest a
 *     request may take to arrive, and the host names it answers for besides IP literals and
 *     localhost
 * @param collectorUrls every collector's HTTP API, in the order the proxy tries them (several
 *     collectors of one shoot share their InfluxDB, so any healthy one answers the same); starts
 *     with {@code collectorUrl}; empty: {@code collectorUrl} alone
 * @param mqttUrls every collector's MQTT listener, one live feed each; starts with {@code
 *     mqttUrl}; empty: {@code mqttUrl} alone
 */
public record DashboardOptions(
        String host,
        int port,
        URI collectorUrl,
        String mqttUrl,
        String collectorUser,
        String collectorPassword,
        String accessToken,
        String controlToken,
        int browserQueueMessages,
        int recentAlerts,
        Duration heartbeat,
        Duration proxyTimeout,
        int maxProxyResponseBytes,
        double impactAlertG,
        double batteryLowPercent,
        HttpServerOptions http,
        double stuntImpactAlertG,
        Map<String, Double> wearerImpactAlertG,
        List<URI> collectorUrls,
        List<String> mqttUrls) {

    /** The most collectors one dashboard follows. */
    public static final int MAX_COLLECTORS = 16;

    public DashboardOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(collectorUrl, "collectorUrl");
        Objects.requireNonNull(mqttUrl, "mqttUrl");
        Objects.requireNonNull(collectorUser, "collectorUser");
        Objects.requireNonNull(collectorPassword, "collectorPassword");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(controlToken, "controlToken");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(proxyTimeout, "proxyTimeout");
        Objects.requireNonNull(http, "http");
        wearerImpactAlertG = Map.copyOf(Objects.requireNonNull(wearerImpactAlertG, "wearerImpactAlertG"));
        collectorUrls = Objects.requireNonNull(collectorUrls, "collectorUrls").isEmpty()
                ? List.of(collectorUrl)
                : List.copyOf(collectorUrls);
        mqttUrls = Objects.requireNonNull(mqttUrls, "mqttUrls").isEmpty() ? List.of(mqttUrl) : List.copyOf(mqttUrls);
        check(
                collectorUrls.get(0).equals(collectorUrl),
                "collectorUrls must start with collectorUrl " + collectorUrl + ", got " + collectorUrls);
        check(mqttUrls.get(0).equals(mqttUrl), "mqttUrls must start with mqttUrl " + mqttUrl + ", got " + mqttUrls);
        check(
                collectorUrls.size() <= MAX_COLLECTORS && mqttUrls.size() <= MAX_COLLECTORS,
                "collector-url and mqtt-url name at most " + MAX_COLLECTORS + " collectors each");
        check(
                Set.copyOf(collectorUrls).size() == collectorUrls.size(),
                "collector-url names a collector twice: " + collectorUrls);
        check(Set.copyOf(mqttUrls).size() == mqttUrls.size(), "mqtt-url names a collector twice: " + mqttUrls);
        check(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
        check(
                collectorUser.isEmpty() || !collectorPassword.isEmpty(),
                "collector-user " + collectorUser
                        + " needs its password (--collector-password or RIGTEL_DASHBOARD_COLLECTOR_PASSWORD)");
        for (URI url : collectorUrls) {
            check(
                    ("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null,
                    "collector-url must look like http://127.0.0.1:8080, got '" + url + "'");
        }
        for (String url : mqttUrls) {
            check(validMqtt(url), "mqtt-url must look like tcp://127.0.0.1:1883 or ssl://host:8883, got '" + url + "'");
        }
        check(
                accessToken.isEmpty() || accessToken.length() >= 8,
                "access-token must have at least 8 characters (it guards the data of a shoot)");
        check(
                controlToken.isEmpty() || controlToken.length() >= 12,
                "control-token must have at least 12 characters (it starts and stops cameras)");
        check(accessToken.isEmpty() || !accessToken.equals(controlToken), "access-token and control-token must differ");
        check(tokenChars(accessToken) && tokenChars(controlToken), "tokens may hold only A-Z a-z 0-9 - . _ ~");
        check(
                browserQueueMessages >= 16 && browserQueueMessages <= 100_000,
                "browser-queue must be 16..100000 messages, got " + browserQueueMessages);
        check(recentAlerts >= 0 && recentAlerts <= 10_000, "recent-alerts must be 0..10000, got " + recentAlerts);
        check(
                heartbeat.toMillis() >= 100 && heartbeat.toSeconds() <= 300,
                "heartbeat must be 100ms..300s, got " + heartbeat);
        check(
                proxyTimeout.toMillis() >= 100 && proxyTimeout.toMinutes() <= 10,
                "proxy-timeout must be 100ms..10m, got " + proxyTimeout);
        check(
                maxProxyResponseBytes >= 1024,
                "max-proxy-response-bytes must be at least 1024, got " + maxProxyResponseBytes);
        check(impactAlertG > 0 && impactAlertG <= 1000, "impact-alert-g must be over 0 and at most 1000");
        check(batteryLowPercent >= 0 && batteryLowPercent <= 100, "battery-low-percent must be 0..100");
        check(
                stuntImpactAlertG > 0 && stuntImpactAlertG <= 1000,
                "stunt-impact-alert-g must be over 0 and at most 1000");
        check(wearerImpactAlertG.size() <= 256, "wearer-impact-alert-g names at most 256 wearers");
        for (Map.Entry<String, Double> wearer : wearerImpactAlertG.entrySet()) {
            check(
                    !wearer.getKey().isBlank() && wearer.getKey().length() <= 64,
                    "wearer-impact-alert-g needs a wearer's name of 1 to 64 characters");
            check(
                    wearer.getValue() > 0 && wearer.getValue() <= 1000,
                    "wearer-impact-alert-g of " + wearer.getKey() + " must be over 0 and at most 1000");
        }
    }

    private static boolean validMqtt(String url) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() != null
                    && List.of("tcp", "ssl").contains(uri.getScheme())
                    && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Characters that survive a cookie, a query string and a header unchanged (unreserved URI characters, RFC 3986 section 2.3). */
    private static boolean tokenChars(String token) {
        return token.chars()
                .allMatch(c -> (c >= 'A' && c <= 'Z')
                        || (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9')
                        || c == '-'
                        || c == '.'
                        || c == '_'
                        || c == '~');
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The options with secrets masked, for the log. */
    @Override
    public String toString() {
        return "DashboardOptions[host=" + host + ", port=" + port + ", collectorUrls=" + collectorUrls
                + ", mqttUrls=" + mqttUrls + ", collectorUser=" + collectorUser + ", collectorPassword="
                + (collectorPassword.isEmpty() ? "" : "***") + ", accessToken=" + (accessToken.isEmpty() ? "" : "***")
                + ", controlToken=" + (controlToken.isEmpty() ? "" : "***") + ", browserQueueMessages="
                + browserQueueMessages + ", recentAlerts=" + recentAlerts + ", heartbeat=" + heartbeat
                + ", proxyTimeout=" + proxyTimeout + ", maxProxyResponseBytes=" + maxProxyResponseBytes
                + ", impactAlertG=" + impactAlertG + ", stuntImpactAlertG=" + stuntImpactAlertG
                + ", wearerImpactAlertG=" + wearerImpactAlertG + ", batteryLowPercent="
                + batteryLowPercent + ", http=" + http
                + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link DashboardOptions}; every setter's default is named in its javadoc. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8090;
        private List<URI> collectorUrls = List.of(URI.create("http://127.0.0.1:8080"));
        private List<String> mqttUrls = List.of("tcp://127.0.0.1:1883");
        private String collectorUser = "";
        private String collectorPassword = "";
        private String accessToken = "";
        private String controlToken = "";
        private int browserQueueMessages = 512;
        private int recentAlerts = 50;
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration proxyTimeout = Duration.ofSeconds(30);
        private int maxProxyResponseBytes = 32 * 1024 * 1024;
        private double impactAlertG = 10;
        private double batteryLowPercent = 20;
        private double stuntImpactAlertG = 15;
        private Map<String, Double> wearerImpactAlertG = Map.of();
        private int maxConnections = HttpServerOptions.DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = HttpServerOptions.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private Duration requestTimeout = HttpServerOptions.DEFAULT_REQUEST_TIMEOUT;
        private Set<String> allowedHosts = Set.of();

        private Builder() {}

        /** Default {@code 0.0.0.0}. */
        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /** Default 8090. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Default {@code http://127.0.0.1:8080}. One collector; replaces {@link #collectorUrls}. */
        public Builder collectorUrl(URI value) {
            this.collectorUrls = java.util.Collections.singletonList(value);
            return this;
        }

        /** Default {@code tcp://127.0.0.1:1883}. One collector; replaces {@link #mqttUrls}. */
        public Builder mqttUrl(String value) {
            this.mqttUrls = java.util.Collections.singletonList(value);
            return this;
        }

        /**
         * Default the one of {@link #collectorUrl}: several collectors' HTTP APIs, tried in this
         * order (at least one, at most {@value DashboardOptions#MAX_COLLECTORS}).
         */
        public Builder collectorUrls(List<URI> value) {
            this.collectorUrls = value;
            return this;
        }

        /**
         * Default the one of {@link #mqttUrl}: several collectors' MQTT listeners, one live feed
         * each (at least one, at most {@value DashboardOptions#MAX_COLLECTORS}).
         */
        public Builder mqttUrls(List<String> value) {
            this.mqttUrls = value;
            return this;
        }

        /** Default empty (none). */
        public Builder collectorUser(String value) {
            this.collectorUser = value;
            return this;
        }

        /** Default empty. */
        public Builder collectorPassword(String value) {
            this.collectorPassword = value;
            return this;
        }

        /** Default empty: reading is open. */
        public Builder accessToken(String value) {
            this.accessToken = value;
            return this;
        }

        /** Default empty: no slate controls or commands. */
        public Builder controlToken(String value) {
            this.controlToken = value;
            return this;
        }

        /** Default 512 messages. */
        public Builder browserQueueMessages(int value) {
            this.browserQueueMessages = value;
            return this;
        }

        /** Default 50. */
        public Builder recentAlerts(int value) {
            this.recentAlerts = value;
            return this;
        }

        /** Default 15 s. */
        public Builder heartbeat(Duration value) {
            this.heartbeat = value;
            return this;
        }

        /** Default 30 s. */
        public Builder proxyTimeout(Duration value) {
            this.proxyTimeout = value;
            return this;
        }

        /** Default 32 MiB. */
        public Builder maxProxyResponseBytes(int value) {
            this.maxProxyResponseBytes = value;
            return this;
        }

        /** Default 10 g. */
        public Builder impactAlertG(double value) {
            this.impactAlertG = value;
            return this;
        }

        /** Default 20 %. */
        public Builder stuntImpactAlertG(double value) {
            this.stuntImpactAlertG = value;
            return this;
        }

        /** Default none: every wearer alerts at the same threshold. */
        public Builder wearerImpactAlertG(Map<String, Double> value) {
            this.wearerImpactAlertG = value;
            return this;
        }

        public Builder batteryLowPercent(double value) {
            this.batteryLowPercent = value;
            return this;
        }

        /** Default 256. */
        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        /** Default 32. */
        public Builder maxConnectionsPerAddress(int value) {
            this.maxConnectionsPerAddress = value;
            return this;
        }

        /** Default 10 s. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /** Default none: IP literals and {@code localhost} only; {@code *} allows any name. */
        public Builder allowedHosts(Set<String> value) {
            this.allowedHosts = value;
            return this;
        }

        public DashboardOptions build() {
            check(!collectorUrls.isEmpty(), "collector-url must name at least one collector");
            check(!mqttUrls.isEmpty(), "mqtt-url must name at least one collector");
            return new DashboardOptions(
                    host,
                    port,
                    collectorUrls.get(0),
                    mqttUrls.get(0),
                    collectorUser,
                    collectorPassword,
                    accessToken,
                    controlToken,
                    browserQueueMessages,
                    recentAlerts,
                    heartbeat,
                    proxyTimeout,
                    maxProxyResponseBytes,
                    impactAlertG,
                    batteryLowPercent,
                    new HttpServerOptions(maxConnections, maxConnectionsPerAddress, requestTimeout, allowedHosts),
                    stuntImpactAlertG,
                    wearerImpactAlertG,
                    collectorUrls,
                    mqttUrls);
        }
    }
}
