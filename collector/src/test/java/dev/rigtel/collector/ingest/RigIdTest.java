package dev.rigtel.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.testing.FirmwareNotes;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RigIdTest {

    @Test
    void aRigMayNotBeNamedAfterATopicLevelBesideRigIds() {
        // rigtel/v1/live/... is the collector's, rigtel/v1/slate the slate apps'; rigtel/v1/live/takes
        // and rigtel/v1/live/storage sit where a rig's live topics would.
        for (String reserved : new String[] {"live", "slate", "takes", "storage"}) {
            assertThat(RigId.rigProblem(reserved)).as(reserved).contains("reserved");
        }
        assertThat(RigId.rigProblem("rig-01")).isNull();
        assertThat(RigId.rigProblem("Live")).isNull();
        assertThat(RigId.rigProblem("slate-02")).isNull();
    }

    @Test
    void aRigIdHoldsNoDollarSignNorWildcard() {
        assertThat(RigId.rigProblem("$SYS")).contains("'$'");
        assertThat(RigId.rigProblem("rig$1")).contains("'$'");
        assertThat(RigId.rigProblem("rig+1")).contains("'+'");
        assertThat(RigId.rigProblem("rig#")).contains("'#'");
        assertThat(RigId.rigProblem("a/b")).contains("'/'");
    }

    @Test
    void otherUsersMayKeepTheirNames() {
        // The demo's slate app is the user "slate" (role slate): only rig ids are held to rigProblem.
        assertThat(RigId.problem("slate")).isNull();
        assertThat(new RigId("slate").value()).isEqualTo("slate");
    }

    @Test
    void everyCollectorTopicBesideTheRigsLiveTopicsIsReserved() throws Exception {
        String doc = Files.readString(FirmwareNotes.dir().resolve("live-topics.md"));
        Matcher topic = Pattern.compile("`rigtel/v1/live/([a-z-]+)`").matcher(doc);
        int found = 0;
        while (topic.find()) {
            assertThat(RigId.rigProblem(topic.group(1)))
                    .as("rig id " + topic.group(1))
                    .isNotNull();
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(2);
    }
}
