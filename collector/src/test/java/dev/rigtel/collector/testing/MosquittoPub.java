package dev.rigtel.collector.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message sent by Debian's {@code mosquitto_pub} (an MQTT peer independent of ours), at QoS 1:
 * its exit code is 0 once the collector acknowledged it.
 */
public final class MosquittoPub {

    private static final Logger log = LoggerFactory.getLogger(MosquittoPub.class);

    private MosquittoPub() {}

    /**
     * Publishes the file's bytes and waits for {@code mosquitto_pub} to exit.
     *
     * @return its exit code, 0 once the PUBACK came
     */
    public static int publish(int port, String user, String password, String topic, Path file)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "mosquitto_pub",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-q",
                        "1",
                        "-i",
                        "pub-" + user,
                        "-u",
                        user,
                        "-P",
                        password,
                        "-t",
                        topic,
                        "-f",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("mosquitto_pub did not finish within 30 s");
        }
        if (process.exitValue() != 0) {
            log.warn(
                    "mosquitto_pub exited with {}: {}",
                    process.exitValue(),
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        return process.exitValue();
    }
}
