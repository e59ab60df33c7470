package dev.rigtel.collector.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Valid MQTT frames of every kind a client sends, and mutations of them, for fuzzing. */
public final class MqttMutations {

    private MqttMutations() {}

    /** Valid frames of every kind a client sends, as seeds for mutation. */
    public static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        MqttFrames frames = new MqttFrames();
        seeds.add(bytes(frames.connect(MqttVersion.MQTT_3_1_1, "rig-02", "rig-02", "pw", 30)));
        seeds.add(bytes(frames.publish(
                "rigtel/v1/rig-02/imu", MqttQoS.AT_LEAST_ONCE, 7, FirmwareNotes.example("imu-200hz-offsets.json"))));
        seeds.add(bytes(frames.publish(
                "rigtel/v1/rig-02/imu", MqttQoS.AT_MOST_ONCE, 0, FirmwareNotes.example("imu-1khz.cbor"))));
        seeds.add(bytes(frames.publish(
                "rigtel/v1/rig-02/status", MqttQoS.AT_LEAST_ONCE, 8, FirmwareNotes.example("status.json"))));
        seeds.add(bytes(frames.publish(
                "rigtel/v1/rig-02/timecode", MqttQoS.AT_LEAST_ONCE, 9, FirmwareNotes.example("timecode-25.json"))));
        seeds.add(bytes(frames.encode(MqttMessageBuilders.subscribe()
                .messageId(3)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "rigtel/#")
                .build())));
        seeds.add(bytes(frames.encode(MqttMessageBuilders.unsubscribe()
                .messageId(4)
                .addTopicFilter("a/b")
                .build())));
        seeds.add(new byte[] {(byte) 0xC0, 0x00}); // PINGREQ
        seeds.add(new byte[] {0x40, 0x02, 0x00, 0x07}); // PUBACK
        frames.close();
        return seeds;
    }

    private static byte[] bytes(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** One of: bit flips, truncation, inserted garbage, a huge remaining length, pure garbage, or a bad topic. */
    public static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, 1 + random.nextInt(b.length));
            case 2 -> {
                int at = random.nextInt(b.length);
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                byte[] out = new byte[b.length + extra.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, extra.length);
                System.arraycopy(b, at, out, at + extra.length, b.length - at);
                b = out;
            }
            case 3 -> {
                b = java.util.Arrays.copyOf(b, Math.max(b.length, 5));
                b[1] = (byte) 0xFF;
                b[2] = (byte) 0xFF;
                b[3] = (byte) 0xFF;
                b[4] = (byte) 0x7F;
            }
            case 4 -> {
                b = new byte[1 + random.nextInt(64)];
                random.nextBytes(b);
            }
            case 5 -> {
                // Invalid UTF-8 in a PUBLISH topic (seeds 1..4 start their topic at byte 4 or 5).
                if ((b[0] & 0xF0) == 0x30 && b.length > 8) {
                    b[6] = (byte) 0xC3;
                    b[7] = (byte) 0x28;
                } else {
                    b[0] = (byte) (random.nextInt(16) << 4 | random.nextInt(16));
                }
            }
            default -> {
                // A valid frame whose payload is mangled: the payload checks, not the framing, must catch it.
                if ((b[0] & 0xF0) == 0x30 && b.length > 40) {
                    for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                        b[30 + random.nextInt(b.length - 30)] = (byte) random.nextInt(256);
                    }
                }
            }
        }
        return b;
    }
}
