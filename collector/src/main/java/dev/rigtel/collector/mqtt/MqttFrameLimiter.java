package dev.rigtel.collector.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into whole MQTT packets before {@code MqttDecoder} sees it, and refuses a
 * packet whose remaining length is over the limit as soon as its fixed header arrives. Netty's
 * decoder only checks the size after it has buffered the whole packet, so without this a client
 * could announce 256 MB and make us hold it (MQTT 3.1.1 section 2.2.3: at most 4 length bytes).
 */
final class MqttFrameLimiter extends ByteToMessageDecoder {

    private final int maxMessageBytes;
    private final Disconnects disconnects;
    private boolean failed;

    /**
     * The largest whole packet a remaining length of at most {@code maxRemainingBytes} makes: the
     * type byte, the remaining length's own bytes (1 to 4, MQTT 3.1.1 section 2.2.3) and the rest.
     * It is what MQTT 5 CONNACK announces as Maximum Packet Size (section 3.2.2.3.6), and what
     * {@code MqttDecoder}, which counts the fixed header into its limit, is given.
     */
    static int largestPacketBytes(int maxRemainingBytes) {
        int lengthBytes =
                maxRemainingBytes < 128 ? 1 : maxRemainingBytes < 16_384 ? 2 : maxRemainingBytes < 2_097_152 ? 3 : 4;
        return 1 + lengthBytes + maxRemainingBytes;
    }

    MqttFrameLimiter(int maxMessageBytes, Disconnects disconnects) {
        this.maxMessageBytes = maxMessageBytes;
        this.disconnects = disconnects;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int remaining = 0;
            int multiplier = 1;
            int lengthBytes = 0;
            boolean complete = false;
            while (lengthBytes < 4 && start + 1 + lengthBytes < in.writerIndex()) {
                int digit = in.getUnsignedByte(start + 1 + lengthBytes);
                lengthBytes++;
                remaining += (digit & 0x7F) * multiplier;
                multiplier *= 128;
                if ((digit & 0x80) == 0) {
                    complete = true;
                    break;
                }
            }
            if (!complete) {
                if (lengthBytes == 4) {
                    fail(ctx, in, "malformed-packet", Disconnects.MALFORMED_PACKET, "remaining length over 4 bytes");
                }
                return;
            }
            if (remaining > maxMessageBytes) {
                fail(
                        ctx,
                        in,
                        "packet-too-large",
                        Disconnects.PACKET_TOO_LARGE,
                        "remaining length " + remaining + " over the limit of " + maxMessageBytes);
                return;
            }
            int frame = 1 + lengthBytes + remaining;
            if (in.readableBytes() < frame) {
                return;
            }
            out.add(in.readRetainedSlice(frame));
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, String reason, byte v5Code, String detail) {
        failed = true;
        in.skipBytes(in.readableBytes());
        disconnects.close(ctx.channel(), reason, v5Code, detail);
    }
}
