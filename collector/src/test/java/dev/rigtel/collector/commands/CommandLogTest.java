package dev.rigtel.collector.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.store.LineEncoder;
import dev.rigtel.collector.store.MemoryStore;
import dev.rigtel.collector.store.SinkException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Commands written as the collector writes them come back as the same commands, from the store or the spool. */
class CommandLogTest {

    private static final Instant T = Instant.parse("2026-11-21T14:00:00Z");

    private final ObjectMapper json = new ObjectMapper();
    private final MemoryStore store = new MemoryStore();

    private final RigCommand sent = new RigCommand(
            "cmd-1",
            "rig 7,a=b",
            CommandType.IDENTIFY,
            Map.of("seconds", 5),
            "ada",
            T,
            T.plusSeconds(60),
            CommandStatus.SENT,
            "",
            T);
    private final RigCommand ok = sent.withStatus(CommandStatus.OK, "done, \"fine\"", T.plusSeconds(2));
    private final RigCommand other = new RigCommand(
            "cmd-2",
            "rig 7,a=b",
            CommandType.IDENTIFY,
            Map.of("seconds", 3),
            "ada",
            T.plusSeconds(10),
            T.plusSeconds(70),
            CommandStatus.SENT,
            "",
            T.plusSeconds(10));

    private void write(RigCommand... commands) throws SinkException {
        for (RigCommand command : commands) {
            store.write(lines(command, "{\"seconds\":" + command.args().get("seconds") + "}"), 1);
        }
    }

    /** The command's point as the store writes it. */
    private static String lines(RigCommand command, String argsJson) {
        return new LineEncoder(256).command(CommandLog.point(command, argsJson)).text();
    }

    @Test
    void theMostAdvancedStatusOfEachCommandIsLoadedNewestIssuedFirst() throws SinkException {
        write(sent, ok, other);

        assertThat(CommandLog.load(store, json, sent.rig(), T, T.plusSeconds(20), 10))
                .containsExactly(other, ok);
        assertThat(CommandLog.load(store, json, sent.rig(), T, T.plusSeconds(20), 1))
                .containsExactly(other);
        assertThat(CommandLog.load(store, json, "rig-02", T, T.plusSeconds(20), 10))
                .isEmpty();
        assertThat(CommandLog.find(store, json, sent.rig(), "cmd-1", T.plusSeconds(20)))
                .contains(ok);
        assertThat(CommandLog.loadSince(store, json, T.plusSeconds(5), T.plusSeconds(20)))
                .containsExactly(other);
    }

    @Test
    void aCommandStoredAsSentPastItsExpiryIsLoadedAsExpired() throws SinkException {
        write(other);

        assertThat(CommandLog.find(store, json, other.rig(), other.id(), T.plusSeconds(70)))
                .contains(other.withStatus(CommandStatus.EXPIRED, RigCommands.NO_RESULT_DETAIL, other.expiresAt()));
    }

    @Test
    void theSpoolsUnwrittenCommandsReadBackTheSameWay() {
        String lines = lines(sent, "{\"seconds\":5}") + "imu,rig=a ax=1 1\n" + lines(ok, "{\"seconds\":5}")
                + lines(other, "{\"seconds\":3}");

        assertThat(CommandLog.commandsIn(lines, json)).containsExactly(ok, other);
    }
}
