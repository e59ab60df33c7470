package dev.rigtel.common.http;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Limits of an HTTP listener (the collector's, the dashboard's), validated; the address and port are
 * each side's own options.
 *
 * <p>The messages of a refused value name the option as the command line spells it. The canonical
 * constructor and {@link #hostNames(String)} name them without a prefix ({@code max-connections},
 * as the dashboard does); a listener whose options carry one (the collector's {@code
 * --http-max-connections}) validates through {@link #of(String, int, int, Duration, Set)} and
 * {@link #hostNames(String, String)}.
 *
 * @param maxConnections open HTTP connections above which a new one is closed at once
 * @param maxConnectionsPerAddress open HTTP connections from one remote address above which a new
 *     one from it is closed at once
 * @param requestTimeout the longest a whole request (head and body) may take to arrive, from its
 *     first byte; past it the request is answered 408 and the connection closed. Not reset by each
 *     byte, so a client trickling bytes cannot hold a connection
 * @param allowedHosts host names, lower case, besides IP literals and {@code localhost}, that a
 *     request's {@code Host} may name; {@code *} allows any name. Empty: literals and localhost only
 */
public record HttpServerOptions(
        int maxConnections, int maxConnectionsPerAddress, Duration requestTimeout, Set<String> allowedHosts) {

    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 32;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Any host name: the {@code Host} check is off for names (IP literals always pass). */
    public static final String ANY_HOST = "*";

    /**
     * A host name as RFC 1123 allows it (letters, digits, hyphens, dots; also {@code _}, which Docker
     * service names may hold), already in lower case.
     */
    private static final Pattern HOST_NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

    /** The documented defaults. */
    public static final HttpServerOptions DEFAULTS = new HttpServerOptions(
            DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_REQUEST_TIMEOUT, Set.of());

    /** No host names allowed besides IP literals and {@code localhost}. */
    public HttpServerOptions(int maxConnections, int maxConnectionsPerAddress, Duration requestTimeout) {
        this(maxConnections, maxConnectionsPerAddress, requestTimeout, Set.of());
    }

    public HttpServerOptions {
        allowedHosts = Set.copyOf(allowedHosts);
        validate("", maxConnections, maxConnectionsPerAddress, requestTimeout, allowedHosts);
    }

    /**
     * Options whose refused values are named with {@code optionPrefix} before each option name
     * ({@code "http-"}: {@code http-max-connections must be at least 1}).
     *
     * @throws IllegalArgumentException for a value out of range
     */
    public static HttpServerOptions of(
            String optionPrefix,
            int maxConnections,
            int maxConnectionsPerAddress,
            Duration requestTimeout,
            Set<String> allowedHosts) {
        validate(optionPrefix, maxConnections, maxConnectionsPerAddress, requestTimeout, allowedHosts);
        return new HttpServerOptions(maxConnections, maxConnectionsPerAddress, requestTimeout, allowedHosts);
    }

    private static void validate(
            String optionPrefix,
            int maxConnections,
            int maxConnectionsPerAddress,
            Duration requestTimeout,
            Set<String> allowedHosts) {
        for (String name : allowedHosts) {
            if (!name.equals(ANY_HOST) && !HOST_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("allowed hosts are lower-case host names or *, not '" + name + "'");
            }
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException(
                    optionPrefix + "max-connections must be at least 1, got " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException(
                    optionPrefix + "max-connections-per-address must be at least 1, got " + maxConnectionsPerAddress);
        }
        if (requestTimeout == null
                || requestTimeout.toMillis() < 100
                || requestTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException(
                    optionPrefix + "request-timeout must be 100ms..10m, got " + requestTimeout);
        }
    }

    /**
     * The host names of a comma-separated list ({@code --allowed-hosts rigtel.local,*}): trimmed, in
     * lower case, a trailing dot dropped, empty entries left out.
     *
     * @throws IllegalArgumentException for an entry that is not a host name or {@code *}
     */
    public static Set<String> hostNames(String commaSeparated) {
        return hostNames("", commaSeparated);
    }

    /**
     * {@link #hostNames(String)}, a refused entry named with {@code optionPrefix} before the option
     * ({@code "http-"}: {@code http-allowed-hosts takes host names ...}).
     */
    public static Set<String> hostNames(String optionPrefix, String commaSeparated) {
        Set<String> names = new LinkedHashSet<>();
        for (String entry : commaSeparated.split(",")) {
            String name = entry.trim().toLowerCase(Locale.ROOT);
            if (name.endsWith(".") && name.length() > 1) {
                name = name.substring(0, name.length() - 1);
            }
            if (name.isEmpty()) {
                continue;
            }
            if (!name.equals(ANY_HOST) && !HOST_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(optionPrefix
                        + "allowed-hosts takes host names or *, comma-separated, not '" + entry.trim() + "'");
            }
            names.add(name);
        }
        return names;
    }
}
