package dev.rigtel.collector.config;

import dev.rigtel.collector.auth.LoginGate;
import java.time.Duration;

/**
 * Limits that keep one client or one address from taking what every rig needs, and how open the
 * collector is (collector README, "Security").
 *
 * @param logins who may start a password check ({@code --max-logins-per-address}, {@code
 *     --max-logins-per-user}, {@code --max-login-failures})
 * @param loginQueue password checks that may wait for the two PBKDF2 workers; beyond it a login is
 *     refused as busy
 * @param openReads {@code --open-reads}: the HTTP API's reads and {@code /metrics} without
 *     credentials (logged as a warning); off, they need a user with role viewer, slate or admin
 * @param plainMqtt {@code --mqtt-plain}: the plain MQTT listener; off leaves only MQTT over TLS
 */
public record SecurityOptions(LoginGate.Options logins, int loginQueue, boolean openReads, boolean plainMqtt) {

    public static final SecurityOptions DEFAULTS = new SecurityOptions(LoginGate.Options.DEFAULTS, 64, false, true);

    public SecurityOptions {
        if (loginQueue < 1 || loginQueue > 10_000) {
            throw new ConfigException("the login queue must be 1..10000, not " + loginQueue);
        }
    }

    /** These options with the API's reads and /metrics open or not. */
    public SecurityOptions withOpenReads(boolean open) {
        return new SecurityOptions(logins, loginQueue, open, plainMqtt);
    }

    /** The refill of one failed login, for --help. */
    public static Duration failureRefill() {
        return LoginGate.Options.DEFAULTS.failureRefill();
    }
}
