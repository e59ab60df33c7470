package dev.rigtel.collector.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigtel.collector.ingest.IngestResult;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.MotionTracker;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.Publisher;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.MotionSink;
import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.LiveIngest;
import dev.rigtel.collector.testing.RecordingOutlet;
import dev.rigtel.collector.testing.TestIngest;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live topics driven through a real {@link IngestService} ({@link LiveIngest}) with the example
 * payloads of firmware-notes/, read back from a recording outlet as any MQTT client on set would get
 * them.
 */
class LiveTopicsTest {

    static final String RIG = LiveIngest.RIG;
    static final Instant T0 = LiveIngest.T0;
    static final String STATE = "rigtel/v1/live/rig-07/state";
    static final String MOTION = "rigtel/v1/live/rig-07/motion";
    static final String TRACE = "rigtel/v1/live/rig-07/trace";
    static final String EVENT = "rigtel/v1/live/rig-07/event";
    static final String ALERT = "rigtel/v1/live/rig-07/alert";
    static final String TAKES = "rigtel/v1/live/takes";
    private static final double G0 = RigMotion.G0;
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private LiveIngest live;

    @BeforeEach
    void setUp() throws IOException {
        live = new LiveIngest(dir);
    }

    @AfterEach
    void tearDown() {
        live.close();
    }

    @Test
    void connectingPublishesARetainedOnlineStateAtQos1() {
        live.ingest.rigConnected(new RigId(RIG));

        List<RecordingOutlet.Message> states = live.outlet.on(STATE);
        assertThat(states).hasSize(1);
        assertThat(states.get(0).qos()).isEqualTo(1);
        assertThat(states.get(0).retain()).isTrue();
        JsonNode state = live.json(states.get(0));
        assertThat(state.get("v").asInt()).isEqualTo(1);
        assertThat(state.get("rig").asText()).isEqualTo(RIG);
        assertThat(state.get("online").asBoolean()).isTrue();
        assertThat(state.get("since").asText()).isEqualTo("2026-11-21T14:03:00Z");
        assertThat(state.get("since_nanos").asLong()).isEqualTo(LiveIngest.nanos(T0));
        assertThat(state.get("timecode_lock").asText()).isEqualTo("unlocked");
        assertThat(state.get("status").isNull()).isTrue();
        assertThat(state.get("take").isNull()).isTrue();
        assertThat(state.get("wearer").isNull()).isTrue();
    }

    @Test
    void aStatusReportPutsItsMeasurementsInTheRetainedState() {
        live.ingest.rigConnected(new RigId(RIG));
        live.clock.advance(Duration.ofSeconds(2));

        live.accept("status", FirmwareNotes.example("status.json"));

        List<RecordingOutlet.Message> states = live.outlet.on(STATE);
        assertThat(states).hasSize(2);
        assertThat(states.get(1).retain()).isTrue();
        JsonNode status = live.json(states.get(1)).get("status");
        assertThat(status.get("battery_percent").asDouble()).isEqualTo(87.5);
        assertThat(status.get("battery_volts").asDouble()).isEqualTo(3.92);
        assertThat(status.get("temperature_celsius").asDouble()).isEqualTo(41.25);
        assertThat(status.get("wifi_rssi_dbm").asInt()).isEqualTo(-61);
        assertThat(status.get("recording").asBoolean()).isTrue();
        assertThat(status.get("imu_rate_hz").asDouble()).isEqualTo(1000.0);
        assertThat(status.get("accel_range_g").asInt()).isEqualTo(16);
        assertThat(status.get("gyro_range_dps").asInt()).isEqualTo(2000);
        assertThat(status.get("firmware").asText()).isEqualTo("1.4.2");
        assertThat(status.get("boot").asText()).isEqualTo(LiveIngest.BOOT);
        // The first message of a boot without timecode is anchored at the collector's live.clock.
        assertThat(status.get("time").asText()).isEqualTo("2026-11-21T14:03:02Z");
        assertThat(status.get("time_nanos").asLong()).isEqualTo(LiveIngest.nanos(T0) + 2_000 * MS);
    }

