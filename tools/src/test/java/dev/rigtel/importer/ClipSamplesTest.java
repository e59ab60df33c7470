package dev.rigtel.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rigtel.gopro.clip.ClipTelemetry;
import dev.rigtel.gopro.clip.ClipTimecode;
import dev.rigtel.gopro.clip.SensorStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClipSamplesTest {

    private static final ClipTimecode TC = new ClipTimecode("15:44:35:10", 30000, 1001, false, 1_700_260, 30);
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final LocalDate DAY = LocalDate.of(2026, 3, 14);

    @Test
    void takesTheFasterStreamsTimesInterpolatesTheOtherAndConvertsToTheCollectorsUnits() {
        // GYRO at 400 Hz, ACCL at 200 Hz: GYRO's times, ACCL interpolated between its samples.
        SensorStream gyro = stream("GYRO", 400, 8, i -> new double[] {Math.toRadians(i), 0, -1}, 2000 * Math.PI / 180);
        SensorStream accel = stream("ACCL", 200, 4, i -> new double[] {i, 0, 9.80665}, 8 * 9.80665);

        ClipSamples s = ClipSamples.of(clip(List.of(accel, gyro)), DAY, PARIS);

        long midnight = DAY.atStartOfDay(PARIS).toEpochSecond() * 1_000_000_000L;
        long first = midnight + 1_700_260L * 1001 * 1_000_000_000L / 30000;
        assertThat(s.firstFrameNanos()).isEqualTo(first);
        assertThat(s.samples()).isEqualTo(8);
        assertThat(s.utcNanos()[1] - s.utcNanos()[0]).isEqualTo(2_500_000L);
        assertThat(s.gyroDps()[3 * 3]).isCloseTo(3, within(1e-9));
        assertThat(s.gyroDps()[3 * 3 + 2]).isCloseTo(-57.296, within(1e-9));
        // Gyro sample 3 is at 7.5 ms: between ACCL samples 1 (5 ms) and 2 (10 ms).
        assertThat(s.accelMps2()[3 * 3]).isCloseTo(1.5, within(1e-9));
        assertThat(s.accelMps2()[3 * 7]).isCloseTo(3, within(1e-9)); // held past ACCL's end
        assertThat(s.accelFullScaleG()).isCloseTo(8, within(1e-9));
        assertThat(s.gyroFullScaleDps()).isCloseTo(2000, within(1e-9));
    }

    @Test
    void refusesAClipWithoutTimecodeOrImu() {
        SensorStream gyro = stream("GYRO", 200, 4, i -> new double[] {0, 0, 0}, Double.NaN);
        SensorStream accel = stream("ACCL", 200, 4, i -> new double[] {0, 0, 9.8}, Double.NaN);
        ClipTelemetry noTimecode = new ClipTelemetry(
                "GX010042",
                List.of(Path.of("GX010042.MP4")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                1,
                List.of(accel, gyro),
                List.of(),
                0);
        assertThatThrownBy(() -> ClipSamples.of(noTimecode, DAY, PARIS)).hasMessageContaining("no timecode track");
        assertThatThrownBy(() -> ClipSamples.of(clip(List.of(accel)), DAY, PARIS))
                .hasMessage("no GYRO stream");
        assertThat(ClipSamples.of(clip(List.of(accel, gyro)), DAY, PARIS).accelFullScaleG())
                .isEqualTo(8);
    }

    private static ClipTelemetry clip(List<SensorStream> streams) {
        return new ClipTelemetry(
                "GX010042",
                List.of(Path.of("GX010042.MP4")),
                Optional.of("HERO9 Black"),
                Optional.of("C3441324567890"),
                Optional.of(Instant.parse("2026-03-14T15:44:35Z")),
                Optional.of(TC),
                1_000_000_000L,
                streams,
                List.of(),
                0);
    }

    private static SensorStream stream(
            String fourcc, int rateHz, int n, java.util.function.IntFunction<double[]> value, double fullScale) {
        double[] values = new double[3 * n];
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(value.apply(i), 0, values, 3 * i, 3);
            times[i] = i * 1_000_000_000L / rateHz;
        }
        return new SensorStream(fourcc, "1", fourcc, "", 3, values, times, rateHz, fullScale, Double.NaN);
    }
}
