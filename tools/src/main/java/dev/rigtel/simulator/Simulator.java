package dev.rigtel.simulator;

import dev.rigtel.collector.ingest.json.WireMapper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulates {@link SimulatorOptions#rigs()} head-mounted camera rigs publishing IMU batches,
 * timecode and status to an MQTT broker or the collector, in real time, and counts what was sent
 * and acknowledged. With {@link SimulatorOptions#dayTakes()} it also plays a {@link ShootingDay}:
 * a slate app, on a connection of its own, publishes the day's slate events while the rigs run.
 *
 * <p>A run connects every rig and the slate app (failing fast with {@link SimulationException} if
 * one cannot), then generates data for {@link SimulatorOptions#runDuration()} (or until
 * {@link #stop()}), then waits up to {@link SimulatorOptions#ackTimeout()} for the backlog to be
 * sent and every QoS 1 message to be acknowledged, disconnects cleanly and returns the
 * {@link SimulationSummary}.
 *
 * <pre>{@code
 * try (Simulator simulator = new Simulator(options, Clock.systemUTC())) {
 *     SimulationSummary summary = simulator.run();
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Simulator.class);

    private final SimulatorOptions options;
    private final Clock clock;
    private final WireMapper wire;
    private final long runNonce;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final Object progress = new Object();

    /**
     * @param clock the wall clock that timecode labels and dates are taken from; elapsed time is
     *     measured with {@link System#nanoTime()}
     */
    public Simulator(SimulatorOptions options, Clock clock) {
        this(options, clock, WireMapper.create(), new SecureRandom().nextLong());
    }

    /**
     * @param runNonce makes boot ids differ between runs of the same seed
     */
    public Simulator(SimulatorOptions options, Clock clock, WireMapper wire, long runNonce) {
        this.options = options;
        this.clock = clock;
        this.wire = wire;
        this.runNonce = runNonce;
    }

    public SimulatorOptions options() {
        return options;
    }

    /** The rigs of this run, without networking: the messages they would send. */
    public List<SimulatedRig> rigs() {
        List<SimulatedRig> rigs = new ArrayList<>();
        for (int n = options.firstRig(); n < options.firstRig() + options.rigs(); n++) {
            rigs.add(new SimulatedRig(options, n, SimulatedRig.bootId(options.seed(), n, runNonce), wire));
        }
        return rigs;
    }

    /** The shooting day of this run (empty without one), with this run's event ids. */
    public ShootingDay shootingDay() {
        return ShootingDay.plan(options, ShootingDay.idPrefix(runNonce));
    }

    /**
     * Runs the simulation, blocking until it is over. May be called once.
     *
     * @throws SimulationException if a rig cannot connect
     */
    public SimulationSummary run() throws InterruptedException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Simulator runs once");
        }
        List<RigConnection> connections = new ArrayList<>();
        SlateConnection slate = null;
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemonThreads());
        try {
            for (SimulatedRig rig : rigs()) {
                connections.add(new RigConnection(rig, options, this::progressed));
            }
            if (options.hasDay()) {
                slate = new SlateConnection(options, shootingDay(), wire, this::progressed);
            }
            connectAll(connections, slate);
            return simulate(connections, slate, scheduler);
        } catch (MqttException e) {
            throw new SimulationException("cannot create an MQTT client for " + options.brokerUri() + ": " + e, e);
        } finally {
            scheduler.shutdownNow();
            for (RigConnection connection : connections) {
                connection.abandon();
            }
            if (slate != null) {
                slate.abandon();
            }
            for (RigConnection connection : connections) {
                connection.disconnect();
            }
            if (slate != null) {
                slate.disconnect();
            }
            finished.countDown();
        }
    }

    /** How long the rigs may keep trying while the collector answers "busy" (CONNACK 0x03). */
    static final long BUSY_RETRY_MILLIS = 60_000;

    private void connectAll(List<RigConnection> connections, SlateConnection slate) throws MqttException {
        List<java.util.concurrent.Callable<IMqttToken>> connects = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (RigConnection connection : connections) {
            connects.add(connection::connect);
            names.add(connection.rig().rigId().value());
        }
        if (slate != null) {
            connects.add(slate::connect);
            names.add("the slate app (user " + options.slateUsername() + ")");
        }
        List<IMqttToken> tokens = new ArrayList<>();
        for (java.util.concurrent.Callable<IMqttToken> connect : connects) {
            tokens.add(call(connect));
        }
        long waitMillis = options.connectTimeout().toMillis() + 5_000;
        long busyDeadline = System.nanoTime() + BUSY_RETRY_MILLIS * 1_000_000;
        int retried = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String rig = names.get(i);
            int attempt = 0;
            while (true) {
                try {
                    tokens.get(i).waitForCompletion(waitMillis);
                    break;
                } catch (MqttException e) {
                    // The collector refuses logins as busy while many run at once from one address
                    // (--max-logins-per-address): come back shortly, as firmware does
                    // (firmware-notes/README.md). Anything else is an error.
                    if (e.getReasonCode() != MqttException.REASON_CODE_BROKER_UNAVAILABLE
                            || System.nanoTime() > busyDeadline) {
                        throw new SimulationException(
                                rig + " cannot connect to " + options.brokerUri() + ": " + describe(e), e);
                    }
                    retried++;
                    sleepQuietly(Math.min(2_000, 200L << Math.min(attempt++, 4))
                            + java.util.concurrent.ThreadLocalRandom.current().nextLong(200));
                    tokens.set(i, call(connects.get(i)));
                }
            }
            if (!tokens.get(i).isComplete()) {
                throw new SimulationException(
                        rig + " cannot connect to " + options.brokerUri() + ": no CONNACK within " + waitMillis + " ms",
                        null);
            }
        }
        log.info(
                "{} rigs{} connected to {}{}",
                connections.size(),
                slate == null ? "" : " and the slate app",
                options.brokerUri(),
                retried == 0 ? "" : " (" + retried + " logins retried after a busy answer)");
    }

    private static IMqttToken call(java.util.concurrent.Callable<IMqttToken> connect) throws MqttException {
        try {
            return connect.call();
        } catch (MqttException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(MqttException e) {
        String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
        return e.getMessage() + " [reason " + e.getReasonCode() + "]" + cause;
    }

    private SimulationSummary simulate(
            List<RigConnection> connections, SlateConnection slate, ScheduledExecutorService scheduler)
            throws InterruptedException {
        long durationNanos = options.runDuration().toNanos();
        long startNanos = System.nanoTime();
        Instant startWall = clock.instant();
        for (RigConnection connection : connections) {
            if (durationNanos > 0) {
                // Set before the first tick, so that a tick running late cannot generate past the end.
                connection.limitGeneration(durationNanos);
            }
            connection.start(startWall);
            connection.generateDue(0);
        }
        if (slate != null) {
            slate.start(startNanos, startWall);
        }
        long batchNanos = options.batchLength().toNanos();
        for (RigConnection connection : connections) {
            scheduler.scheduleAtFixedRate(
                    () -> connection.generateDue(System.nanoTime() - startNanos),
                    batchNanos,
                    batchNanos,
                    TimeUnit.NANOSECONDS);
        }
        long progressNanos = options.progressInterval().toNanos();
        scheduler.scheduleAtFixedRate(
                () -> logProgress(connections, System.nanoTime() - startNanos),
                progressNanos,
                progressNanos,
                TimeUnit.NANOSECONDS);

        if (durationNanos == 0) {
            stopRequested.await();
        } else {
            stopRequested.await(durationNanos, TimeUnit.NANOSECONDS);
        }
        long limitNanos = durationNanos == 0
                ? System.nanoTime() - startNanos
                : Math.min(durationNanos, System.nanoTime() - startNanos);
        for (RigConnection connection : connections) {
            connection.limitGeneration(limitNanos);
            connection.generateDue(Math.max(limitNanos, System.nanoTime() - startNanos));
        }
        if (slate != null) {
            slate.limit(limitNanos);
        }
        long generationEndNanos = System.nanoTime();
        long deadline = generationEndNanos + options.ackTimeout().toNanos();
        boolean done = awaitDone(connections, slate, deadline);
        long drainEndNanos = System.nanoTime();
        if (!done) {
            log.warn(
                    "gave up after {} s: {} messages unacknowledged or unsent",
                    options.ackTimeout().toSeconds(),
                    connections.stream().mapToInt(RigConnection::unfinished).sum()
                            + (slate == null ? 0 : slate.unfinished()));
        }
        scheduler.shutdownNow();
        for (RigConnection connection : connections) {
            connection.abandon();
        }
        if (slate != null) {
            slate.abandon();
        }
        List<SimulationSummary.RigSummary> perRig =
                connections.stream().map(RigConnection::summary).toList();
        SimulationSummary summary = SimulationSummary.of(
                options,
                startWall,
                Math.max(limitNanos, generationEndNanos - startNanos) / 1e9,
                (drainEndNanos - generationEndNanos) / 1e9,
                perRig,
                slate == null ? List.of() : slate.summary());
        log.info(
                "done: {} samples sent, {} acknowledged",
                summary.totals().samplesSent(),
                summary.totals().samplesAcked());
        return summary;
    }

    /** Waits until every rig has generated everything and every message is done, or the deadline. */
    private boolean awaitDone(List<RigConnection> connections, SlateConnection slate, long deadlineNanos)
            throws InterruptedException {
        synchronized (progress) {
            while (true) {
                boolean done = connections.stream().allMatch(c -> c.generationComplete() && c.unfinished() == 0)
                        && (slate == null || (slate.scriptComplete() && slate.unfinished() == 0));
                if (done) {
                    return true;
                }
                long leftNanos = deadlineNanos - System.nanoTime();
                if (leftNanos <= 0) {
                    return false;
                }
                // Generation that lagged behind a full backlog catches up on the scheduler; poll too.
                progress.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(leftNanos), 50)));
            }
        }
    }

    private void progressed() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void logProgress(List<RigConnection> connections, long elapsedNanos) {
        long sent = connections.stream().mapToLong(RigConnection::samplesSent).sum();
        long acked = connections.stream().mapToLong(RigConnection::samplesAcked).sum();
        int backlog = connections.stream().mapToInt(RigConnection::backlogSize).sum();
        log.info(
                "{} s: {} samples sent, {} acknowledged, {} messages waiting to be sent",
                elapsedNanos / 1_000_000_000L,
                sent,
                acked,
                backlog);
    }

    /** Ends data generation now; {@link #run()} then drains, waits for acknowledgements and returns. */
    public void stop() {
        stopRequested.countDown();
    }

    /** Waits until {@link #run()} has returned or {@code timeoutMillis} passed. */
    public boolean awaitFinished(long timeoutMillis) throws InterruptedException {
        return finished.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops a run in progress and waits for it to finish (acknowledgements included). If the
     * calling thread is interrupted while waiting it returns at once, interrupt flag set.
     */
    @Override
    public void close() {
        stop();
        if (started.get()) {
            try {
                awaitFinished(options.ackTimeout().toMillis() + 15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "simulate-scheduler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
