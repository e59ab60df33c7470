package dev.rigtel.collector.api;

import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.Role;
import java.util.Optional;

/**
 * Who may read the HTTP API ({@code GET /api/...}) and {@code /metrics}: by default a user with role
 * viewer, slate or admin (HTTP Basic); a rig's account reads nothing (403), an import account only
 * its clips' progress ({@code /api/import/{clip}}). {@code --open-reads}
 * lets anyone read, for a closed network, and the collector logs a warning at start. {@code
 * /health} is always open: it says UP or DEGRADED, and why, but no production data.
 */
public final class ReadAccess {

    /** What an import account may read: its clips' progress. */
    static final String IMPORT_PATH = "/api/import/";

    private final Authenticator authenticator;
    private final boolean open;

    public ReadAccess(Authenticator authenticator, boolean open) {
        this.authenticator = authenticator;
        this.open = open;
    }

    /** Everyone may read. */
    public static ReadAccess open() {
        return new ReadAccess(null, true);
    }

    /** True with {@code --open-reads}: nothing to check. */
    public boolean isOpen() {
        return open;
    }

    /**
     * Why this read is refused, or empty if it may go on. May wait for a password check: call it off
     * the event loop.
     */
    public Optional<ApiResponse> refusal(ApiRequest request) {
        if (open) {
            return Optional.empty();
        }
        BasicAuth.Outcome outcome = BasicAuth.check(authenticator, request);
        if (outcome instanceof BasicAuth.Outcome.Accepted accepted) {
            Role role = accepted.user().role();
            if (role == Role.RIG) {
                return Optional.of(ApiResponse.error(403, "role rig may not read the API; use a viewer user"));
            }
            // A DIT cart's import account asks how far its clips got, nothing else: it reads no
            // takes, people or meters.
            if (role == Role.IMPORT && !request.path().startsWith(IMPORT_PATH)) {
                return Optional.of(
                        ApiResponse.error(403, "role import reads only " + IMPORT_PATH + "{clip}; use a viewer user"));
            }
            return Optional.empty();
        }
        if (outcome instanceof BasicAuth.Outcome.Busy) {
            return Optional.of(BasicAuth.busy());
        }
        return Optional.of(BasicAuth.challenge(
                outcome instanceof BasicAuth.Outcome.Missing
                        ? "reading needs HTTP Basic credentials of a viewer, slate or admin user"
                        : "wrong username or password"));
    }
}
