package dev.rigtel.gopro.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rigtel.gopro.Fixtures;
import dev.rigtel.gopro.mp4.Mp4FormatException;
import dev.rigtel.gopro.mp4.SyntheticGoproFile;
import dev.rigtel.gopro.mp4.SyntheticGoproFile.Spec;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoproReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsTheMaxFixtureAsTheReferenceParserDoes() throws Exception {
        Path file = Fixtures.path("max-heromode.mp4");

        ClipTelemetry clip = GoproReader.read(List.of(file));

        assertThat(clip.clipName()).isEqualTo("max-heromode");
        assertThat(clip.cameraModel()).hasValue("GoPro Max");
        assertThat(clip.cameraSerial()).hasValue("C3353424500199");
        assertThat(clip.timecode()).hasValueSatisfying(tc -> {
            assertThat(tc.startLabel()).isEqualTo("15:44:35:10");
            assertThat(tc.rateNumerator()).isEqualTo(30000);
            assertThat(tc.rateDenominator()).isEqualTo(1001);
            assertThat(tc.dropFrame()).isFalse();
        });
        assertThat(clip.durationNanos()).isEqualTo(10_517_333_333L);
        assertThat(clip.streams())
                .extracting(SensorStream::fourcc)
                .containsExactly(
                        "ACCL", "GYRO", "MAGN", "SHUT", "WBAL", "WRGB", "ISOE", "YAVG", "UNIF", "SCEN", "HUES", "GPS5",
                        "CORI", "IORI", "GRAV");
        SensorStream accl = clip.stream("ACCL").orElseThrow();
        assertThat(accl.samples()).isEqualTo(2082);
        // bytes 00c6 f1f7 02a3 over SCAL 417, mapped by ORIN XzY -> ORIO ZXY
        assertThat(accl.value(0, 0)).isEqualTo(3593 / 417.0);
        assertThat(accl.value(0, 1)).isEqualTo(198 / 417.0);
        assertThat(accl.value(0, 2)).isEqualTo(675 / 417.0);
        // STMP in the first and last payload: 1977 samples over 10.012380 s; the first sample 5.031 ms
        // before SHUT's first (the video's first exposure)
        assertThat(accl.rateHz()).isCloseTo(197.4548, within(1e-4));
        assertThat(accl.sampleNanos()[0]).isEqualTo(-5_031_000);
        assertThat(accl.sampleNanos()[1] - accl.sampleNanos()[0]).isCloseTo(Math.round(1e9 / 197.4548), within(1L));
        assertThat(clip.stream("GPS5").orElseThrow().rateHz()).isCloseTo(18.1792, within(1e-4));
        assertThat(clip.stream("SHUT").orElseThrow().rateHz()).isCloseTo(29.97003, within(1e-5));
        assertThat(clip.stream("CORI").orElseThrow().axes()).isEqualTo(4);
        assertThat(clip.stream("GRAV").orElseThrow().samples()).isEqualTo(316);
        assertThat(clip.warnings()).isEmpty();
        assertThat(clip.bytesRead()).isLessThan(Files.size(file) / 20);
    }

    @Test
    void readsARawPayloadAsOneSecond() throws Exception {
        ClipTelemetry clip = GoproReader.readRaw(Fixtures.path("hero6.raw"));

        SensorStream gyro = clip.stream("GYRO").orElseThrow();
        assertThat(clip.cameraModel()).hasValue("Hero6 Black");
        assertThat(gyro.rateHz()).isEqualTo(gyro.samples());
        assertThat(gyro.sampleNanos()[0]).isZero();
        assertThat(clip.timecode()).isEmpty();
    }

    @Test
    void regressesTheRateFromSampleCountsWithoutTimestamps() throws Exception {
        Path file = dir.resolve("GX010001.MP4");
        SyntheticGoproFile.write(file, Spec.of(SyntheticGoproFile.imuPayloads(0, 5, 200)));

        ClipTelemetry clip = GoproReader.read(List.of(file));

        SensorStream accl = clip.stream("ACCL").orElseThrow();
        // 200 samples per 1.001 s payload: the line through (1.001 k, 200 k) has slope 199.8 and starts at 0
        assertThat(accl.rateHz()).isCloseTo(200 / 1.001, within(1e-9));
        assertThat(accl.sampleNanos()[0]).isZero();
        assertThat(accl.sampleNanos()[999]).isCloseTo(Math.round(999 * 1.001e9 / 200), within(1L));
        assertThat(accl.value(3, 0)).isEqualTo(3 / 418.0);
        assertThat(clip.timecode().orElseThrow().labelAt(accl.sampleNanos()[999]))
                .isEqualTo("15:44:40:09");
        assertThat(clip.cameraSerial()).hasValue("C3441324567890");
        assertThat(clip.cameraModel()).hasValue("HERO9 Black");
        assertThat(clip.warnings()).isEmpty();
    }

    @Test
    void chainsChaptersIntoOneTimeline() throws Exception {
        Path first = dir.resolve("GX010042.MP4");
        Path second = dir.resolve("GX020042.MP4");
        SyntheticGoproFile.write(first, Spec.of(SyntheticGoproFile.imuPayloads(0, 4, 200)));
        SyntheticGoproFile.write(
                second, Spec.of(SyntheticGoproFile.imuPayloads(800, 3, 200)).withTimecode(OptionalLong.empty(), false));

        List<GoproFiles.Clip> clips = GoproFiles.clips(List.of(dir));
        assertThat(clips).singleElement().satisfies(c -> assertThat(c.chapters())
                .containsExactly(first, second));
        ClipTelemetry clip = GoproReader.read(clips.get(0));

        SensorStream accl = clip.stream("ACCL").orElseThrow();
        assertThat(clip.clipName()).isEqualTo("GX010042");
        assertThat(accl.samples()).isEqualTo(1400);
        assertThat(accl.value(800, 0)).isEqualTo(0 / 418.0); // sample 800 is (800 % 100, ...)
        assertThat(accl.value(801, 1)).isEqualTo(-1 / 418.0);
        long step = accl.sampleNanos()[800] - accl.sampleNanos()[799];
        assertThat(step).isCloseTo(accl.sampleNanos()[799] - accl.sampleNanos()[798], within(2L));
        assertThat(accl.rateHz()).isCloseTo(200 / 1.001, within(0.2));
        assertThat(clip.durationNanos()).isGreaterThan(6_900_000_000L);
        assertThat(clip.warnings()).isEmpty();
    }

    @Test
    void warnsWhenAChapterIsFromAnotherCameraOrRecording() throws Exception {
        Path first = dir.resolve("GX010042.MP4");
        Path second = dir.resolve("GX020042.MP4");
        SyntheticGoproFile.write(first, Spec.of(SyntheticGoproFile.imuPayloads(0, 2, 200)));
        SyntheticGoproFile.write(
                second, Spec.of(SyntheticGoproFile.imuPayloads(0, 2, 200)).withSerial("C9999"));

        ClipTelemetry clip = GoproReader.read(List.of(first, second));

        assertThat(clip.warnings())
                .anySatisfy(w -> assertThat(w).contains("GX020042.MP4").contains("camera C9999"))
                .anySatisfy(w -> assertThat(w).contains("TSMP continues at 0").contains("ended at 400"));
    }

    @Test
    void readsCo64OffsetsLikeStco() throws Exception {
        Path stco = dir.resolve("stco.MP4");
        Path co64 = dir.resolve("co64.MP4");
        List<byte[]> payloads = SyntheticGoproFile.imuPayloads(0, 3, 200);
        SyntheticGoproFile.write(stco, Spec.of(payloads));
        SyntheticGoproFile.write(co64, Spec.of(payloads).withCo64(true));

        SensorStream a = GoproReader.read(List.of(stco)).stream("GYRO").orElseThrow();
        SensorStream b = GoproReader.read(List.of(co64)).stream("GYRO").orElseThrow();

        assertThat(b.values()).containsExactly(a.values());
        assertThat(b.sampleNanos()).containsExactly(a.sampleNanos());
    }

    @Test
    void readsAFileWithoutTimecodeAndSaysSo() throws Exception {
        Path file = dir.resolve("GH010007.MP4");
        SyntheticGoproFile.write(
                file, Spec.of(SyntheticGoproFile.imuPayloads(0, 2, 200)).withTimecode(OptionalLong.empty(), false));

        ClipTelemetry clip = GoproReader.read(List.of(file));

        assertThat(clip.timecode()).isEmpty();
        assertThat(clip.stream("ACCL").orElseThrow().samples()).isEqualTo(400);
        assertThat(clip.warnings()).singleElement().asString().contains("no tmcd track");
    }

    @Test
    void keepsThePayloadsBeforeAnMdatCutShort() throws Exception {
        Path file = dir.resolve("GX010008.MP4");
        SyntheticGoproFile.write(
                file, Spec.of(SyntheticGoproFile.imuPayloads(0, 4, 200)).withMoovFirst(true));
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 1000); // into the last payload
        }

        ClipTelemetry clip = GoproReader.read(List.of(file));

        assertThat(clip.stream("ACCL").orElseThrow().samples()).isEqualTo(600);
        assertThat(clip.warnings())
                .singleElement()
                .asString()
                .contains("GX010008.MP4: payload 3 at byte")
                .contains("3 of 4 payloads read; the recording was cut short");
    }

    @Test
    void refusesARecordingWithoutMoov() throws Exception {
        Path file = dir.resolve("GX010009.MP4");
        SyntheticGoproFile.write(file, Spec.of(SyntheticGoproFile.imuPayloads(0, 2, 200)));
        long moovAt = Files.size(file) - 1; // cut inside the trailing moov
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(moovAt - 5000);
        }

        assertThatThrownBy(() -> GoproReader.read(List.of(file)))
                .isInstanceOf(Mp4FormatException.class)
                .hasMessageContaining("no moov");
    }

    @Test
    void skipsACorruptPayloadAndNamesFilePayloadAndOffset() throws Exception {
        List<byte[]> payloads = new ArrayList<>(SyntheticGoproFile.imuPayloads(0, 4, 200));
        byte[] bad = payloads.get(2).clone();
        bad[48] = (byte) 0xff; // the first STRM's TSMP key (after DEVC, DVID, DVNM, STRM headers): no FourCC
        payloads.set(2, bad);
        Path file = dir.resolve("GX010010.MP4");
        SyntheticGoproFile.write(file, Spec.of(payloads));

        ClipTelemetry clip = GoproReader.read(List.of(file));

        assertThat(clip.stream("ACCL").orElseThrow().samples()).isEqualTo(600);
        assertThat(clip.warnings())
                .singleElement()
                .asString()
                .matches("GX010010\\.MP4: payload 2 at byte \\d+ is corrupt.*");
        String warning = clip.warnings().get(0);
        long at = Long.parseLong(warning.replaceAll(".*at byte (\\d+) is.*", "$1"));
        try (FileChannel ch = FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, at);
            assertThat(b.get(0)).isEqualTo((byte) 0xff);
        }
    }

    @Test
    void givesProductionTimeFromTimecodeAndDate() throws Exception {
        Path file = dir.resolve("GX010011.MP4");
        SyntheticGoproFile.write(file, Spec.of(SyntheticGoproFile.imuPayloads(0, 2, 200)));

        ClipTelemetry clip = GoproReader.read(List.of(file));
        ClipTimecode tc = clip.timecode().orElseThrow();

        // 15:44:35:10 at 29.97 non-drop is frame 1,700,260: 56,732.0 s of real time after midnight
        assertThat(tc.productionTime(LocalDate.of(2026, 3, 14), 0))
                .isEqualTo(
                        LocalDate.of(2026, 3, 14).atStartOfDay().plusNanos(1_700_260L * 1001 * 1_000_000_000L / 30000));
    }
}
