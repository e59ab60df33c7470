package dev.rigtel.collector.store;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * How to reach InfluxDB through its v1 HTTP API ({@code /write}, {@code /query}), which 1.x serves
 * natively and 2.x and 3.x through their v1 compatibility endpoints.
 *
 * @param url e.g. {@code http://127.0.0.1:8086}
 * @param database the v1 database (2.x: a DBRP mapping to a bucket; 3.x: the database)
 * @param retentionPolicy where every point but raw IMU samples goes; empty for the database's default
 * @param rawRetentionPolicy where raw IMU samples ({@code imu}) go, so that they can be kept for less
 *     time than the rollups, events, summaries and slate events of the whole shoot
 * @param rawRetention how long InfluxDB keeps raw samples; {@link Duration#ZERO} keeps them for good
 * @param username v1 user (2.x: any name with a token as password); empty for none
 * @param password v1 password; never logged
 * @param token sent as {@code Authorization: Token ...} (2.x, 3.x); empty for none; never logged
 * @param gzip compress write bodies (see {@link #gzipFor})
 * @param timeout connect, read and write timeout of one request
 */
public record InfluxOptions(
        String url,
        String database,
        String retentionPolicy,
        String rawRetentionPolicy,
        Duration rawRetention,
        String username,
        String password,
        String token,
        boolean gzip,
        Duration timeout) {

    /** The default name of the raw samples' retention policy ({@code --influx-raw-rp}). */
    public static final String DEFAULT_RAW_RETENTION_POLICY = "raw";

    public InfluxOptions {
        if (rawRetentionPolicy == null || rawRetentionPolicy.isBlank()) {
            throw new IllegalArgumentException("the raw samples' retention policy needs a name");
        }
        if (rawRetentionPolicy.equals(retentionPolicy)) {
            throw new IllegalArgumentException(
                    "raw samples need a retention policy of their own, not '" + retentionPolicy + "' (--influx-rp)");
        }
        if (rawRetention.isNegative() || (!rawRetention.isZero() && rawRetention.compareTo(Duration.ofHours(1)) < 0)) {
            throw new IllegalArgumentException(
                    "--raw-retention must be keep (0) or at least 1h, InfluxDB's shortest, not " + rawRetention);
        }
    }

    /** Plain options for {@code url} and {@code database}: default policies, raw samples kept, no credentials. */
    public static InfluxOptions of(String url, String database, boolean gzip, Duration timeout) {
        return new InfluxOptions(
                url, database, "", DEFAULT_RAW_RETENTION_POLICY, Duration.ZERO, "", "", "", gzip, timeout);
    }

    /**
     * Whether to gzip write bodies: {@code true}, {@code false}, or {@code auto}, which compresses
     * unless {@code url}'s host is this machine (a loopback name or address). Compression pays on a
     * network; on loopback it only costs CPU on both sides, the collector's deflate and InfluxDB's
     * inflate, which share the machine (./rigtel bench: InfluxDB stored about a fifth more points per
     * second of its CPU from plain bodies than from gzipped ones).
     *
     * @throws IllegalArgumentException for another setting
     */
    public static boolean gzipFor(String setting, String url) {
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> !loopback(url);
            default ->
                throw new IllegalArgumentException("--influx-gzip must be auto, true or false, not '" + setting + "'");
        };
    }

    /** True if {@code url}'s host is {@code localhost} or a loopback address literal; never resolves names. */
    static boolean loopback(String url) {
        String host;
        try {
            host = URI.create(url.trim()).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost") || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
            return true;
        }
        if (!bare.contains(":") && !bare.matches("[0-9.]+")) {
            return false;
        }
        try {
            // A literal address: parsed, not looked up.
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "InfluxOptions[url=" + url + ", database=" + database + ", retentionPolicy=" + retentionPolicy
                + ", rawRetentionPolicy=" + rawRetentionPolicy + ", rawRetention="
                + (rawRetention.isZero() ? "keep" : rawRetention)
                + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
                + ", token=" + (token.isEmpty() ? "" : "***") + ", gzip=" + gzip + ", timeout=" + timeout + "]";
    }
}
