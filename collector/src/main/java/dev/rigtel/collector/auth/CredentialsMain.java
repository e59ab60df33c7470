package dev.rigtel.collector.auth;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./rigtel credentials}: manages the credentials file. Secrets are never printed. */
@Command(
        name = "credentials",
        mixinStandardHelpOptions = true,
        description = "Manages the collector's credentials file (hashed passwords, one user per line).",
        subcommands = {CredentialsMain.Add.class, CredentialsMain.ListUsers.class})
public final class CredentialsMain implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** Adds a user or replaces its password and role. */
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Adds a rig or user, or replaces its password and role. The password is read from "
                    + "--password, else the console, else one line of standard input.")
    static final class Add implements Callable<Integer> {
        @Option(names = "--file", required = true, description = "Credentials file; created if missing.")
        Path file;

        @Option(names = "--user", required = true, description = "Username; for a rig, its rig id (e.g. rig-01).")
        String user;

        @Option(
                names = "--role",
                defaultValue = "rig",
                description = "rig, slate, viewer, import or admin. Default: ${DEFAULT-VALUE}.")
        String role;

        @Option(names = "--password", description = "The password (visible in the process list; prefer stdin).")
        String password;

        @Option(
                names = "--iterations",
                defaultValue = "" + PasswordHasher.DEFAULT_ITERATIONS,
                description = "PBKDF2 iterations. Default: ${DEFAULT-VALUE}.")
        int iterations;

        @Override
        public Integer call() throws IOException {
            char[] secret = password != null ? password.toCharArray() : readPassword();
            if (secret == null || secret.length == 0) {
                System.err.println("rigtel credentials: no password given");
                return 2;
            }
            CredentialsFile current = Files.exists(file) ? CredentialsFile.load(file) : CredentialsFile.empty();
            CredentialsFile.Entry entry =
                    new CredentialsFile.Entry(user, Role.parse(role), PasswordHasher.hash(secret, iterations));
            current.with(entry).save(file);
            System.out.println("saved " + user + " (" + role + ") in " + file);
            return 0;
        }

        private static char[] readPassword() throws IOException {
            Console console = System.console();
            if (console != null) {
                return console.readPassword("password: ");
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.toCharArray();
        }
    }

    /** Lists users and roles, never hashes. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists users and their roles.")
    static final class ListUsers implements Callable<Integer> {
        @Option(names = "--file", required = true, description = "Credentials file.")
        Path file;

        @Override
        public Integer call() throws IOException {
            for (CredentialsFile.Entry entry : CredentialsFile.load(file).entries()) {
                System.out.println(entry.username() + " " + entry.role().label());
            }
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CredentialsMain());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException) {
                commandLine.getErr().println("rigtel credentials: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }
}
