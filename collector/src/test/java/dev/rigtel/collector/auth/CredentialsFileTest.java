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

    @Test
    void aLoginWhoseConnectionClosedWhileItWaitedIsNotChecked() throws Exception {
        Path file = dir.resolve("credentials");
        CredentialsFile.empty()
                .with(new CredentialsFile.Entry("rig-01", Role.RIG, PasswordHasher.hash("pw".toCharArray(), 1000)))
                .save(file);
        Authenticator auth = new Authenticator(file, Runnable::run);

        assertThat(auth.authenticate("rig-01", "pw".getBytes(StandardCharsets.UTF_8), "10.0.0.1", () -> false)
                        .get())
                .isEqualTo(new Authenticator.Result.Refused("abandoned"));
    }

    @Test
    void whenTheWorkersQueueIsFullALoginIsRefusedAsBusyAtOnce() throws Exception {
        Path file = dir.resolve("credentials");
        CredentialsFile.empty()
                .with(new CredentialsFile.Entry("rig-01", Role.RIG, PasswordHasher.hash("pw".toCharArray(), 1000)))
                .save(file);
        Authenticator auth = new Authenticator(file, task -> {
            throw new java.util.concurrent.RejectedExecutionException("queue full");
        });

        assertThat(auth.authenticate("rig-01", "pw".getBytes(StandardCharsets.UTF_8), "10.0.0.1", () -> true)
                        .get())
                .isEqualTo(new Authenticator.Result.Refused("auth-busy"));
    }

    @Test
    void aPasswordThatPassedIsNotHashedAgainForAWhileButAWrongOneIs() throws Exception {
        Path file = dir.resolve("credentials");
        CredentialsFile.empty()
                .with(new CredentialsFile.Entry("viewer", Role.VIEWER, PasswordHasher.hash("pw".toCharArray(), 1000)))
                .save(file);
        java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
        Authenticator auth = new Authenticator(file, task -> {
            checks.incrementAndGet();
            task.run();
        });

        for (int i = 0; i < 5; i++) {
            assertThat(auth.authenticate("viewer", "pw".getBytes(StandardCharsets.UTF_8))
                            .get())
                    .isEqualTo(new Authenticator.Result.Accepted("viewer", Role.VIEWER));
        }
        assertThat(checks).hasValue(1);
        assertThat(auth.authenticate("viewer", "nope".getBytes(StandardCharsets.UTF_8))
                        .get())
                .isInstanceOf(Authenticator.Result.BadCredentials.class);
        assertThat(checks).hasValue(2);
    }

    @Test
    void anUnknownUserIsCheckedAgainstAHashAsSlowAsTheFilesOwn() {
        CredentialsFile file = CredentialsFile.empty()
                .with(new CredentialsFile.Entry("a", Role.RIG, PasswordHasher.hash("pw".toCharArray(), 1234)))
                .with(new CredentialsFile.Entry("b", Role.RIG, PasswordHasher.hash("pw".toCharArray(), 1234)))
                .with(new CredentialsFile.Entry("c", Role.RIG, PasswordHasher.hash("pw".toCharArray(), 99)));

        assertThat(Authenticator.dummyFor(file)).startsWith("pbkdf2-sha256:1234:");
        assertThat(Authenticator.dummyFor(CredentialsFile.empty()))
                .startsWith("pbkdf2-sha256:" + PasswordHasher.DEFAULT_ITERATIONS + ":");
    }

    @Test
    void refusesToAddARigWithAReservedNameAndSaysWhy() {
        CredentialsFile.Entry live =
                new CredentialsFile.Entry("live", Role.RIG, PasswordHasher.hash("pw".toCharArray(), 1000));

        assertThatThrownBy(() -> CredentialsFile.empty().with(live))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'live'")
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> CredentialsFile.empty()
                        .with(new CredentialsFile.Entry(
                                "cam$1", Role.RIG, PasswordHasher.hash("pw".toCharArray(), 1000))))
                .hasMessageContaining("'$'");
    }

    @Test
    void noUserOfAnyRoleMayBeNamedLiveButASlateUserMayBeNamedSlate() {
        String hash = PasswordHasher.hash("pw".toCharArray(), 1000);

        assertThatThrownBy(() -> CredentialsFile.empty().with(new CredentialsFile.Entry("live", Role.ADMIN, hash)))
                .hasMessageContaining("reserved");
        assertThat(CredentialsFile.empty()
                        .with(new CredentialsFile.Entry("slate", Role.SLATE, hash))
                        .find("slate"))
                .isPresent();
    }

    @Test
    void aFileThatAlreadyHoldsAReservedRigStillLoadsButThatRigIsRefused() throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(
                file,
                "live rig " + PasswordHasher.hash("pw".toCharArray(), 1000) + "\n" + "rig-01 rig "
                        + PasswordHasher.hash("pw".toCharArray(), 1000) + "\n",
                StandardCharsets.UTF_8);
        Authenticator auth = new Authenticator(file, Runnable::run);

        assertThat(auth.authenticate("rig-01", "pw".getBytes(StandardCharsets.UTF_8))
                        .get())
                .isEqualTo(new Authenticator.Result.Accepted("rig-01", Role.RIG));
        Authenticator.Result live =
                auth.authenticate("live", "pw".getBytes(StandardCharsets.UTF_8)).get();
        assertThat(live).isInstanceOf(Authenticator.Result.Reserved.class);
        assertThat(((Authenticator.Result.Reserved) live).reason()).contains("reserved");
        // A wrong password is still just a wrong password.
        assertThat(auth.authenticate("live", "nope".getBytes(StandardCharsets.UTF_8))
                        .get())
                .isInstanceOf(Authenticator.Result.BadCredentials.class);
    }

    @Test
    void credentialsAddRefusesAReservedRigIdWithAClearErrorAndWritesNothing() {
        Path file = dir.resolve("credentials");
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = CredentialsMain.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));

        int exit = cl.execute(
                "add",
                "--file",
                file.toString(),
                "--user",
                "live",
                "--role",
                "rig",
                "--password",
                "pw",
                "--iterations",
                "1000");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString())
                .contains("rigtel credentials:")
                .contains("'live'")
                .contains("reserved");
        assertThat(file).doesNotExist();
    }
}
