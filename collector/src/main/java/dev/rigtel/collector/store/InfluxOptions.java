package dev.rigtel.collector.store;

import java.time.Duration;

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
 * @param gzip compress write bodies
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

    @Override
    public String toString() {
        return "InfluxOptions[url=" + url + ", database=" + database + ", retentionPolicy=" + retentionPolicy
                + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
                + ", token=" + (token.isEmpty() ? "" : "***") + ", gzip=" + gzip + ", timeout=" + timeout + "]";
    }
}
