package dev.rigtel.collector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RosterTest {

    @TempDir
    Path dir;

    @Test
    void parsesACommaListAndAFileWithCommentsAndBlankLines() throws Exception {
        assertThat(Roster.parse("rig-01, rig-02,rig-03")).containsExactly("rig-01", "rig-02", "rig-03");
        assertThat(Roster.parse("")).isEmpty();
        Path file = dir.resolve("rigs.txt");
        Files.writeString(file, "# stage A\nrig-01\n\n  rig-02  \n");
        assertThat(Roster.parse("@" + file)).containsExactly("rig-01", "rig-02");
    }

    @Test
    void refusesABadRigIdSayingWhere() throws Exception {
        assertThatThrownBy(() -> Roster.parse("rig-01,,rig-03"))
                .hasMessageContaining("item 2")
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Roster.parse("rig-01,rig/02"))
                .hasMessageContaining("item 2")
                .hasMessageContaining("'/'");
        Path file = dir.resolve("rigs.txt");
        Files.writeString(file, "rig-01\nrig +2\n");
        assertThatThrownBy(() -> Roster.parse("@" + file)).hasMessageContaining("line 2");
        assertThatThrownBy(() -> Roster.parse("@" + dir.resolve("missing.txt"))).hasMessageContaining("cannot read");
    }

    @Test
    void givesEachPartitionItsRigsAndGrowsByDiscovery() {
        Roster roster = new Roster(Set.of("rig-01", "rig-02"));
        assertThat(roster.of(5, 16)).containsExactly("rig-01");
        assertThat(roster.add("rig-13")).isTrue();
        assertThat(roster.add("rig-13")).isFalse();
        assertThat(roster.of(8, 16)).containsExactly("rig-13");
        assertThat(roster.size()).isEqualTo(3);
        assertThat(ClusterSource.filtersOf(roster.of(8, 16)))
                .extracting(s -> s.getTopic() + "@" + s.getQos())
                .containsExactly("rigtel/v1/rig-13/imu@1", "rigtel/v1/rig-13/timecode@1", "rigtel/v1/rig-13/status@1");
    }
}
