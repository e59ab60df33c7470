package dev.rigtel.collector.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionsTest {

    private static final int P = 16;

    @Test
    void aRigsPartitionIsCrc32OfItsUtf8IdModP() {
        // Pinned: a change here moves every rig to another session on upgrade.
        assertThat(Partitions.of("rig-01", P)).isEqualTo(5); // CRC-32 2079732885
        assertThat(Partitions.of("rig-02", P)).isEqualTo(15); // 3808388399
        assertThat(Partitions.of("rig-13", P)).isEqualTo(8); // 2363712760
        assertThat(Partitions.of("cam-A", P)).isEqualTo(12); // 4208204156
        assertThat(Partitions.of("rig-01", 1)).isZero();
    }

    @Test
    void everyPartitionHasExactlyOneOwnerWhateverOrderTheMembersWereSeenIn() {
        List<String> members = List.of("m-a", "m-b", "m-c");
        List<String> reversed = List.of("m-c", "m-b", "m-a");
        Map<String, Integer> counts = new HashMap<>();
        for (int k = 0; k < P; k++) {
            String owner = Partitions.owner(k, members);
            assertThat(owner).isIn(members).isEqualTo(Partitions.owner(k, reversed));
            counts.merge(owner, 1, Integer::sum);
        }
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(P);
        assertThat(counts).as("every member gets some of 16").hasSize(3);
        assertThat(Partitions.owner(0, List.of())).isNull();
    }

    @Test
    void aJoinMovesOnlyPartitionsToTheJoinerAndALeaveOnlyTheLeaversOnes() {
        List<String> before = List.of("m-a", "m-b");
        List<String> after = List.of("m-a", "m-b", "m-c");
        int moved = 0;
        for (int k = 0; k < 64; k++) {
            String was = Partitions.owner(k, before);
            String is = Partitions.owner(k, after);
            if (!was.equals(is)) {
                assertThat(is).as("partition %d moves only to the joiner", k).isEqualTo("m-c");
                moved++;
            }
            // The reverse: m-c leaves, only its partitions move.
            if (!is.equals("m-c")) {
                assertThat(was).isEqualTo(is);
            }
        }
        assertThat(moved).as("about a third of 64 move to the third member").isBetween(10, 35);
    }

    @Test
    void rendezvousWeightsArePinned() {
        // SHA-256 of "m-a/0", first 8 bytes, big-endian: the same in every JVM.
        assertThat(Partitions.weight("m-a", 0)).isEqualTo(-8277169621376027237L);
    }
}
