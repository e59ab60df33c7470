package dev.rigtel.gopro.clip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.gopro.mp4.TimecodeTrack;
import org.junit.jupiter.api.Test;

class ClipTimecodeTest {

    @Test
    void labelsSamplesAtNonDropRates() {
        ClipTimecode tc = ClipTimecode.of(new TimecodeTrack(90000, 3003, 29, 2, 1_700_260));

        assertThat(tc.startLabel()).isEqualTo("15:44:35:10");
        assertThat(tc.countingBase()).isEqualTo(30);
        assertThat(tc.labelAt(0)).isEqualTo("15:44:35:10");
        assertThat(tc.labelAt(33_366_666)).isEqualTo("15:44:35:10"); // still the first frame
        assertThat(tc.labelAt(33_366_667)).isEqualTo("15:44:35:11");
        assertThat(tc.labelAt(-1)).isEqualTo("15:44:35:09");
    }

    @Test
    void labelsDropFrameAcrossTheMinute() {
        // 00:00:59;29 is frame 1799; one frame later is 00:01:00;02 (ST 12-1 skips ;00 and ;01)
        ClipTimecode tc = ClipTimecode.of(new TimecodeTrack(30000, 1001, 30, 1, 1799));

        assertThat(tc.startLabel()).isEqualTo("00:00:59;29");
        assertThat(tc.labelAt(33_366_667)).isEqualTo("00:01:00;02");
    }

    @Test
    void countsHighFrameRatesWithoutDrop() {
        ClipTimecode tc = ClipTimecode.of(new TimecodeTrack(120000, 1001, 120, 0, 120 * 61 + 5));

        assertThat(tc.startLabel()).isEqualTo("00:01:01:05");
        assertThat(tc.framesPerSecond()).isEqualTo(120000 / 1001.0);
    }
}
