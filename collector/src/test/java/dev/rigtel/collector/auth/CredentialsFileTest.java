package dev.rigtel.collector.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {

    @TempDir
    Path dir;

    @Test
    void storesOnlySaltedHashesThatVerify() throws Exception {
        Path file = dir.resolve("credentials");
        CredentialsFile.empty()
                .with(new CredentialsFile.Entry("rig-01", Role.RIG, PasswordHasher.hash("s3cret".toCharArray(), 1000)))
                .with(new CredentialsFile.Entry("rig-02", Role.RIG, PasswordHasher.hash("s3cret".toCharArray(), 1000)))
                .save(file);

        String text = Files.readString(file);
        assertThat(text).doesNotContain("s3cret");
        CredentialsFile loaded = CredentialsFile.load(file);
        String hash1 = loaded.find("rig-01").orElseThrow().passwordHash();
        String hash2 = loaded.find("rig-02").orElseThrow().passwordHash();
        assertThat(hash1).isNotEqualTo(hash2);
        assertThat(PasswordHasher.verify("s3cret".toCharArray(), hash1)).isTrue();
        assertThat(PasswordHasher.verify("s3cret!".toCharArray(), hash1)).isFalse();
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
    }

    @Test
    void refusesBrokenLinesWithTheLineNumber() throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, "# comment\nrig-01 rig plaintext\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CredentialsFile.load(file)).hasMessageContaining("line 2");
    }

    @Test
    void authenticatorAcceptsTheRightPasswordAndTakesRoleFromTheFile() throws Exception {
        Path file = dir.resolve("credentials");
        CredentialsFile.empty()
                .with(new CredentialsFile.Entry("slate-app", Role.SLATE, PasswordHasher.hash("pw".toCharArray(), 1000)))
                .save(file);
        Authenticator auth = new Authenticator(file, Runnable::run);

        assertThat(auth.authenticate("slate-app", "pw".getBytes(StandardCharsets.UTF_8))
                        .get())
                .isEqualTo(new Authenticator.Result.Accepted("slate-app", Role.SLATE));
        assertThat(auth.authenticate("slate-app", "nope".getBytes(StandardCharsets.UTF_8))
                        .get())
                .isInstanceOf(Authenticator.Result.BadCredentials.class);
        assertThat(auth.authenticate("nobody", "pw".getBytes(StandardCharsets.UTF_8))
                        .get())
                .isInstanceOf(Authenticator.Result.BadCredentials.class);
    }
}
