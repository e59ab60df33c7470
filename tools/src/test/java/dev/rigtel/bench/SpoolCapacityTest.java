package dev.rigtel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.simulator.PayloadEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolCapacityTest {

    @TempDir
    Path dir;

    @Test
    void aNominalShootFitsAnHourOfOutageInTheDefaultQuota() throws Exception {
        for (PayloadEncoding encoding : new PayloadEncoding[] {PayloadEncoding.JSON, PayloadEncoding.PACKED}) {
            Path spool = dir.resolve(encoding.label());
            SpoolCapacity.Result result = SpoolCapacity.measure(spool, encoding, 2, 12, 50);

            assertThat(result.samples()).isEqualTo(2 * 12 * 1000);
            // Issue 19: at least an hour of 13 rigs x 1 kHz in 2 GiB is 45.9 bytes a sample at most.
            assertThat(result.bytesPerSample()).as(encoding.label()).isBetween(4.0, 40.0);
            assertThat(new SpoolCapacity.Result(result.samples(), result.spoolBytes(), 0, 0, 0, 13)
                            .secondsHeld(SpoolCapacity.DEFAULT_QUOTA_BYTES))
                    .isGreaterThan(3600);
            // Every sample read back as a line of line protocol (about 100 characters).
            assertThat(result.lineChars()).isGreaterThan(result.samples() * 80);
            assertThat(Files.exists(spool)).isFalse();
        }
    }
}
