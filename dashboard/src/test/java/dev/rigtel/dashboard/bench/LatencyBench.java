package dev.rigtel.dashboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import dev.rigtel.dashboard.testing.Browser;
import dev.rigtel.dashboard.testing.LiveSet;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.openqa.selenium.OutputType;

/**
 * Publish-to-browser latency of the live page, a benchmark (not a test): a real InfluxDB, the
 * collector, the dashboard, {@code --rigs} simulated rigs at {@code --rate} Hz (with a scripted
 * shooting day) and headless Chromium on the live page, all on this machine. After a warm-up it
 * measures for {@code --seconds}:
 *
 * <ul>
 *   <li><b>MQTT through the collector</b>: a Paho client publishes a probe (its {@code nanoTime})
 *       every 20 ms at QoS 0 to {@code bench/probe}; a second Paho client subscribed to it records
 *       publish to delivery, under the rigs' load;
 *   <li><b>collector to MQTT subscriber</b>: a Paho client subscribed to the live topics records
 *       now minus {@code received_ms} of {@code trace} messages (the collector's arrival time of
 *       the IMU batch) and minus {@code time_nanos} of {@code state} messages (when the collector
 *       published it), the same clock on one machine;
 *   <li><b>collector to browser</b>: the live page records {@code Date.now()} minus the same
 *       fields as each event arrives ({@code window.rigtelLatency}), which this harness reads.
 * </ul>
 *
 * <p>It prints p50, p99 and max of each, and the live messages the dashboard dropped for a slow
 * browser. {@code --screenshot FILE} saves the live page as PNG at the end. Run it as
 * docs/benchmarks.md says.
 */
