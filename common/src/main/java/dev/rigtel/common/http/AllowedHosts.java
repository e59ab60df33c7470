package dev.rigtel.common.http;

import io.netty.util.NetUtil;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} a request may name (RFC 9110 section 7.2), against DNS rebinding: a page of
 * another site that makes its own name resolve to this server (or to 127.0.0.1) gets its requests
 * here, with its own name in {@code Host}. Allowed: an IP literal (IPv4, or IPv6 in brackets), which
 * no rebinding page can use; {@code localhost}; the names given ({@code --allowed-hosts}, the
 * collector's {@code --http-allowed-hosts}); any name with {@code *}. The port is not looked at. Nothing is ever resolved.
 */
public final class AllowedHosts {

    /** What a {@code Host} value is worth. */
    public enum Verdict {
        ALLOWED,
        /** A well-formed name this server does not answer for: 421. */
        UNKNOWN,
        /** Not a host (and port) at all: 400. */
        MALFORMED
    }

    private final Set<String> names;
    private final boolean anyName;

    /** @param names lower-case host names, or {@code *} for any */
    public AllowedHosts(Set<String> names) {
        this.names = Set.copyOf(names);
        this.anyName = names.contains(HttpServerOptions.ANY_HOST);
    }

    /** @param host a {@code Host} value or the authority of an absolute request target */
    public Verdict check(String host) {
        String h = host.trim();
        if (h.isEmpty()) {
            return Verdict.MALFORMED;
        }
        String name;
        String port;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0 || !NetUtil.isValidIpV6Address(h.substring(1, close))) {
                return Verdict.MALFORMED;
            }
            port = h.substring(close + 1);
            if (!port.isEmpty() && !port.startsWith(":")) {
                return Verdict.MALFORMED;
            }
            return validPort(port.isEmpty() ? "" : port.substring(1)) ? Verdict.ALLOWED : Verdict.MALFORMED;
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            name = h.substring(0, colon);
            port = h.substring(colon + 1);
            if (!validPort(port)) {
                return Verdict.MALFORMED;
            }
        } else {
            name = h;
        }
        if (NetUtil.isValidIpV4Address(name)) {
            return Verdict.ALLOWED;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        if (!hostName(lower)) {
            return Verdict.MALFORMED;
        }
        return lower.equals("localhost") || anyName || names.contains(lower) ? Verdict.ALLOWED : Verdict.UNKNOWN;
    }

    /** Letters, digits, {@code - _ .}; no empty label. */
    private static boolean hostName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Empty (a bare colon is allowed, RFC 3986 section 3.2.3) or up to five digits. */
    private static boolean validPort(String port) {
        if (port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
