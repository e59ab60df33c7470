package dev.rigtel.gopro.gpmf;

import static dev.rigtel.gopro.gpmf.GpmfEncoder.klv;
import static dev.rigtel.gopro.gpmf.GpmfEncoder.nest;
import static dev.rigtel.gopro.gpmf.GpmfEncoder.text;
import static dev.rigtel.gopro.gpmf.GpmfEncoder.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rigtel.gopro.Fixtures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpmfDecoderTest {

    private final List<String> warnings = new ArrayList<>();

    private List<StreamBlock> decode(byte[] payload) throws GpmfFormatException {
        return GpmfDecoder.decode(payload, payload.length, warnings);
    }

    private static StreamBlock block(List<StreamBlock> blocks, String fourcc) {
        return blocks.stream()
                .filter(b -> b.fourcc().equals(fourcc))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void dividesHero5AccelerometerBySCalAndKeepsTheCameraAxisOrder() throws Exception {
        List<StreamBlock> blocks = decode(Fixtures.bytes("hero5.raw"));

        StreamBlock accl = block(blocks, "ACCL");
        // bytes 0ff4 ffb4 0183, SCAL 0x01a2 = 418; no ORIO, so the order is the camera's (z, x, y)
        assertThat(accl.samples()).isEqualTo(199);
        assertThat(accl.axes()).isEqualTo(3);
        assertThat(accl.values()[0]).isEqualTo(4084 / 418.0);
        assertThat(accl.values()[1]).isEqualTo(-76 / 418.0);
        assertThat(accl.values()[2]).isEqualTo(387 / 418.0);
        assertThat(accl.units()).containsExactly("m/s\u00b2");
        assertThat(accl.totalSamples()).hasValue(199);
        assertThat(accl.temperatureC()).isCloseTo(31.55, within(0.01));
        assertThat(accl.fullScale() / 9.80665).isCloseTo(8.0, within(0.01));
        assertThat(block(blocks, "GYRO").samples()).isEqualTo(399);
        assertThat(warnings).isEmpty();
    }

    @Test
    void scalesGpsPerAxis() throws Exception {
        StreamBlock gps = block(decode(Fixtures.bytes("hero5.raw")), "GPS5");

        assertThat(gps.samples()).isEqualTo(18);
        assertThat(gps.units()).containsExactly("deg", "deg", "m", "m/s", "m/s");
        assertThat(gps.values()[0]).isEqualTo(0x13beb3c9 / 1e7);
        assertThat(gps.values()[1]).isEqualTo(0xba11443a / 1e7);
        assertThat(gps.values()[2]).isEqualTo(0xffffb128 / 1000.0);
        assertThat(gps.values()[3]).isEqualTo(0xa7 / 1000.0);
        assertThat(gps.values()[4]).isEqualTo(0x13 / 100.0);
    }

    @Test
    void mapsAxesByOrinAndOrioWhenTheMatrixIsOnlyAPermutation() throws Exception {
        // HERO6: MTRX [0 0 1; 0 -1 0; 1 0 0] holds only 0 and +-1, so the reference parser maps by
        // ORIN YxZ -> ORIO ZXY: out Z = in Z, out X = -in x, out Y = in Y
        StreamBlock accl = block(decode(Fixtures.bytes("hero6+ble.raw")), "ACCL");

        assertThat(accl.values()[0]).isEqualTo(4295 / 418.0);
        assertThat(accl.values()[1]).isEqualTo(-123 / 418.0);
        assertThat(accl.values()[2]).isEqualTo(-19 / 418.0);
    }

    @Test
    void appliesACalibrationMatrix() throws Exception {
        float[] m = {0.5f, 0, 0, 0, 2, 0, 0, 0, -1};
        ByteBuffer mtrx = ByteBuffer.allocate(36);
        for (float v : m) {
            mtrx.putFloat(v);
        }
        byte[] payload = nest(
                "DEVC",
                nest(
                        "STRM",
                        klv("MTRX", 'f', 36, 1, mtrx.array()),
                        text("ORIN", "ZXY"),
                        text("ORIO", "XYZ"),
                        GpmfEncoder.shorts("GYRO", 3, (short) 10, (short) 20, (short) 30)));

        StreamBlock gyro = block(decode(payload), "GYRO");

        assertThat(gyro.values()).containsExactly(5.0, 40.0, -30.0);
    }

    @Test
    void decodesEveryNumericTypeCode() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put((byte) -5); // b
        b.put((byte) 250); // B
        b.putShort((short) -300); // s
        b.putShort((short) 65000); // S
        b.putFloat(1.5f); // f
        b.putInt(-70000); // l
        b.putInt(0xfffffff0); // L
        b.putInt(3 << 16 | 0x8000); // q: 3.5
        b.putLong(-(5L << 32) - (1L << 31)); // Q: -5.5
        b.putDouble(2.25); // d
        b.putLong(-9); // j
        b.putLong(-1L); // J: 2^64 - 1
        byte[] data = java.util.Arrays.copyOf(b.array(), b.position());
        String codes = "bBsSflLqQdjJ";
        byte[] payload = nest("DEVC", nest("STRM", text("TYPE", codes), klv("ALLT", '?', data.length, 1, data)));

        StreamBlock all = block(decode(payload), "ALLT");

        assertThat(all.typeCodes()).isEqualTo(codes);
        assertThat(all.values())
                .containsExactly(
                        -5, 250, -300, 65000, 1.5, -70000, 4294967280.0, 3.5, -5.5, 2.25, -9, 18446744073709551615.0);
    }

    @Test
    void keepsTextFourccGuidAndDateElementsAsNaN() throws Exception {
        byte[] data = new byte[4 + 16 + 16 + 1 + 1 + 2];
        System.arraycopy("SNOW".getBytes(StandardCharsets.ISO_8859_1), 0, data, 0, 4);
        System.arraycopy("191118234514.000".getBytes(StandardCharsets.ISO_8859_1), 0, data, 20, 16);
        data[36] = 'x';
        data[37] = 7;
        data[39] = 9;
        byte[] payload = nest("DEVC", nest("STRM", text("TYPE", "FGUcBS"), klv("MIXD", '?', data.length, 1, data)));

        StreamBlock mixed = block(decode(payload), "MIXD");

        assertThat(mixed.values()).hasSize(6);
        assertThat(mixed.values()[0]).isNaN();
        assertThat(mixed.values()[1]).isNaN();
        assertThat(mixed.values()[2]).isNaN();
        assertThat(mixed.values()[3]).isNaN();
        assertThat(mixed.values()[4]).isEqualTo(7);
        assertThat(mixed.values()[5]).isEqualTo(9);
    }

    @Test
    void decodesGps9AsAComplexStructureWithOneScalePerElement() throws Exception {
        // HERO11+: lat, lon, alt, 2D speed, 3D speed, days since 2000, seconds, DOP, fix
        ByteBuffer sample = ByteBuffer.allocate(32)
                .putInt(331264969)
                .putInt(-1173273542)
                .putInt(-20184)
                .putInt(167)
                .putInt(190)
                .putInt(8712)
                .putInt(43_200_500)
                .putShort((short) 145)
                .putShort((short) 3);
        ByteBuffer scal = ByteBuffer.allocate(36);
        for (int s : new int[] {10_000_000, 10_000_000, 1000, 1000, 100, 1, 1000, 100, 1}) {
            scal.putInt(s);
        }
        byte[] payload = nest(
                "DEVC",
                nest(
                        "STRM",
                        text("TYPE", "lllllllSS"),
                        klv("SCAL", 'l', 4, 9, scal.array()),
                        klv("GPS9", '?', 32, 1, sample.array())));

        StreamBlock gps = block(decode(payload), "GPS9");

        assertThat(gps.axes()).isEqualTo(9);
        assertThat(gps.values())
                .containsExactly(331264969 / 1e7, -1173273542 / 1e7, -20.184, 0.167, 1.9, 8712, 43_200.5, 1.45, 3);
        assertThat(warnings).isEmpty();
    }

    @Test
    void expandsComplexTypeCounts() {
        assertThat(GpmfType.expand("f[8]L")).isEqualTo("ffffffffL");
        assertThat(GpmfType.expand("lllllllSS")).isEqualTo("lllllllSS");
        assertThatThrownBy(() -> GpmfType.expand("fx")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsRepeatedInstancesAsSamples() throws Exception {
        // MAX: SCEN repeats once per video frame, each an array of (FourCC, probability) pairs
        byte[] scen = ByteBuffer.allocate(16)
                .put("SNOW".getBytes(StandardCharsets.ISO_8859_1))
                .putFloat(0.25f)
                .put("URBA".getBytes(StandardCharsets.ISO_8859_1))
                .putFloat(0.5f)
                .array();
        byte[] payload = nest(
                "DEVC",
                nest(
                        "STRM",
                        u32("TSMP", 2),
                        text("TYPE", "Ff"),
                        klv("SCEN", '?', 8, 2, scen),
                        klv("SCEN", '?', 8, 2, scen)));

        StreamBlock block = block(decode(payload), "SCEN");

        assertThat(block.samples()).isEqualTo(2);
        assertThat(block.axes()).isEqualTo(4);
        assertThat(block.values()[1]).isEqualTo(0.25);
        assertThat(block.values()[7]).isEqualTo(0.5);
    }

    @Test
    void decodesUnknownKeysAndSkipsItemsOfUnknownType() throws Exception {
        byte[] payload = nest(
                "DEVC",
                u32("DVID", 1),
                nest(
                        "STRM",
                        klv("ODDT", 'x', 4, 1, new byte[4]),
                        klv("SCAL", 's', 2, 1, new byte[] {0, 2}),
                        GpmfEncoder.shorts("ZZZ1", 2, (short) 4, (short) 6)));

        StreamBlock block = block(decode(payload), "ZZZ1");

        assertThat(block.values()).containsExactly(2.0, 3.0);
        assertThat(warnings).singleElement().asString().contains("ODDT").contains("unknown type 'x'");
    }

    @Test
    void namesTheByteOffsetOfACorruptItem() {
        byte[] payload = nest("DEVC", u32("DVID", 1), nest("STRM", GpmfEncoder.shorts("ACCL", 3, new short[6])));
        // the ACCL header sits at 8 (DEVC) + 12 (DVID) + 8 (STRM) = 28; claim 255 samples
        payload[28 + 6] = 0;
        payload[28 + 7] = (byte) 255;

        assertThatThrownBy(() -> decode(payload))
                .isInstanceOf(GpmfFormatException.class)
                .hasMessageContaining("ACCL claims 1530 bytes")
                .satisfies(
                        e -> assertThat(((GpmfFormatException) e).byteOffset()).isEqualTo(28));
    }

    @Test
    void rejectsAKeyThatIsNoFourcc() {
        byte[] payload = nest("DEVC", u32("DVID", 1));
        payload[8] = 0x01;

        assertThatThrownBy(() -> decode(payload))
                .isInstanceOf(GpmfFormatException.class)
                .hasMessageContaining("not a FourCC")
                .hasMessageContaining("at byte 8");
    }
}
