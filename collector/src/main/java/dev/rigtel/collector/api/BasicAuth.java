package dev.rigtel.collector.api;

import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.Role;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * HTTP Basic credentials of an API request, checked by the {@link Authenticator} under the same
 * login limits as MQTT (per address, per user, failures). A password that passed is remembered for
 * a few minutes, so a client sending it with every request costs one PBKDF2, not one per request.
 */
final class BasicAuth {

    /** What came of a request's credentials. */
    sealed interface Outcome {
        /** No Authorization header, not Basic, or not decodable. */
        record Missing() implements Outcome {}

        /** Wrong username or password, a reserved name, or an address refused for its failures. */
        record Wrong() implements Outcome {}

        /** Too many logins under way: try again in a moment (503). */
        record Busy() implements Outcome {}

        record Accepted(Authenticator.Result.Accepted user) implements Outcome {}
    }

    /**
     * What came of a request that needs a user of certain roles: the user, or else the answer that
     * refuses the request ({@code refusal} not null).
     */
    record Admission(Authenticator.Result.Accepted user, ApiResponse refusal) {}

    private BasicAuth() {}

    /**
     * Admits the request's user if its credentials are good and its role one of {@code roles};
     * otherwise refuses it: 503 while logins are busy, 401 with the challenge {@code needs} for
     * missing or wrong credentials, 403 for a role that may not {@code what}.
     */
    static Admission admit(
            Authenticator authenticator, ApiRequest request, String needs, String what, Set<Role> roles) {
        Outcome auth = check(authenticator, request);
        if (auth instanceof Outcome.Busy) {
            return new Admission(null, busy());
        }
        if (!(auth instanceof Outcome.Accepted ok)) {
            return new Admission(null, challenge(needs));
        }
        if (!roles.contains(ok.user().role())) {
            return new Admission(
                    null, ApiResponse.error(403, "role " + ok.user().role().label() + " may not " + what));
        }
        return new Admission(ok.user(), null);
    }

    static Outcome check(Authenticator authenticator, ApiRequest request) {
        Optional<String> header = request.authorization().filter(h -> h.regionMatches(true, 0, "Basic ", 0, 6));
        if (header.isEmpty()) {
            return new Outcome.Missing();
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(header.get().substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Outcome.Missing();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return new Outcome.Missing();
        }
        Authenticator.Result result;
        try {
            result = authenticator
                    .authenticate(
                            decoded.substring(0, colon),
                            decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
                            request.remoteAddress(),
                            () -> true)
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new Outcome.Busy();
        }
        if (result instanceof Authenticator.Result.Accepted accepted) {
            return new Outcome.Accepted(accepted);
        }
        if (result instanceof Authenticator.Result.Refused refused
                && refused.reason().equals(dev.rigtel.collector.auth.LoginGate.Refusal.BUSY.tag())) {
            return new Outcome.Busy();
        }
        return new Outcome.Wrong();
    }

    /** 401 with the challenge that makes a browser or curl ask for credentials. */
    static ApiResponse challenge(String message) {
        ApiResponse error = ApiResponse.error(401, message);
        return new ApiResponse(
                error.status(),
                error.contentType(),
                error.body(),
                java.util.Map.of("WWW-Authenticate", "Basic realm=\"rigtel\", charset=\"UTF-8\""));
    }

    /** 503 with Retry-After: the login limits refused it for now. */
    static ApiResponse busy() {
        ApiResponse error = ApiResponse.error(503, "too many logins under way from this address or for this user");
        return new ApiResponse(error.status(), error.contentType(), error.body(), java.util.Map.of("Retry-After", "1"));
    }
}
