package dev.rigtel.collector.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Who may start a password check: per address and per user, failures held against the address. */
class LoginGateTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T08:00:00Z"));
    private final LoginGate gate = new LoginGate(new LoginGate.Options(4, 2, 10, Duration.ofSeconds(6)), clock);

    private LoginGate.Ticket enter(String address, String user) {
        LoginGate.Result result = gate.enter(address, user);
        assertThat(result.refusal()).as(address + " " + user).isNull();
        return result.ticket().orElseThrow();
    }

    @Test
    void oneAddressMayHaveOnlyAFewChecksUnderWayAndOthersStillGetTheirs() {
        for (int i = 0; i < 4; i++) {
            enter("10.0.0.66", "user-" + i);
        }
        assertThat(gate.enter("10.0.0.66", "user-9").refusal()).isEqualTo(LoginGate.Refusal.BUSY);
        enter("10.0.0.7", "rig-01");
    }

    @Test
    void oneUsernameMayHaveOnlyAFewChecksUnderWayFromAnywhere() {
        enter("10.0.0.1", "rig-01");
        enter("10.0.0.2", "rig-01");
        assertThat(gate.enter("10.0.0.3", "rig-01").refusal()).isEqualTo(LoginGate.Refusal.BUSY);
        enter("10.0.0.3", "rig-02");
    }

    @Test
    void anAddressThatFailsTooOftenIsRefusedUncheckedUntilItsBudgetRefills() {
        for (int i = 0; i < 10; i++) {
            enter("10.0.0.66", "rig-01").done(true);
        }
        assertThat(gate.enter("10.0.0.66", "rig-01").refusal()).isEqualTo(LoginGate.Refusal.BLOCKED);
        // The username is not locked: the honest rig logs in from its own address.
        enter("10.0.0.7", "rig-01").done(false);

        clock.advance(Duration.ofSeconds(6));
        enter("10.0.0.66", "rig-01").done(true);
        assertThat(gate.enter("10.0.0.66", "rig-01").refusal()).isEqualTo(LoginGate.Refusal.BLOCKED);
    }

    @Test
    void anAddressHasFailedLatelyUntilItsWholeBudgetRefilled() {
        assertThat(gate.failedLately("10.0.0.66")).isFalse();
        enter("10.0.0.7", "rig-01").done(false);
        assertThat(gate.failedLately("10.0.0.7")).as("a success").isFalse();

        enter("10.0.0.66", "rig-01").done(true);
        enter("10.0.0.66", "rig-01").done(true);
        assertThat(gate.failedLately("10.0.0.66")).isTrue();

        clock.advance(Duration.ofSeconds(6));
        assertThat(gate.failedLately("10.0.0.66"))
                .as("one of two failures forgiven")
                .isTrue();
        clock.advance(Duration.ofSeconds(6));
        assertThat(gate.failedLately("10.0.0.66")).isFalse();
    }

    @Test
    void successesCostNothingAndATicketCountsOnce() {
        for (int i = 0; i < 100; i++) {
            LoginGate.Ticket ticket = enter("10.0.0.7", "rig-01");
            ticket.done(false);
            ticket.done(true); // ignored: done once
        }
        enter("10.0.0.7", "rig-01");
    }
}