    @Test
    void statusReportsWithinASecondOfTheLastStateWaitAndTheTickPublishesTheNewest() {
        live.ingest.rigConnected(new RigId(RIG));
        live.clock.advance(Duration.ofMillis(200));
        live.accept("status", FirmwareNotes.example("status.json"));
        live.clock.advance(Duration.ofMillis(200));
        live.accept("status", live.status(13, 80.0));
        live.clock.advance(Duration.ofMillis(200));
        live.ingest.tick();
        assertThat(live.outlet.on(STATE)).hasSize(1);

        live.clock.advance(Duration.ofMillis(400));
        live.ingest.tick();
        live.ingest.tick();

        List<RecordingOutlet.Message> states = live.outlet.on(STATE);
        assertThat(states).hasSize(2);
        assertThat(live.json(states.get(1)).get("status").get("battery_percent").asDouble())
                .isEqualTo(80.0);
    }

    @Test
    void disconnectingPublishesARetainedOfflineStateThatKeepsTheLastStatus() {
        live.ingest.rigConnected(new RigId(RIG));
        live.clock.advance(Duration.ofSeconds(2));
        live.accept("status", FirmwareNotes.example("status.json"));
        live.clock.advance(Duration.ofSeconds(5));

        live.ingest.rigDisconnected(new RigId(RIG));

        List<RecordingOutlet.Message> states = live.outlet.on(STATE);
        assertThat(states).hasSize(3);
        RecordingOutlet.Message last = states.get(2);
        assertThat(last.qos()).isEqualTo(1);
        assertThat(last.retain()).isTrue();
        JsonNode state = live.json(last);
        assertThat(state.get("online").asBoolean()).isFalse();
        assertThat(state.get("since").asText()).isEqualTo("2026-11-21T14:03:07Z");
        assertThat(state.get("status").get("battery_percent").asDouble()).isEqualTo(87.5);
    }

    @Test
    void aRigStaysOnlineUntilItsLastConnectionCloses() {
        RigId rig = new RigId(RIG);
        live.ingest.rigConnected(rig);
        live.ingest.rigConnected(rig); // a new connection takes the session over...
        live.ingest.rigDisconnected(rig); // ...and the old one closes after it
        assertThat(live.outlet.on(STATE)).hasSize(1);

        live.ingest.rigDisconnected(rig);

        List<RecordingOutlet.Message> states = live.outlet.on(STATE);
        assertThat(states).hasSize(2);
        assertThat(live.json(states.get(1)).get("online").asBoolean()).isFalse();
    }

    @Test
    void aRigThatSendsBeforeTheTransportReportsConnectionsIsOnline() {
        live.accept("status", FirmwareNotes.example("status.json"));

        List<RecordingOutlet.Message> states = live.outlet.on(STATE);
        assertThat(states).hasSize(1);
        assertThat(live.json(states.get(0)).get("online").asBoolean()).isTrue();
    }

