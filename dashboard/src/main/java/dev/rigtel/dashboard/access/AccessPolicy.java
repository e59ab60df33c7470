package dev.rigtel.dashboard.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may do what, from two optional secrets:
 *
 * <ul>
 *   <li>{@code --access-token}: with it, reading (live stream, the collector's data, metrics) needs
 *       this token or the control token. Without it reading is open to anyone who reaches the
 *       port, for a private set network (the dashboard logs a warning).
 *   <li>{@code --control-token}: with it, slate events and rig commands need this token. Without
 *       it they are off for everyone: starting a camera's recording is never open.
 * </ul>
 *
 * <p>A token that matches neither is refused even where reading is open, so a mistyped link or a
 * stale cookie says so instead of quietly showing less. Tokens are compared in constant time.
 */
public final class AccessPolicy {

    /** The result of looking at a request's token. */
    public sealed interface Decision {
        record Granted(Rights rights) implements Decision {}

        record Refused(Refusal refusal) implements Decision {}
    }

    private final byte[] accessToken;
    private final byte[] controlToken;

    /**
     * @param accessToken the read token, empty for open reading
     * @param controlToken the control token, empty for no controls
     */
    public AccessPolicy(String accessToken, String controlToken) {
        this.accessToken = bytes(accessToken);
        this.controlToken = bytes(controlToken);
        if (this.accessToken != null
                && this.controlToken != null
                && MessageDigest.isEqual(this.accessToken, this.controlToken)) {
            throw new IllegalArgumentException("the access token and the control token must differ");
        }
    }

    public boolean readOpen() {
        return accessToken == null;
    }

    public boolean controlsEnabled() {
        return controlToken != null;
    }

    /** The rights a request has with this token (empty: it presented none). */
    public Decision decide(Optional<String> token) {
        if (token.isEmpty()) {
            return readOpen() ? new Decision.Granted(Rights.READ) : new Decision.Refused(Refusal.NO_TOKEN);
        }
        byte[] presented = token.get().getBytes(StandardCharsets.UTF_8);
        // Both comparisons always run, so the time taken tells nothing of which matched.
        boolean control = controlToken != null && MessageDigest.isEqual(presented, controlToken);
        boolean read = accessToken != null && MessageDigest.isEqual(presented, accessToken);
        if (control) {
            return new Decision.Granted(Rights.CONTROL);
        }
        if (read) {
            return new Decision.Granted(Rights.READ);
        }
        return new Decision.Refused(Refusal.BAD_TOKEN);
    }

    /** Why a request with these rights may not send slate events or commands, or empty if it may. */
    public Optional<Refusal> controlRefusal(Rights rights) {
        if (!controlsEnabled()) {
            return Optional.of(Refusal.CONTROLS_OFF);
        }
        return rights.canControl() ? Optional.empty() : Optional.of(Refusal.NO_CONTROL_RIGHTS);
    }

    private static byte[] bytes(String token) {
        return token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }
}
