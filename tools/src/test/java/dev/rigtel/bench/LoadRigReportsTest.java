package dev.rigtel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.RigStatus;
import dev.rigtel.collector.ingest.TimecodeReport;
import dev.rigtel.collector.ingest.json.WireMapper;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class LoadRigReportsTest {

    private static final PayloadDecoder DECODER = new PayloadDecoder(WireMapper.create(), 4000);
    private static final RigId RIG = new RigId("rig-00001");

    @Test
    void aTimecodeReportNamesItsFrameOfTheUtcDayAndItsDeviceTime() throws Exception {
        long frame = 20_000L * 86_400 * LoadRig.TIMECODE_FPS + (14 * 3600 + 3 * 60 + 27) * 25L + 12;

        TimecodeReport report = DECODER.timecode(RIG, LoadRig.timecodeJson(7, "0c11ab7e", frame, 5_001_200));

        assertThat(report.timecode().toString()).isEqualTo("14:03:27:12");
        assertThat(report.shootingDate()).contains(LocalDate.ofEpochDay(20_000));
        assertThat(report.seq()).isEqualTo(7);
        assertThat(report.boot()).isEqualTo("0c11ab7e");
        assertThat(report.deviceNanos()).isEqualTo(5_001_200_000L);
    }

    @Test
    void theLastFrameOfADayIsItsOwnDays() throws Exception {
        long frame = 20_001L * 86_400 * LoadRig.TIMECODE_FPS - 1;

        TimecodeReport report = DECODER.timecode(RIG, LoadRig.timecodeJson(1, "0c11ab7e", frame, 1));

        assertThat(report.timecode().toString()).isEqualTo("23:59:59:24");
        assertThat(report.shootingDate()).contains(LocalDate.ofEpochDay(20_000));
    }

    @Test
    void aBatchedReportCarriesEveryFrameAfterTheFirst() throws Exception {
        long frame = 20_001L * 86_400 * LoadRig.TIMECODE_FPS - 2;
        long[] micros = {5_000_000, 5_040_000, 5_080_000, 5_120_000, 5_160_000, 0};

        TimecodeReport report = DECODER.timecode(RIG, LoadRig.timecodeJson(2, "0c11ab7e", frame, micros, 5));

        assertThat(report.timecode().toString()).isEqualTo("23:59:59:23");
        assertThat(report.shootingDate()).contains(LocalDate.ofEpochDay(20_000));
        assertThat(report.frameCount()).isEqualTo(5);
        assertThat(report.nextDeviceNanos())
                .containsExactly(5_040_000_000L, 5_080_000_000L, 5_120_000_000L, 5_160_000_000L);
    }

    @Test
    void aReportOfOneFrameHasNoNextFrames() throws Exception {
        byte[] json =
                LoadRig.timecodeJson(2, "0c11ab7e", 20_000L * 86_400 * LoadRig.TIMECODE_FPS, new long[] {5_000_000}, 1);

        assertThat(new String(json, java.nio.charset.StandardCharsets.US_ASCII)).doesNotContain("next_us");
        assertThat(DECODER.timecode(RIG, json).frameCount()).isEqualTo(1);
    }

    @Test
    void aStatusReportIsValid() throws Exception {
        RigStatus status = DECODER.status(RIG, LoadRig.statusJson(3, "0c11ab7e", 9_000_000));

        assertThat(status.seq()).isEqualTo(3);
        assertThat(status.deviceNanos()).isEqualTo(9_000_000_000L);
    }
}
