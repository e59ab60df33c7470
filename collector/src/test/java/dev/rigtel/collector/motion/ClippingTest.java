package dev.rigtel.collector.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Values within 0.5 % of full scale are clipped: one event per run per axis (DOMAIN.md section 2). */
class ClippingTest {

    private static final long MS = 1_000_000L;
    private static final double G0 = RigMotion.G0;

    @Test
    void reportsEachClippedRunOncePerAxis() {
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        for (int i = 0; i < 1000; i++) {
            double ax = 0;
            if (i >= 100 && i < 105) {
                ax = 16 * G0;
            } else if (i >= 300 && i < 302) {
                ax = -15.95 * G0; // within 0.5 % of -16 g
            } else if (i == 400) {
                ax = 15.9 * G0; // 0.6 % under: not clipped
            }
            double gz = i >= 500 && i < 503 ? 1995 : 0;
            m.accept(ImuSim.T0 + i * MS, ax, G0, 0, 0, 0, gz, out);
        }
        m.flush(out);

        List<MotionEvent> clips = out.of(MotionEvent.Type.CLIPPING);
        assertThat(clips).extracting(MotionEvent::axis).containsExactly("ax", "ax", "gz");
        assertThat(clips.get(0).onsetNanos()).isEqualTo(ImuSim.T0 + 100 * MS);
        assertThat(clips.get(0).endNanos()).isEqualTo(ImuSim.T0 + 104 * MS);
        assertThat(clips.get(0).peak()).isCloseTo(16, offset(1e-9));
        assertThat(clips.get(1).peak()).isCloseTo(-15.95, offset(1e-9));
        assertThat(clips.get(2).peak()).isCloseTo(1995, offset(1e-9));
        assertThat(clips.get(2).endNanos()).isEqualTo(ImuSim.T0 + 502 * MS);
    }

    @Test
    void honoursAConfiguredFullScale() {
        RigMotion m = new RigMotion(MotionConfig.defaults().withAccelFullScaleG(8));
        ImuSim.Recorder out = new ImuSim.Recorder();
        m.accept(ImuSim.T0, 0, 8 * G0, 0, 0, 0, 0, out);
        m.flush(out);

        assertThat(out.of(MotionEvent.Type.CLIPPING)).singleElement().satisfies(e -> assertThat(e.axis())
                .isEqualTo("ay"));
    }
}
