package dev.rigtel.bench;

import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.simulator.ScriptedSlateEvent;
import dev.rigtel.simulator.ShootingDay;
import dev.rigtel.simulator.SimulatorOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slate app of a scripted shooting day during a bench run: the simulator's {@link ShootingDay}
 * (assigns, then roll, cut and mark of every take, a take every minute) for the bench's rigs,
 * each event POSTed to the collector's {@code /api/slate} as a {@code slate} user when it falls due.
 * Close it to stop.
 */
final class SlateDay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlateDay.class);

    /** A take rolls for 40 s; the next one rolls 20 s after its mark. */
    static final Duration TAKE = Duration.ofSeconds(40);

    static final Duration BETWEEN_TAKES = Duration.ofSeconds(20);

    private final Thread thread;
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;

    private SlateDay(Runnable script) {
        this.thread = new Thread(script, "bench-slate");
        this.thread.setDaemon(true);
    }

    /**
     * Starts the day now. {@code rigs} are named as {@link MqttLoad#rigName(int)}; more than 99 get no
     * assigns (the simulator's rig names have two digits).
     */
    static SlateDay start(int rigs, long lengthSeconds, int httpPort, String user, String password) {
        String authorization = basic(user, password);
        long takeSeconds = TAKE.toSeconds() + 1 + BETWEEN_TAKES.toSeconds();
        SimulatorOptions day = SimulatorOptions.builder()
                .rigs(Math.min(rigs, 99))
                .usernamePattern("rig-000{n}")
                .dayTakes((int) Math.max(1, lengthSeconds / takeSeconds + 1))
                .takeLength(TAKE)
                .betweenTakes(BETWEEN_TAKES)
                .slateUsername(user)
                .slatePassword(password)
                .build();
        List<ScriptedSlateEvent> events =
                ShootingDay.plan(day, ShootingDay.idPrefix(System.nanoTime())).events();
        Instant runStart = Instant.now();
        long startNanos = System.nanoTime();
        WireMapper wire = WireMapper.create();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + httpPort + "/api/slate");
        SlateDay[] self = new SlateDay[1];
        self[0] = new SlateDay(() -> {
            for (ScriptedSlateEvent event : events) {
                long wait = startNanos + event.offsetNanos() - System.nanoTime();
                try {
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (self[0].closed) {
                    return;
                }
                self[0].post(http, uri, authorization, wire, event.toJson(runStart, FrameRate.FPS_25, false));
            }
        });
        self[0].thread.start();
        return self[0];
    }

    private void post(HttpClient http, URI uri, String authorization, WireMapper wire, Object json) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", authorization)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(wire.writeJson(json)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 == 2) {
                posted.incrementAndGet();
            } else {
                failed.incrementAndGet();
                log.warn("slate event refused: {} {}", response.statusCode(), response.body());
            }
        } catch (IOException e) {
            failed.incrementAndGet();
            log.warn("slate event not posted: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events the collector stored (answered 2xx). */
    long posted() {
        return posted.get();
    }

    /** Events refused or not answered. */
    long failed() {
        return failed.get();
    }

    /** The HTTP Basic header of {@code user}. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
