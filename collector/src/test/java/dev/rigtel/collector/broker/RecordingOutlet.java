package dev.rigtel.collector.broker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An {@link Outlet} that records what the broker sends, with settable back-pressure and size limit. */
final class RecordingOutlet implements Outlet {

    /** One PUBLISH as the broker handed it over. */
    record Sent(int packetId, BrokerMessage message, boolean dup) {

        String topic() {
            return message.topic();
        }

        String payload() {
            return new String(message.payload(), StandardCharsets.UTF_8);
        }

        int qos() {
            return message.qos();
        }

        boolean retain() {
            return message.retain();
        }
    }

    private final List<Sent> published = new ArrayList<>();
    private final List<Integer> pubrels = new ArrayList<>();
    private int takenOver;
    private boolean writable = true;
    private long maximumPacketBytes = Long.MAX_VALUE;

    @Override
    public synchronized void publish(int packetId, BrokerMessage message, boolean dup) {
        published.add(new Sent(packetId, message, dup));
    }

    @Override
    public synchronized void pubrel(int packetId) {
        pubrels.add(packetId);
    }

    @Override
    public synchronized boolean writable() {
        return writable;
    }

    @Override
    public synchronized void takenOver() {
        takenOver++;
    }

    @Override
    public synchronized long maximumPacketBytes() {
        return maximumPacketBytes;
    }

    synchronized void writable(boolean flag) {
        writable = flag;
    }

    synchronized void maximumPacketBytes(long bytes) {
        maximumPacketBytes = bytes;
    }

    synchronized List<Sent> published() {
        return List.copyOf(published);
    }

    /** The payloads published so far, as UTF-8 text, in order. */
    synchronized List<String> payloads() {
        return published.stream().map(Sent::payload).toList();
    }

    synchronized Sent last() {
        if (published.isEmpty()) {
            throw new AssertionError("nothing was published");
        }
        return published.get(published.size() - 1);
    }

    synchronized List<Integer> pubrels() {
        return List.copyOf(pubrels);
    }

    synchronized int takenOverCount() {
        return takenOver;
    }

    /** Forgets what was recorded so far. */
    synchronized void clear() {
        published.clear();
        pubrels.clear();
    }
}