public final class LatencyBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LatencyBench() {}

    public static void main(String[] args) throws Exception {
        int rigs = 13;
        int rate = 1000;
        int seconds = 60;
        int warmup = 15;
        Path screenshot = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rigs" -> rigs = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--screenshot" -> screenshot = Path.of(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --rigs N --rate HZ --seconds S --warmup S --screenshot FILE");
            }
        }
        int sampleRate = rate;
        System.out.printf(
                Locale.ROOT,
                "starting InfluxDB, collector, dashboard, %d rigs at %d Hz, Chromium...%n",
                rigs,
                sampleRate);
        try (LiveSet set = LiveSet.start(
                        rigs,
                        sim -> sim.sampleRateHz(sampleRate)
                                .duration(Duration.ZERO)
                                .qos(1)
                                .clockDriftPpm(20)
                                .clockJitterMicros(200)
                                .timecodeInterval(Duration.ofMillis(40))
                                .statusInterval(Duration.ofSeconds(2))
                                .dayTakes(200)
                                .takeLength(Duration.ofSeconds(20))
                                .betweenTakes(Duration.ofSeconds(5)),
                        dash -> dash);
                Browser browser = Browser.start(1800, 1300)) {
            String broker = "tcp://127.0.0.1:" + set.collector().mqttPort();
            ConcurrentLinkedQueue<Double> probe = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Double> mqttTrace = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Double> mqttState = new ConcurrentLinkedQueue<>();
            MqttClient subscriber = client(broker, "bench-sub");
            subscriber.subscribe("bench/probe", 0, (topic, message) -> {
                long sent = ByteBuffer.wrap(message.getPayload()).getLong();
                probe.add((System.nanoTime() - sent) / 1e6);
            });
            subscriber.subscribe("rigtel/v1/live/+/trace", 0, (t, m) -> {
                long now = System.currentTimeMillis();
                JsonNode node = JSON.readTree(m.getPayload());
                mqttTrace.add((double) (now - node.path("received_ms").asLong()));
            });
            subscriber.subscribe("rigtel/v1/live/+/state", 0, (t, m) -> {
                long now = System.currentTimeMillis();
                mqttState.add(
                        now - JSON.readTree(m.getPayload()).path("time_nanos").asLong() / 1e6);
            });
            MqttAsyncClient publisher = new MqttAsyncClient(broker, "bench-pub", new MemoryPersistence());
            publisher.connect(options()).waitForCompletion(10_000);
            ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor();
            probes.scheduleAtFixedRate(
                    () -> {
                        try {
                            if (publisher.getPendingDeliveryTokens().length < 10) {
                                MqttMessage message = new MqttMessage(ByteBuffer.allocate(8)
                                        .putLong(System.nanoTime())
                                        .array());
                                message.setQos(0);
                                publisher.publish("bench/probe", message);
                            }
                        } catch (Exception e) {
                            // A probe lost under load is just not measured.
                        }
                    },
                    0,
                    20,
                    TimeUnit.MILLISECONDS);

            browser.driver().get(set.url("/?token=" + LiveSet.CONTROL_TOKEN));
            System.out.printf(Locale.ROOT, "warming up for %d s...%n", warmup);
            Thread.sleep(warmup * 1000L);
            browser.driver()
                    .executeScript("window.rigtelLatency.trace.length = 0; window.rigtelLatency.state.length = 0;");
            probe.clear();
            mqttTrace.clear();
            mqttState.clear();
            double droppedBefore = set.dashboard().meters().count(DashboardMeters.LIVE_DROPPED);
            System.out.printf(Locale.ROOT, "measuring for %d s...%n", seconds);
            Thread.sleep(seconds * 1000L);

            @SuppressWarnings("unchecked")
            Map<String, List<Number>> page =
                    (Map<String, List<Number>>) browser.driver().executeScript("return window.rigtelLatency;");
            probes.shutdownNow();
            double dropped = set.dashboard().meters().count(DashboardMeters.LIVE_DROPPED) - droppedBefore;
            if (screenshot != null) {
                Files.createDirectories(screenshot.toAbsolutePath().getParent());
                Files.write(screenshot, browser.driver().getScreenshotAs(OutputType.BYTES));
                System.out.println("screenshot: " + screenshot);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%n%d rigs x %d Hz, %d s measured after %d s warm-up; latencies in ms%n",
                    rigs,
                    sampleRate,
                    seconds,
                    warmup);
            System.out.printf(Locale.ROOT, "%-52s %8s %8s %8s %8s%n", "path", "n", "p50", "p99", "max");
            row("MQTT publish -> subscriber, through the collector", new ArrayList<>(probe));
            row("collector receives IMU batch -> Paho gets trace", new ArrayList<>(mqttTrace));
            row("collector receives IMU batch -> browser gets trace", numbers(page.get("trace")));
            row("collector publishes state -> Paho gets it", new ArrayList<>(mqttState));
            row("collector publishes state -> browser gets it", numbers(page.get("state")));
            System.out.printf(Locale.ROOT, "live messages dropped for slow browsers: %.0f%n", dropped);
            subscriber.disconnect();
            publisher.disconnect().waitForCompletion(5_000);
        }
    }

    private static MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(LiveSet.DASHBOARD_USER);
        options.setPassword(LiveSet.DASHBOARD_PASSWORD.toCharArray());
        options.setCleanSession(true);
        options.setMaxInflight(100);
        return options;
    }

    private static MqttClient client(String broker, String id) throws Exception {
        MqttClient client = new MqttClient(broker, id, new MemoryPersistence());
        client.connect(options());
        return client;
    }

    private static List<Double> numbers(List<Number> values) {
        List<Double> out = new ArrayList<>();
        if (values != null) {
            values.forEach(v -> out.add(v.doubleValue()));
        }
        return out;
    }

    private static void row(String name, List<Double> values) {
        if (values.isEmpty()) {
            System.out.printf(Locale.ROOT, "%-52s %8d %8s %8s %8s%n", name, 0, "-", "-", "-");
            return;
        }
        Collections.sort(values);
        System.out.printf(
                Locale.ROOT,
                "%-52s %8d %8.1f %8.1f %8.1f%n",
                name,
                values.size(),
                quantile(values, 0.50),
                quantile(values, 0.99),
                values.get(values.size() - 1));
    }

    private static double quantile(List<Double> sorted, double q) {
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
