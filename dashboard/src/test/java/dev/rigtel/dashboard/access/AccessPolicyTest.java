package dev.rigtel.dashboard.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private static final String READ = "read-token-1";
    private static final String CONTROL = "control-token-1";

    private static AccessPolicy.Decision granted(Rights rights) {
        return new AccessPolicy.Decision.Granted(rights);
    }

    private static AccessPolicy.Decision refused(Refusal refusal) {
        return new AccessPolicy.Decision.Refused(refusal);
    }

    @Test
    void withoutTokensReadingIsOpenAndControlsAreOff() {
        AccessPolicy open = new AccessPolicy("", "");

        assertThat(open.decide(Optional.empty())).isEqualTo(granted(Rights.READ));
        assertThat(open.controlRefusal(Rights.READ)).contains(Refusal.CONTROLS_OFF);
        assertThat(open.readOpen()).isTrue();
        assertThat(open.controlsEnabled()).isFalse();
    }

    @Test
    void withAnAccessTokenReadingNeedsIt() {
        AccessPolicy policy = new AccessPolicy(READ, CONTROL);

        assertThat(policy.decide(Optional.empty())).isEqualTo(refused(Refusal.NO_TOKEN));
        assertThat(policy.decide(Optional.of(READ))).isEqualTo(granted(Rights.READ));
        assertThat(policy.decide(Optional.of(CONTROL))).isEqualTo(granted(Rights.CONTROL));
    }

    @Test
    void theControlTokenAloneGivesControlWhileReadingStaysOpen() {
        AccessPolicy policy = new AccessPolicy("", CONTROL);

        assertThat(policy.decide(Optional.empty())).isEqualTo(granted(Rights.READ));
        assertThat(policy.decide(Optional.of(CONTROL))).isEqualTo(granted(Rights.CONTROL));
        assertThat(policy.controlRefusal(Rights.READ)).contains(Refusal.NO_CONTROL_RIGHTS);
        assertThat(policy.controlRefusal(Rights.CONTROL)).isEmpty();
    }

    @Test
    void aWrongTokenIsRefusedEvenWhereReadingIsOpen() {
        assertThat(new AccessPolicy("", CONTROL).decide(Optional.of("guess"))).isEqualTo(refused(Refusal.BAD_TOKEN));
        assertThat(new AccessPolicy(READ, CONTROL).decide(Optional.of(READ + "x")))
                .isEqualTo(refused(Refusal.BAD_TOKEN));
        assertThat(new AccessPolicy("", "").decide(Optional.of("anything"))).isEqualTo(refused(Refusal.BAD_TOKEN));
    }

    @Test
    void refusesTheSameTokenForReadingAndControl() {
        assertThatThrownBy(() -> new AccessPolicy(CONTROL, CONTROL)).isInstanceOf(IllegalArgumentException.class);
    }
}
