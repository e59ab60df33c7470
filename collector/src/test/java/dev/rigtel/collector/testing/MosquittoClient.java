package dev.rigtel.collector.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Debian's {@code mosquitto_sub} and {@code mosquitto_pub} (package mosquitto-clients) as an
 * {@link InteropClient}. {@code mosquitto_sub} runs with {@code -d}, whose "Subscribed (mid: 1): ..."
 * line says the SUBACK arrived and what it granted, and prints each message with {@code -F} as
 * {@code MSG|qos|retain|content type|user properties|expiry|hex payload|topic}. It runs under
 * {@code stdbuf -oL} so its output reaches the test line by line, and with {@code -W} so it never
 * outlives a test. Every process is destroyed by {@link #close()}, and by a shutdown hook as a
 * backstop.
 */
public final class MosquittoClient implements InteropClient {

    /** Longest a mosquitto_sub may run ({@code -W}); tests take seconds. */
    private static final int MAX_RUN_SECONDS = 60;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String FORMAT = "MSG|%q|%r|%C|%P|%E|%x|%t";
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    private final int port;
    private final Options options;
    private final boolean v5;
    private final List<ApplicationMessage> received = new CopyOnWriteArrayList<>();
    private Run subscriber;

    MosquittoClient(int port, Options options, boolean v5) {
        this.port = port;
        this.options = options;
        this.v5 = v5;
    }

    /** One running mosquitto_* process and every line it printed (stdout and stderr). */
    public static final class Run {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final CountDownLatch ended = new CountDownLatch(1);
        private final Consumer<String> onLine;

        private Run(List<String> command, Consumer<String> onLine) {
            this.onLine = onLine;
            List<String> full = new ArrayList<>(List.of("stdbuf", "-oL"));
            full.addAll(command);
            try {
                process = new ProcessBuilder(full).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "could not start " + command.get(0) + ": run ./rigtel test, which installs Debian's "
                                + "mosquitto-clients, or apt-get install mosquitto-clients",
                        e);
            }
            RUNNING.add(process);
            Thread reader = new Thread(this::read, command.get(0) + "-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    onLine.accept(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                ended.countDown();
            }
        }

        public List<String> lines() {
            return List.copyOf(lines);
        }

        /** Waits for a line matching {@code test}; fails with the output so far if none comes. */
        public String awaitLine(Predicate<String> test) {
            Awaitility.await()
                    .atMost(TIMEOUT)
                    .alias("mosquitto output " + lines)
                    .until(() -> lines.stream().anyMatch(test) || ended.getCount() == 0);
            return lines.stream()
                    .filter(test)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("process ended without the expected line: " + lines));
        }

        /** Waits for the process to end and all its output to be read; returns its exit code. */
        public int awaitExit() {
            try {
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        || !ended.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("still running after " + TIMEOUT + ": " + lines);
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } finally {
                RUNNING.remove(process);
            }
        }

        public boolean alive() {
            return process.isAlive();
        }

        /** SIGTERM: mosquitto_sub sends DISCONNECT, in MQTT 5 with reason 0x04 (with will). */
        public void terminate() {
            process.destroy();
        }

        /** SIGKILL: the connection ends without DISCONNECT. */
        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RUNNING.remove(process);
        }
    }

    private List<String> common(String clientId) {
        List<String> args = new ArrayList<>(List.of(
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-V",
                v5 ? "mqttv5" : "mqttv311",
                "-u",
                options.user(),
                "-P",
                options.password(),
                "-k",
                Integer.toString(options.keepAliveSeconds())));
        if (clientId != null) {
            args.addAll(List.of("-i", clientId));
        }
        return args;
    }

    /** Starts mosquitto_sub with these filters and extra arguments; does not wait for anything. */
    public Run startSubscriber(int qos, List<String> filters, String... extra) {
        List<String> command = new ArrayList<>(List.of("mosquitto_sub"));
        command.addAll(common(options.clientId()));
        if (!options.cleanSession()) {
            command.add("-c");
            if (v5) {
                command.addAll(List.of("-x", Long.toString(PahoV5Client.SESSION_EXPIRY_SECONDS)));
            }
        }
        if (options.willTopic() != null) {
            command.addAll(List.of(
                    "--will-topic",
                    options.willTopic(),
                    "--will-payload",
                    new String(options.willPayload(), StandardCharsets.UTF_8),
                    "--will-qos",
                    "1"));
            if (options.willDelaySeconds() > 0) {
                if (!v5) {
                    throw new IllegalArgumentException("a will delay is MQTT 5 only");
                }
                command.addAll(List.of("-D", "will", "will-delay-interval", Long.toString(options.willDelaySeconds())));
            }
        }
        command.addAll(List.of("-d", "-q", Integer.toString(qos), "-W", Integer.toString(MAX_RUN_SECONDS)));
        command.addAll(List.of("-F", FORMAT));
        for (String filter : filters) {
            command.addAll(List.of("-t", filter));
        }
        command.addAll(Arrays.asList(extra));
        return new Run(command, line -> {
            if (line.startsWith("MSG|")) {
                received.add(parse(line));
            }
        });
    }

    @Override
    public List<Integer> subscribe(int qos, String... filters) {
        if (subscriber != null) {
            throw new IllegalStateException("one mosquitto_sub per client");
        }
        subscriber = startSubscriber(qos, List.of(filters));
        return subackCodes(subscriber);
    }

    @Override
    public List<Integer> subscribeThenDisconnect(int qos, String... filters) {
        // -E: exit once the SUBACK arrived, with DISCONNECT reason 0x00.
        Run run = startSubscriber(qos, List.of(filters), "-E");
        List<Integer> codes = subackCodes(run);
        run.awaitExit();
        return codes;
    }

    /** The return codes of the "Subscribed (mid: n): c1, c2" line -d prints on SUBACK. */
    public static List<Integer> subackCodes(Run run) {
        String line = run.awaitLine(l -> l.startsWith("Subscribed (mid:"));
        return Arrays.stream(line.substring(line.indexOf("):") + 2).split(","))
                .map(String::trim)
                .map(Integer::valueOf)
                .toList();
    }

    private static ApplicationMessage parse(String line) {
        String[] f = line.split("\\|", 8);
        List<UserProperty> user = new ArrayList<>();
        if (!f[4].isEmpty()) {
            for (String pair : f[4].split(" ")) {
                int colon = pair.indexOf(':');
                user.add(new UserProperty(pair.substring(0, colon), pair.substring(colon + 1)));
            }
        }
        return new ApplicationMessage(
                f[7],
                HexFormat.of().parseHex(f[6]),
                Integer.parseInt(f[1]),
                f[2].equals("1"),
                false,
                f[3].isEmpty() ? null : f[3],
                user,
                f[5].isEmpty() ? null : Long.valueOf(f[5]));
    }

    /** Runs mosquitto_pub (with -d) to completion and returns its output; fails if it exits non-zero. */
    public Run runPublisher(ApplicationMessage message, String clientId, String... extra) {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub"));
        command.addAll(common(clientId));
        command.addAll(List.of("-d", "-q", Integer.toString(message.qos()), "-t", message.topic()));
        if (message.retain()) {
            command.add("-r");
        }
        if (message.payload().length == 0) {
            command.add("-n");
        } else {
            command.addAll(List.of("-m", new String(message.payload(), StandardCharsets.UTF_8)));
        }
        if (message.contentType() != null) {
            command.addAll(List.of("-D", "publish", "content-type", message.contentType()));
        }
        for (UserProperty u : message.userProperties()) {
            command.addAll(List.of("-D", "publish", "user-property", u.name(), u.value()));
        }
        if (message.expirySeconds() != null) {
            command.addAll(List.of(
                    "-D",
                    "publish",
                    "message-expiry-interval",
                    message.expirySeconds().toString()));
        }
        command.addAll(Arrays.asList(extra));
        Run run = new Run(command, line -> {});
        run.awaitExit();
        return run;
    }

    /**
     * Publishes with mosquitto_pub; the client id is this client's, or with "-p" appended while
     * this client's mosquitto_sub holds it. Fails if mosquitto_pub exits non-zero or (MQTT 5) the
     * PUBACK/PUBREC carries a failure reason.
     */
    @Override
    public void publish(ApplicationMessage message) {
        String id = subscriber != null && subscriber.alive() ? options.clientId() + "-p" : options.clientId();
        Run run = runPublisher(message, id);
        int exit = run.awaitExit();
        if (exit != 0 || run.lines().stream().anyMatch(l -> l.contains("failed"))) {
            throw new IllegalStateException("mosquitto_pub exited " + exit + ": " + run.lines());
        }
    }

    /** From mosquitto_pub -d's "received PUBACK (Mid: 1, RC:16)" or "received PUBREC (...)" line. */
    @Override
    public int publishForReasonCode(ApplicationMessage message) {
        if (!v5) {
            throw new UnsupportedOperationException("MQTT 3.1.1 acknowledgements carry no reason code");
        }
        if (message.qos() == 0) {
            publish(message);
            return 0;
        }
        Run run = runPublisher(message, options.clientId());
        String line = run.awaitLine(l -> l.contains("received PUBACK") || l.contains("received PUBREC"));
        return Integer.parseInt(line.substring(line.indexOf("RC:") + 3, line.indexOf(')', line.indexOf("RC:"))));
    }

    @Override
    public List<ApplicationMessage> received() {
        return List.copyOf(received);
    }

    @Override
    public Boolean sessionPresent() {
        return null;
    }

    /** The running mosquitto_sub, if any. */
    public Run subscriber() {
        return subscriber;
    }

    @Override
    public void drop() {
        if (subscriber != null) {
            subscriber.kill();
        }
    }

    @Override
    public void close() {
        if (subscriber != null) {
            subscriber.kill();
        }
    }
}