    @Test
    void timecodeLockAndItsLossChangeTheStateAtOnceAndTheLossIsAnAlert() {
        live.ingest.rigConnected(new RigId(RIG));

        live.lockTimecode();

        List<RecordingOutlet.Message> states = live.outlet.on(STATE);
        assertThat(states).hasSize(2); // not held back by the rate limit: the lock changed
        assertThat(live.json(states.get(1)).get("timecode_lock").asText()).isEqualTo("locked");
        assertThat(live.outlet.on(ALERT)).isEmpty();

        live.clock.advance(Duration.ofSeconds(4));
        live.ingest.tick();

        List<RecordingOutlet.Message> alerts = live.outlet.on(ALERT);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).qos()).isEqualTo(1);
        assertThat(alerts.get(0).retain()).isFalse();
        JsonNode alert = live.json(alerts.get(0));
        assertThat(alert.get("v").asInt()).isEqualTo(1);
        assertThat(alert.get("rig").asText()).isEqualTo(RIG);
        assertThat(alert.get("type").asText()).isEqualTo("timecode-lost");
        assertThat(alert.get("message").asText()).contains("no timecode report");
        assertThat(alert.get("silence_seconds").asDouble()).isEqualTo(4.0);
        assertThat(alert.get("jump_frames").isNull()).isTrue();
        assertThat(alert.get("drift_ppm").isNull()).isTrue();
        assertThat(alert.get("time").asText()).isEqualTo("2026-11-21T14:03:04Z");
        assertThat(live.outlet.on(STATE)).hasSize(3);
        assertThat(live.json(live.outlet.on(STATE).get(2)).get("timecode_lock").asText())
                .isEqualTo("holdover");
    }

    @Test
    void eachClosedSecondIsOneMotionMessageWithItsRollupAndYawRate() {
        live.ingest.rigConnected(new RigId(RIG));
        // Turning left at 30 deg/s about the vertical, y up: a head turn that never ends.
        for (int batch = 0; batch < 4; batch++) {
            live.clock.advance(Duration.ofSeconds(1));
            live.accept("imu", live.imu(batch, 1000, i -> new double[] {0, G0, 0, 0, 30, 0}));
        }

        List<RecordingOutlet.Message> motion = live.outlet.on(MOTION);
        assertThat(motion).hasSize(4);
        assertThat(motion).allMatch(m -> m.qos() == 0 && !m.retain());
        long previous = Long.MIN_VALUE;
        for (RecordingOutlet.Message m : motion) {
            JsonNode rollup = live.json(m);
            long second = rollup.get("time_nanos").asLong();
            assertThat(second % 1_000_000_000L).isZero();
            assertThat(rollup.get("time").asText()).isEqualTo(LiveTopics.iso(second));
            if (previous != Long.MIN_VALUE) {
                assertThat(second - previous).isEqualTo(1_000_000_000L);
            }
            previous = second;
        }
        JsonNode full = live.json(motion.get(3));
        assertThat(full.get("v").asInt()).isEqualTo(1);
        assertThat(full.get("rig").asText()).isEqualTo(RIG);
        assertThat(full.get("samples").asInt()).isEqualTo(1000);
        assertThat(full.get("expected_samples").asInt()).isEqualTo(1000);
        assertThat(full.get("gaps").asInt()).isZero();
        assertThat(full.get("accel_peak_g").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(full.get("accel_rms_g").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(full.get("gyro_peak_dps").asDouble()).isCloseTo(30.0, within(1e-9));
        assertThat(full.get("gyro_rms_dps").asDouble()).isCloseTo(30.0, within(1e-9));
        assertThat(full.get("yaw_rate_dps").asDouble()).isCloseTo(30.0, within(0.5));
    }

    @Test
    void motionIsAtMostOneMessageASecondPerRigEvenForABacklog() {
        live.ingest.rigConnected(new RigId(RIG));
        // Ten seconds of samples re-sent at once after a reconnect: all stored, two published.
        for (int batch = 0; batch < 10; batch++) {
            live.accept("imu", live.imu(batch, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}));
        }
        assertThat(live.outlet.on(MOTION)).hasSize(2);

        live.clock.advance(Duration.ofSeconds(1));
        live.accept("imu", live.imu(10, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}));
        assertThat(live.outlet.on(MOTION)).hasSize(3);

        live.clock.advance(Duration.ofMillis(500));
        live.accept("imu", live.imu(11, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}));
        assertThat(live.outlet.on(MOTION)).hasSize(3);

        live.clock.advance(Duration.ofMillis(500));
        live.accept("imu", live.imu(12, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}));
        assertThat(live.outlet.on(MOTION)).hasSize(4);

        // Another rig has its own allowance.
        Publisher other = new Publisher(new RigId("rig-08"), true, false);
        for (int batch = 0; batch < 2; batch++) {
            IngestResult result = live.ingest.accept(
                    other,
                    "rigtel/v1/rig-08/imu",
                    live.imu(batch, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}),
                    () -> {});
            assertThat(result).isInstanceOf(IngestResult.Accepted.class);
        }
        assertThat(live.outlet.on("rigtel/v1/live/rig-08/motion")).hasSize(2);
    }

    /** Sample i of the trace tests: y up, turning left at 30 deg/s, a 5 g knock along x at sample 47. */
    private static double[] turningWithAKnock(int i) {
        return new double[] {i == 47 ? 5 * G0 : 0, G0, 0, 0, 30, 0};
    }

    @Test
    void aTraceIsMadeOnlyWhileItsTopicIsWanted() {
        live.ingest.rigConnected(new RigId(RIG));
        live.outlet.wantOnly(topic -> !topic.endsWith("/trace"));

        live.accept("imu", live.imu(0, 100, LiveTopicsTest::turningWithAKnock));
        assertThat(live.outlet.on(TRACE)).isEmpty();
        assertThat(live.outlet.on(STATE)).as("the other live topics go on").isNotEmpty();

        live.outlet.wantOnly(topic -> true);
        live.clock.advance(Duration.ofMillis(MotionTracker.TRACE_INTERVAL_MILLIS));
        live.accept("imu", live.imu(1, 100, LiveTopicsTest::turningWithAKnock));
        List<RecordingOutlet.Message> traces = live.outlet.on(TRACE);
        assertThat(traces).hasSize(1);
        // Only the batch accepted after the subscription: 100 samples in 20 ms bins, 5 or 6 of them.
        assertThat(live.json(traces.get(0)).get("t_nanos").size()).isBetween(5, 6);
    }

    @Test
    void eachImuBatchIsOneTraceMessageOfItsSamplesIn20MsBins() {
        live.ingest.rigConnected(new RigId(RIG));
        live.clock.advance(Duration.ofMillis(1234));

        live.accept("imu", live.imu(0, 100, LiveTopicsTest::turningWithAKnock));

        List<RecordingOutlet.Message> traces = live.outlet.on(TRACE);
        assertThat(traces).hasSize(1);
        assertThat(traces.get(0).qos()).isZero();
        assertThat(traces.get(0).retain()).isFalse();
        JsonNode trace = live.json(traces.get(0));
        assertThat(trace.get("v").asInt()).isEqualTo(1);
        assertThat(trace.get("rig").asText()).isEqualTo(RIG);
        assertThat(trace.get("received_ms").asLong())
                .isEqualTo(T0.plusMillis(1234).toEpochMilli());
        // Without timecode the last sample of the boot's first message is anchored at the collector's
        // clock: 100 samples at 1 kHz from T0 + 1.135 s to 1.234 s make bins starting at 1.120 (5
        // samples), .140, .160, .180, .200 (20 each) and .220 (15).
        long first = LiveIngest.nanos(T0) + 1135 * MS;
        long bin0 = first - 15 * MS;
        JsonNode t = trace.get("t_nanos");
        assertThat(t).hasSize(6);
        for (int k = 0; k < 6; k++) {
            assertThat(t.get(k).asLong()).as("bin %d", k).isEqualTo(bin0 + k * 20 * MS);
        }
        // The figures are those of the motion code, sample by sample: an independent RigMotion fed
        // the same samples gives the peak |a| and the mean low-passed yaw rate of each bin.
        RigMotion motion = new RigMotion(MotionConfig.defaults());
        double[] peak = new double[6];
        double[] yawSum = new double[6];
        int[] count = new int[6];
        for (int i = 0; i < 100; i++) {
            double[] s = turningWithAKnock(i);
            long at = first + i * MS;
            motion.accept(at, s[0], s[1], s[2], s[3], s[4], s[5], new MotionSink() {
                @Override
                public void rollup(dev.rigtel.collector.motion.Rollup r) {}

                @Override
                public void event(dev.rigtel.collector.motion.MotionEvent e) {}
            });
            int k = (int) ((at - bin0) / (20 * MS));
            peak[k] = Math.max(peak[k], motion.accelG());
            yawSum[k] += motion.yawRateDps();
            count[k]++;
        }
        assertThat(count).containsExactly(5, 20, 20, 20, 20, 15);
        for (int k = 0; k < 6; k++) {
            assertThat(trace.get("accel_g").get(k).asDouble())
                    .as("accel_g %d", k)
                    .isCloseTo(peak[k], within(1e-12));
            assertThat(trace.get("yaw_rate_dps").get(k).asDouble())
                    .as("yaw_rate_dps %d", k)
                    .isCloseTo(yawSum[k] / count[k], within(1e-9));
        }
        // The knock at sample 47 (T0 + 1.182 s) is the peak of the bin from .180; turning left is positive.
        assertThat(trace.get("accel_g").get(3).asDouble()).isCloseTo(Math.sqrt(26), within(1e-9));
        assertThat(trace.get("accel_g").get(2).asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(trace.get("yaw_rate_dps").get(5).asDouble()).isCloseTo(30.0, within(0.5));
    }

    @Test
    void aBinThatTwoBatchesShareIsInBothTracesEachWithItsOwnSamples() {
        live.ingest.rigConnected(new RigId(RIG));
        // 30-sample batches: the first ends at T0 (anchored there), the second runs from T0 + 1 ms to
        // T0 + 30 ms, so the bin from T0 has one sample of the first batch and 19 of the second.
        live.accept("imu", live.imu(0, 30, i -> new double[] {0, G0, 0, 0, 0, 0}));
        live.clock.advance(Duration.ofMillis(MotionTracker.TRACE_INTERVAL_MILLIS));
        live.accept("imu", live.imu(1, 30, i -> new double[] {i == 2 ? 3 * G0 : 0, G0, 0, 0, 0, 0}));

        List<RecordingOutlet.Message> traces = live.outlet.on(TRACE);
        assertThat(traces).hasSize(2);
        long t0 = LiveIngest.nanos(T0);
        JsonNode first = live.json(traces.get(0));
        JsonNode second = live.json(traces.get(1));
        assertThat(longs(first.get("t_nanos"))).containsExactly(t0 - 40 * MS, t0 - 20 * MS, t0);
        assertThat(longs(second.get("t_nanos"))).containsExactly(t0, t0 + 20 * MS);
        assertThat(first.get("accel_g").get(2).asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(second.get("accel_g").get(0).asDouble()).isCloseTo(Math.sqrt(10), within(1e-9));
        assertThat(second.get("received_ms").asLong())
                .isEqualTo(T0.toEpochMilli() + MotionTracker.TRACE_INTERVAL_MILLIS);
    }

    @Test
    void batchesWithinTheTraceIntervalGoOutTogetherInTheNextTraceOrAtTheTick() {
        long interval = MotionTracker.TRACE_INTERVAL_MILLIS;
        live.ingest.rigConnected(new RigId(RIG));
        long t0 = LiveIngest.nanos(T0);
        // 30-sample batches 30 ms apart; the first ends at T0 (anchored there).
        live.accept("imu", live.imu(0, 30, i -> new double[] {0, G0, 0, 0, 0, 0}));
        live.clock.advance(Duration.ofMillis(30));
        live.accept("imu", live.imu(1, 30, i -> new double[] {0, G0, 0, 0, 0, 0}));
        live.clock.advance(Duration.ofMillis(30));
        // A 3 g knock at T0 + 31 ms, in the bin from T0 + 20 ms that batches 1 and 2 share.
        live.accept("imu", live.imu(2, 30, i -> new double[] {i == 0 ? 3 * G0 : 0, G0, 0, 0, 0, 0}));
        assertThat(live.outlet.on(TRACE)).as("within the interval of the first").hasSize(1);

        live.clock.advance(Duration.ofMillis(interval - 60));
        live.accept("imu", live.imu(3, 30, i -> new double[] {0, G0, 0, 0, 0, 0}));
        List<RecordingOutlet.Message> traces = live.outlet.on(TRACE);
        assertThat(traces).hasSize(2);
        JsonNode second = live.json(traces.get(1));
        // Batches 1 to 3, T0 + 1 ms to T0 + 90 ms, in one message; each bin once, merged.
        assertThat(longs(second.get("t_nanos")))
                .containsExactly(t0, t0 + 20 * MS, t0 + 40 * MS, t0 + 60 * MS, t0 + 80 * MS);
        assertThat(second.get("accel_g").get(1).asDouble()).isCloseTo(Math.sqrt(10), within(1e-9));
        assertThat(second.get("accel_g").get(2).asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(second.get("received_ms").asLong()).isEqualTo(T0.toEpochMilli() + interval);

        // The rig's last batch waits for a next one that does not come: the tick sends it.
        live.clock.advance(Duration.ofMillis(30));
        live.accept("imu", live.imu(4, 30, i -> new double[] {0, G0, 0, 0, 0, 0}));
        assertThat(live.outlet.on(TRACE)).hasSize(2);
        live.clock.advance(Duration.ofMillis(interval - 30));
        live.ingest.tick();
        traces = live.outlet.on(TRACE);
        assertThat(traces).hasSize(3);
        JsonNode third = live.json(traces.get(2));
        assertThat(longs(third.get("t_nanos"))).containsExactly(t0 + 80 * MS, t0 + 100 * MS, t0 + 120 * MS);
        assertThat(third.get("received_ms").asLong()).isEqualTo(T0.toEpochMilli() + interval + 30);
    }

    @Test
    void aBacklogFasterThanRealTimeIsTracedInMessagesOfAtMostTheBinLimitAndOneBatch() {
        live.ingest.rigConnected(new RigId(RIG));
        live.accept("imu", live.imu(0, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}));
        // Twelve more seconds of samples arrive within the interval: 50 bins each, 600 in all.
        for (int n = 1; n <= 12; n++) {
            live.accept("imu", live.imu(n, 1000, i -> new double[] {0, G0, 0, 0, 0, 0}));
        }
        List<RecordingOutlet.Message> traces = live.outlet.on(TRACE);
        assertThat(traces).hasSizeGreaterThan(2);
        int bins = 0;
        for (RecordingOutlet.Message m : traces) {
            int n = live.json(m).get("t_nanos").size();
            assertThat(n).isLessThanOrEqualTo(MotionTracker.MAX_TRACE_BINS + 51);
            bins += n;
        }
        assertThat(bins)
                .as("every second's 50 bins, one shared per message at most")
                .isGreaterThanOrEqualTo(13 * 50);
    }

    @Test
    void aResentBatchIsNotTracedAgain() {
        live.ingest.rigConnected(new RigId(RIG));
        byte[] batch = live.imu(0, 100, LiveTopicsTest::turningWithAKnock);
        live.accept("imu", batch);
        live.clock.advance(Duration.ofSeconds(1));

        live.accept("imu", batch); // stored again (it overwrites itself), but nothing new to plot

        assertThat(live.outlet.on(TRACE)).hasSize(1);
    }

    @Test
    void eachRigHasItsOwnTraceTopic() {
        Publisher other = new Publisher(new RigId("rig-08"), true, false);

        IngestResult result = live.ingest.accept(
                other, "rigtel/v1/rig-08/imu", live.imu(0, 40, LiveTopicsTest::turningWithAKnock), () -> {});

        assertThat(result).isInstanceOf(IngestResult.Accepted.class);
        assertThat(live.outlet.on("rigtel/v1/live/rig-08/trace")).hasSize(1);
        assertThat(live.json(live.last("rigtel/v1/live/rig-08/trace"))
                        .get("rig")
                        .asText())
                .isEqualTo("rig-08");
        assertThat(live.outlet.on(TRACE)).isEmpty();
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    @Test
    void anImpactIsPublishedAsAnEventWithItsPeakAndHic() {
        live.ingest.rigConnected(new RigId(RIG));
        // At rest, y up; a 14 g half-sine of 10 ms along x from sample 500 (peak at sample 505).
        live.accept("imu", live.imu(0, 1000, i -> {
            double rel = i - 500;
            double ax = rel >= 0 && rel <= 10 ? 14 * G0 * Math.sin(Math.PI * rel / 10) : 0;
            return new double[] {ax, G0, 0, 0, 0, 0};
        }));

        List<RecordingOutlet.Message> events = live.outlet.on(EVENT);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).qos()).isEqualTo(1);
        assertThat(events.get(0).retain()).isFalse();
        JsonNode event = live.json(events.get(0));
        assertThat(event.get("v").asInt()).isEqualTo(1);
        assertThat(event.get("rig").asText()).isEqualTo(RIG);
        assertThat(event.get("type").asText()).isEqualTo("impact");
        assertThat(event.get("peak_g").asDouble()).isCloseTo(Math.sqrt(14 * 14 + 1), within(1e-6));
        assertThat(event.get("hic15").asDouble()).isPositive();
        long onset = event.get("onset_nanos").asLong();
        assertThat(event.get("end_nanos").asLong() - onset).isEqualTo(32 * MS);
        assertThat(event.get("onset").asText()).isEqualTo(LiveTopics.iso(onset));
        assertThat(event.get("end").asText()).isEqualTo(LiveTopics.iso(onset + 32 * MS));
        for (String notForImpacts : List.of(
                "peak_yaw_rate_dps", "angle_deg", "direction", "axis", "clipped_g", "clipped_dps", "missing_samples")) {
            assertThat(event.get(notForImpacts).isNull()).as(notForImpacts).isTrue();
        }
    }

    @Test
    void aRollPublishesARetainedTakeStartedAndPutsTheTakeAndWearerInTheState() {
        live.ingest.rigConnected(new RigId(RIG));

        live.slate("slate-assign.json");
        assertThat(live.json(live.last(STATE)).get("wearer").asText()).isEqualTo("Dana Brooks");
        assertThat(live.outlet.on(TAKES)).isEmpty();

        live.slate("slate-roll.json");

        List<RecordingOutlet.Message> takes = live.outlet.on(TAKES);
        assertThat(takes).hasSize(1);
        assertThat(takes.get(0).qos()).isEqualTo(1);
        assertThat(takes.get(0).retain()).isTrue();
        JsonNode take = live.json(takes.get(0));
        assertThat(take.get("v").asInt()).isEqualTo(1);
        assertThat(take.get("event").asText()).isEqualTo("started");
        assertThat(take.get("take_id").asText()).isEqualTo("5b0e6c1e-roll");
        assertThat(take.get("name").asText()).isEqualTo("42A-3");
        assertThat(take.get("scene").asText()).isEqualTo("42");
        assertThat(take.get("shot").asText()).isEqualTo("A");
        assertThat(take.get("take").asInt()).isEqualTo(3);
        assertThat(take.get("camera_roll").asText()).isEqualTo("A001");
        assertThat(take.get("date").asText()).isEqualTo("2026-11-21");
        assertThat(take.get("start_timecode").asText()).isEqualTo("14:03:27:00");
        assertThat(take.get("start").asText()).isEqualTo("2026-11-21T14:03:27Z");
        assertThat(take.get("end").isNull()).isTrue();
        assertThat(take.get("end_nanos").isNull()).isTrue();
        assertThat(take.get("rigs").toString()).isEqualTo("[\"rig-07\"]");
        assertThat(take.get("wearers").toString()).isEqualTo("[{\"rig\":\"rig-07\",\"person\":\"Dana Brooks\"}]");
        JsonNode stateTake = live.json(live.last(STATE)).get("take");
        assertThat(stateTake.get("id").asText()).isEqualTo("5b0e6c1e-roll");
        assertThat(stateTake.get("name").asText()).isEqualTo("42A-3");
        assertThat(stateTake.get("scene").asText()).isEqualTo("42");
        assertThat(stateTake.get("shot").asText()).isEqualTo("A");
        assertThat(stateTake.get("take").asInt()).isEqualTo(3);
    }

    @Test
    void aStuntRollSaysSoInTheTakeAndASnoozeIsAnAlertUntilThatTakesCut() {
        live.ingest.rigConnected(new RigId(RIG));
        live.slate("slate-roll.json");
        assertThat(live.json(live.last(TAKES)).get("stunt").asBoolean()).isFalse();

        live.slate("slate-roll-stunt.json");
        JsonNode take = live.json(live.last(TAKES));
        assertThat(take.get("name").asText()).isEqualTo("57B-1");
        assertThat(take.get("stunt").asBoolean()).isTrue();

        live.slate("slate-snooze.json");

        RecordingOutlet.Message message = live.last(ALERT);
        assertThat(message.qos()).isEqualTo(1);
        assertThat(message.retain()).isFalse();
        JsonNode snooze = live.json(message);
        assertThat(snooze.get("type").asText()).isEqualTo(LiveTopics.SNOOZE_ALERT);
        assertThat(snooze.get("rig").asText()).isEqualTo(RIG);
        assertThat(snooze.get("take_id").asText()).isEqualTo("6d1f-roll");
        assertThat(snooze.get("message").asText()).contains("57B-1 is cut");
    }

    @Test
    void aSnoozeOfEveryRigGoesToTheStarAlertTopic() throws IOException {
        ObjectNode all = (ObjectNode) live.wire.mapper().readTree(FirmwareNotes.example("slate-snooze.json"));
        all.put("rig", "*");

        live.slate(live.wire.mapper().writeValueAsBytes(all));

        JsonNode snooze = live.json(live.last("rigtel/v1/live/*/alert"));
        assertThat(snooze.get("rig").asText()).isEqualTo("*");
        assertThat(snooze.get("take_id").isNull()).isTrue();
        assertThat(snooze.get("message").asText()).contains("every rig").contains("the next cut");
    }

    @Test
    void aCutPublishesTheTakeEndedAndClearsTheTakeFromTheState() {
        live.ingest.rigConnected(new RigId(RIG));
        live.slate("slate-roll.json");
        int states = live.outlet.on(STATE).size();

        live.slate("slate-cut.json");

        List<RecordingOutlet.Message> takes = live.outlet.on(TAKES);
        assertThat(takes).hasSize(2);
        JsonNode ended = live.json(takes.get(1));
        assertThat(ended.get("event").asText()).isEqualTo("ended");
        assertThat(ended.get("end_timecode").asText()).isEqualTo("14:05:02:11");
        assertThat(ended.get("end").asText()).isEqualTo("2026-11-21T14:05:02.440Z"); // frame 11 at 25 fps
        assertThat(ended.get("closed_by_next_roll").asBoolean()).isFalse();
        assertThat(live.outlet.on(STATE)).hasSize(states + 1);
        assertThat(live.json(live.last(STATE)).get("take").isNull()).isTrue();

        live.slate("slate-mark.json"); // marks the take: not a start or an end
        live.slate("slate-cut.json"); // re-sent: nothing changed
        assertThat(live.outlet.on(TAKES)).hasSize(2);
        assertThat(live.outlet.on(STATE)).hasSize(states + 1);
    }

    @Test
    void aRollWithoutCutEndsThePreviousTakeBeforeTheNextStarts() throws IOException {
        live.slate("slate-roll.json");
        ObjectNode next = (ObjectNode) live.wire.mapper().readTree(FirmwareNotes.example("slate-roll.json"));
        next.put("id", "7c2f-roll").put("tc", "14:06:00:00").put("take", 4);

        live.slate(live.wire.mapper().writeValueAsBytes(next));

        List<String> events = live.outlet.on(TAKES).stream()
                .map(live::json)
                .map(t -> t.get("event").asText() + " " + t.get("name").asText() + " "
                        + t.get("closed_by_next_roll").asBoolean())
                .toList();
        assertThat(events).containsExactly("started 42A-3 false", "ended 42A-3 true", "started 42A-4 false");
    }

    @Test
    void withoutAnOutletNothingIsEncodedAndIngestWorksAsBefore() {
        IngestService quiet = TestIngest.create(
                new PayloadDecoder(live.wire, 4000),
                new DeviceClocks(live.clock, AlignerOptions.defaults()),
                TakeHistory.inMemory(ZoneOffset.UTC, live.clock),
                MotionConfig.defaults(),
                ZoneOffset.UTC,
                live.buffer,
                new IngestMeters(live.registry),
                live.clock);
        quiet.rigConnected(new RigId(RIG));
        IngestResult result = quiet.accept(
                new Publisher(new RigId(RIG), true, false),
                "rigtel/v1/rig-07/status",
                FirmwareNotes.example("status.json"),
                () -> {});

        assertThat(result).isInstanceOf(IngestResult.Accepted.class);
        assertThat(live.outlet.messages()).isEmpty();
    }
}
