package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipWritesTest {

    @Test
    void gzipsLineProtocolSoThatItInflatesToTheSameBytes() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            Schema.imu(
                    lines,
                    "rig-07",
                    1_763_781_807_000_000_000L + i * 1_000_000L,
                    new double[] {0.1 * i, 9.81, -0.3, 1.5, -0.4, 12.0},
                    0,
                    73_012_000_000L + i);
        }
        byte[] plain = lines.toString().getBytes(StandardCharsets.UTF_8);

        byte[] gzip = GzipWrites.gzip(plain);

        assertThat(gzip.length).isLessThan(plain.length / 3);
        assertThat(gzip[0] & 0xff).isEqualTo(0x1f); // RFC 1952 magic
        assertThat(gzip[1] & 0xff).isEqualTo(0x8b);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
    }
}
