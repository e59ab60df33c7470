package dev.rigtel.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.testing.TestCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What rigs sent and who may log in are nobody else's on a shared machine: the collector's folder,
 * its spool and broker state, and the credentials file are its owner's only, whatever the umask.
 */
class CollectorFilesTest {

    @TempDir
    Path dir;

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theDataFolderSpoolBrokerStateAndCredentialsAreOwnerOnly() throws Exception {
        Path data = dir.resolve("collector");
        Files.createDirectories(
                data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path credentials = TestCollector.credentials(dir, 1);
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-r--r--"));

        // No InfluxDB at this address: the collector starts all the same and spools.
        try (Collector.Running collector =
                Collector.start(TestCollector.config(data, credentials, "http://127.0.0.1:1"))) {
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.resolve("spool"))).isEqualTo("rwx------");
            assertThat(mode(credentials)).isEqualTo("rw-------");
        }
        assertThat(mode(data.resolve("broker-state.json"))).isEqualTo("rw-------");
    }
}
