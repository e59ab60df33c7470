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
 * @param retentionPolicy empty for the database's default
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
        String username,
        String password,
        String token,
        boolean gzip,
        Duration timeout) {

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
                + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
                + ", token=" + (token.isEmpty() ? "" : "***") + ", gzip=" + gzip + ", timeout=" + timeout + "]";
    }
}
