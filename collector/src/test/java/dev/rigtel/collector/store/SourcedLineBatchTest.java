package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Imported points are the live encoding plus the tag {@code source}, after the point's own tags. */
class SourcedLineBatchTest {

    private static final long T = 1_700_000_000_000_000_000L;
    private static final String RIG = "rig 01,a=b\\c";

    @Test
    void addsTheSourceTagToImuRollupsAndEventsOnly() {
        double[] v = {0.125, -9.80665, 1.0, 12.5, -0.001, 1234.5678};
        RollupPoint rollup = new RollupPoint(RIG, T, 1.5, 1.1, 200, 120, 200, 200, 0);
        MotionEventPoint event =
                new MotionEventPoint(RIG, "clipping", T, T + 5, 8.0, Double.NaN, "", Double.NaN, 0, "x");
        TakeSummaryPoint summary = new TakeSummaryPoint(
                RIG, "roll 1", T, "gopro", 30, 6000, 8, 250, 10, 0, Double.NaN, 1, 0, 1, 0.5, 0.1, 90, 0);

        String live = ((LineBatch) new LineBatch(null, 1)
                        .imu(RIG, new long[] {T}, v, new long[] {42})
                        .rollup(rollup)
                        .motionEvent(event)
                        .takeSummary(summary))
                .lines();
        String sourced = ((SourcedLineBatch) new SourcedLineBatch(null, 1, "gopro")
                        .imu(RIG, new long[] {T}, v, new long[] {42})
                        .rollup(rollup)
                        .motionEvent(event)
                        .takeSummary(summary))
                .lines();

        String[] liveLines = live.split("\n");
        String[] sourcedLines = sourced.split("\n");
        assertThat(sourcedLines[0]).isEqualTo(liveLines[0].replace("a\\=b/c ax=", "a\\=b/c,source=gopro ax="));
        assertThat(sourcedLines[1])
                .startsWith("imu_1s,rig=rig\\ 01\\,a\\=b/c,source=gopro acc_peak_g=")
                .isEqualTo(liveLines[1].replace("a\\=b/c ", "a\\=b/c,source=gopro "));
        assertThat(sourcedLines[2])
                .startsWith("motion_event,rig=rig\\ 01\\,a\\=b/c,type=clipping,source=gopro end_ns=")
                .isEqualTo(liveLines[2].replace("type=clipping ", "type=clipping,source=gopro "));
        assertThat(sourcedLines[3]).isEqualTo(liveLines[3]);
        assertThatThrownBy(() -> new SourcedLineBatch(null, 0, "gopro").alert(new AlertPoint("r", "t", "m", 1, T)))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
