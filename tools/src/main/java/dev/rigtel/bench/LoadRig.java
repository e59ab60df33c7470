package dev.rigtel.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One simulated rig of the load generator: an MQTT 3.1.1 connection (client id = rig id, as the
 * collector's anonymous mode and Mosquitto want it) that publishes pre-encoded IMU batches at QoS 1
 * with its own window of unacknowledged messages. Everything it does runs on its channel's event
 * loop, so it needs no locks; counters shared with the controller live in {@link LoadStats}.
 *
 * <p>Two ways to send: <em>paced</em>, batch {@code seq} falls due {@code (seq - 1) x batch length}
 * after the start (plus a per-rig phase, so rigs do not all send in the same millisecond), as a
 * real rig sends; or <em>as fast as the window allows</em>, a new batch for every PUBACK. Latencies
 * are measured from the moment a batch fell due (paced) or was written (unpaced), so a generator
 * or a collector falling behind shows up in them instead of hiding (coordinated omission).
 */
final class LoadRig extends ChannelInboundHandlerAdapter {

    /** Send times of the last this-many batches stay known, for the live and stored latencies. */
    static final int SEND_LOG = 8192;

    private final String rig;
    private final String topic;
    private final ImuPayloads payloads;
    private final BatchSequence sequence;
    private final byte[] header;
    private final LoadStats stats;
    private final int window;
    private final int keepAliveSeconds;

    /** Send time (System.nanoTime) by packet id slot. */
    private final long[] sentNanosBySlot;

    private final int slotMask;

    /** Send time by {@code seq mod SEND_LOG}, and which seq it belongs to; read by other threads. */
    private final AtomicLongArray sentNanosBySeq = new AtomicLongArray(SEND_LOG);

    private final AtomicLongArray seqBySlot = new AtomicLongArray(SEND_LOG);

    private Channel channel;
    private Promise<LoadRig> connected;
    private int packetId;
    private int inflight;
    private long nextSeq = 1;
    private long lastSeq;
    private boolean paced;
    private long startNanos;
    private long phaseNanos;
    private ScheduledFuture<?> pacer;
    private volatile boolean stopping;

    /**
     * Every timecode frame at {@value #TIMECODE_FPS} fps, this many a report (0: no timecode reports),
     * and status reports (0: none); see {@link #reports}.
     */
    private int timecodeFramesPerReport;

    /** Device times (us) of the frames of the timecode report being gathered. */
    private long[] timecodeFrameMicros;

    private long timecodeFirstFrame;
    private int timecodeFrames;

    private int statusEverySeconds;
    private final String boot;
    private final String timecodeTopic;
    private final String statusTopic;
    private long timecodeSeq;
    private long statusSeq;
    private ScheduledFuture<?> timecoder;
    /** Side reports skipped because the window was full. */
    private long reportsSkipped;

    /** The frame rate of the timecode reports: 25 fps, each frame exactly 40 ms. */
    static final int TIMECODE_FPS = 25;

    static final long FRAME_NANOS = 1_000_000_000L / TIMECODE_FPS;

    /** {@link #sentNanosBySlot} of a timecode or status report: no IMU latency, no samples. */
    private static final long REPORT = Long.MIN_VALUE;

    LoadRig(
            String rig,
            String boot,
            ImuPayloads payloads,
            BatchSequence sequence,
            LoadStats stats,
            int window,
            int keepAliveSeconds) {
        if (window < 1 || window > 32_768) {
            throw new IllegalArgumentException("window must be 1..32768, got " + window);
        }

        this.rig = rig;
        this.topic = "rigtel/v1/" + rig + "/imu";
        this.payloads = payloads;
        this.sequence = sequence;
        this.header = payloads.header(boot);
        this.boot = boot;
        this.timecodeTopic = "rigtel/v1/" + rig + "/timecode";
        this.statusTopic = "rigtel/v1/" + rig + "/status";
        this.stats = stats;
        this.window = window;
        this.keepAliveSeconds = keepAliveSeconds;
        // Packet ids wrap from 65535 to 1; twice the window keeps the outstanding ones apart.
        int slots = Integer.highestOneBit(window) << 2;
        this.sentNanosBySlot = new long[slots];
        this.slotMask = slots - 1;
    }

    String rig() {
        return rig;
    }

    String topic() {
        return topic;
    }

    BatchSequence sequence() {
        return sequence;
    }

    /**
     * When batch {@code seq} was published (fell due, or was written), System.nanoTime; -1 when it
     * was not, or is too old to be remembered.
     */
    long sentNanos(long seq) {
        int slot = (int) (seq % SEND_LOG);
        long nanos = sentNanosBySeq.get(slot);
        return seqBySlot.get(slot) == seq ? nanos : -1;
    }

    // --- connection ------------------------------------------------------------------------

    /** Set by the bootstrap before connecting; completes at CONNACK. */
    void whenConnected(Promise<LoadRig> promise) {
        this.connected = promise;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.writeAndFlush(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId(rig)
                .cleanSession(true)
                .keepAlive(keepAliveSeconds)
                .build());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof MqttMessage message) || message.fixedHeader() == null) {
                stats.protocolErrors.increment();
                ctx.close();
                return;
            }
            switch (message.fixedHeader().messageType()) {
                case CONNACK -> connack(ctx, (MqttConnAckMessage) message);
                case PUBACK -> puback(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
                case PINGRESP -> stats.pings.increment();
                default -> {
                    // A publish to us (the collector's error topic is not subscribed): ignore.
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void connack(ChannelHandlerContext ctx, MqttConnAckMessage ack) {
        MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            connected.tryFailure(new IllegalStateException(rig + ": CONNACK " + code));
            ctx.close();
            return;
        }
        stats.connected.increment();
        connected.trySuccess(this);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        MqttLoad.pingWhenIdle(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connected != null && connected.tryFailure(new IllegalStateException(rig + ": connection closed"))) {
            return;
        }
        if (!stopping) {
            stats.dropped.increment();
        }
        if (pacer != null) {
            pacer.cancel(false);
        }
        if (timecoder != null) {
            timecoder.cancel(false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.protocolErrors.increment();
        ctx.close();
    }

    // --- publishing ------------------------------------------------------------------------

    /**
     * Starts publishing batches 1 to {@code batches}: paced at the rig's rate from {@code startNanos}
     * plus {@code phaseNanos}, or, unpaced, as fast as the window allows. Call from any thread.
     */
    void start(long batches, boolean paced, long startNanos, long phaseNanos) {
        channel.eventLoop().execute(() -> {
            this.lastSeq = batches;
            this.paced = paced;
            this.startNanos = startNanos;
            this.phaseNanos = phaseNanos;
            if (paced) {
                long period = sequence.batchNanos();
                long firstDue = startNanos + phaseNanos - System.nanoTime();
                pacer = channel.eventLoop()
                        .scheduleAtFixedRate(this::pump, Math.max(0, firstDue), period, TimeUnit.NANOSECONDS);
                if (timecodeFramesPerReport > 0 || statusEverySeconds > 0) {
                    startReports();
                }
            } else {
                pump();
            }
        });
    }

    /** Stops publishing new batches; unacknowledged ones still count when their PUBACK comes. */
    void stop() {
        stopping = true;
        if (channel != null) {
            channel.eventLoop().execute(() -> {
                lastSeq = Math.min(lastSeq, nextSeq - 1);
                if (pacer != null) {
                    pacer.cancel(false);
                }
                if (timecoder != null) {
                    timecoder.cancel(false);
                }
            });
        }
    }

    /** Marks the rig as closing on purpose, then closes its connection. */
    void close() {
        stopping = true;
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * Besides its IMU batches a paced rig sends what a rig on a set sends (firmware-notes): every
     * timecode frame, {@value #TIMECODE_FPS} fps, paired with its device time, in reports of
     * {@code timecodeFramesPerReport} frames ({@code rigtel/v1/{rig}/timecode}; 1: a report a frame,
     * 5: a batched report every 200 ms, 0: none), and a status report every
     * {@code statusEverySeconds} ({@code rigtel/v1/{rig}/status}), both JSON at QoS 1 in the same
     * window as the batches. Call before {@link #start}.
     */
    void reports(int timecodeFramesPerReport, int statusEverySeconds) {
        this.timecodeFramesPerReport = timecodeFramesPerReport;
        this.timecodeFrameMicros = new long[Math.max(1, timecodeFramesPerReport)];
        this.statusEverySeconds = statusEverySeconds;
    }

    /** Reports skipped because the window was full (a rig on a set would queue them). */
    long reportsSkipped() {
        return reportsSkipped;
    }

    /**
     * Every frame of the production's timecode (jammed: frames begin at the same true time on every
     * rig, UTC time of day at 25 fps) this rig reports the frame's label with its device time at the
     * frame's start, a little after it began: at the rig's own phase within the frame, so that the
     * rigs' reports do not all arrive in the same millisecond.
     */
    private void startReports() {
        long wallMinusNano = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        long firstFrame = Math.floorDiv(startNanos + phaseNanos + wallMinusNano, FRAME_NANOS) + 1;
        long lag = phaseNanos % FRAME_NANOS;
        long firstDue = firstFrame * FRAME_NANOS - wallMinusNano + lag;
        long[] frame = {firstFrame};
        timecoder = channel.eventLoop()
                .scheduleAtFixedRate(
                        () -> {
                            long f = frame[0]++;
                            long frameStart = f * FRAME_NANOS - wallMinusNano;
                            // Batch seq falls due at startNanos + phase + (seq - 1) x batch length, when a rig
                            // has just taken its last sample: device time d is wall time startNanos + phase
                            // - batch + (d - first sample), so a batch's samples are in the past when it is
                            // published, as on a set (not up to a batch ahead of the collector's clock).
                            long deviceMicros = sequence.firstSampleMicros(1)
                                    + (frameStart - startNanos - phaseNanos + sequence.batchNanos()) / 1000;
                            boolean wrote = false;
                            if (timecodeFramesPerReport > 0) {
                                if (timecodeFrames == 0) {
                                    timecodeFirstFrame = f;
                                }
                                timecodeFrameMicros[timecodeFrames++] = deviceMicros;
                                if (timecodeFrames == timecodeFramesPerReport) {
                                    timecodeFrames = 0;
                                    wrote = report(
                                            timecodeTopic,
                                            timecodeJson(
                                                    ++timecodeSeq,
                                                    boot,
                                                    timecodeFirstFrame,
                                                    timecodeFrameMicros,
                                                    timecodeFramesPerReport));
                                }
                            }
                            if (statusEverySeconds > 0 && f % ((long) statusEverySeconds * TIMECODE_FPS) == 0) {
                                wrote |= report(statusTopic, statusJson(++statusSeq, boot, deviceMicros));
                            }
                            if (wrote) {
                                channel.flush();
                            }
                        },
                        Math.max(0, firstDue - System.nanoTime()),
                        FRAME_NANOS,
                        TimeUnit.NANOSECONDS);
    }

    /** A timecode report of frame {@code frame} (frames of 40 ms since the epoch, UTC). */
    static byte[] timecodeJson(long seq, String boot, long frame, long deviceMicros) {
        return timecodeJson(seq, boot, frame, new long[] {deviceMicros}, 1);
    }

    /**
     * A timecode report of the {@code frames} frames from {@code frame} on, frame {@code i} at device
     * time {@code deviceMicros[i]}: {@code next_us} holds the frames after the first (a batched report).
     */
    static byte[] timecodeJson(long seq, String boot, long frame, long[] deviceMicros, int frames) {
        long frameOfDay = Math.floorMod(frame, 86_400L * TIMECODE_FPS);
        long seconds = frameOfDay / TIMECODE_FPS;
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(Math.floorDiv(frame, 86_400L * TIMECODE_FPS));
        StringBuilder json = new StringBuilder(160 + 10 * frames);
        json.append(String.format(
                "{\"v\":1,\"seq\":%d,\"boot\":\"%s\",\"tc\":\"%02d:%02d:%02d:%02d\",\"rate\":\"25\",\"df\":false,"
                        + "\"t_us\":%d,\"date\":\"%s\"",
                seq,
                boot,
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60,
                frameOfDay % TIMECODE_FPS,
                deviceMicros[0],
                date));
        if (frames > 1) {
            json.append(",\"next_us\":[");
            for (int i = 1; i < frames; i++) {
                json.append(i > 1 ? "," : "").append(deviceMicros[i]);
            }
            json.append(']');
        }
        return json.append('}').toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A status report as in firmware-notes/examples/status.json. */
    static byte[] statusJson(long seq, String boot, long deviceMicros) {
        return String.format(
                        "{\"v\":1,\"seq\":%d,\"boot\":\"%s\",\"t_us\":%d,\"battery_pct\":87.5,\"battery_v\":3.92,"
                                + "\"temp_c\":41.25,\"wifi_rssi_dbm\":-61,\"recording\":true,\"imu_rate_hz\":1000.0,"
                                + "\"accel_range_g\":16,\"gyro_range_dps\":2000,\"fw\":\"1.4.2\"}",
                        seq, boot, deviceMicros)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Publishes a report at QoS 1 if the window has room; true if it was written (not flushed). */
    private boolean report(String reportTopic, byte[] json) {
        if (!channel.isActive() || inflight >= window || stopping) {
            reportsSkipped++;
            return false;
        }
        packetId = packetId == 65_535 ? 1 : packetId + 1;
        sentNanosBySlot[packetId & slotMask] = REPORT;
        inflight++;
        stats.sent.increment();
        channel.write(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(reportTopic, packetId),
                Unpooled.wrappedBuffer(json)));
        return true;
    }

    private void pump() {
        if (!channel.isActive()) {
            return;
        }
        long dueSeq = lastSeq;
        long now = System.nanoTime();
        if (paced) {
            long elapsed = now - startNanos - phaseNanos;
            dueSeq = elapsed < 0 ? 0 : Math.min(lastSeq, 1 + elapsed / sequence.batchNanos());
        }
        boolean wrote = false;
        while (nextSeq <= dueSeq && inflight < window) {
            long seq = nextSeq++;
            long publishedNanos = paced ? startNanos + phaseNanos + (seq - 1) * sequence.batchNanos() : now;
            write(seq, publishedNanos);
            wrote = true;
        }
        if (paced && nextSeq <= dueSeq) {
            stats.windowFull.increment();
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void write(long seq, long publishedNanos) {
        payloads.patch(header, seq, sequence.firstSampleMicros(seq));
        ByteBuf head = channel.alloc().buffer(header.length).writeBytes(header);
        CompositeByteBuf payload = channel.alloc().compositeBuffer(2);
        payload.addComponents(true, head, Unpooled.wrappedBuffer(payloads.block(seq)));
        packetId = packetId == 65_535 ? 1 : packetId + 1;
        sentNanosBySlot[packetId & slotMask] = publishedNanos;
        int slot = (int) (seq % SEND_LOG);
        sentNanosBySeq.set(slot, publishedNanos);
        seqBySlot.set(slot, seq);
        inflight++;
        stats.sent.increment();
        // Not MqttMessageBuilders.publish(): its build() copies the payload into a new buffer and
        // leaves ours unreleased. The encoder computes the remaining length itself.
        channel.write(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(topic, packetId),
                payload));
    }

    private void puback(int id) {
        long now = System.nanoTime();
        if (inflight == 0) {
            stats.protocolErrors.increment();
            return;
        }
        inflight--;
        stats.acked.increment();
        long sent = sentNanosBySlot[id & slotMask];
        if (sent != REPORT) {
            stats.ackedSamples.add(sequence.samplesPerBatch());
            stats.ack(sent, now);
        }
        if (!paced && !stopping) {
            pump();
        } else if (paced && nextSeq <= lastSeq) {
            // A batch that waited for the window goes out now rather than at the next tick.
            pump();
        }
    }
}
