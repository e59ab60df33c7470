package dev.rigtel.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CameraMapTest {

    @Test
    void readsSerialRigLinesSkippingCommentsBlanksAndTheHeader() {
        CameraMap map = CameraMap.parse(
                List.of("serial,rig", "# the A camera", "", " C3441324567890 , rig-01 ", "C1,rig-02"), "cameras.csv");

        assertThat(map.rig("C3441324567890")).contains("rig-01");
        assertThat(map.rig("C1")).contains("rig-02");
        assertThat(map.rig("C2")).isEmpty();
    }

    @Test
    void namesTheLineThatIsNotSerialRig() {
        assertThatThrownBy(() -> CameraMap.parse(List.of("C1,rig-01", "C2;rig-02"), "cameras.csv"))
                .hasMessage("cameras.csv line 2: expected 'serial,rig', got 'C2;rig-02'");
        assertThatThrownBy(() -> CameraMap.parse(List.of("C1,rig-01", "C1,rig-02"), "m"))
                .hasMessageContaining("camera C1 is mapped to rig-01 already");
    }
}
