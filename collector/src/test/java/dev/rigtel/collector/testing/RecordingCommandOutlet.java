package dev.rigtel.collector.testing;

import dev.rigtel.collector.commands.CommandOutlet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A command outlet that keeps everything published, in order, instead of sending it. */
public final class RecordingCommandOutlet implements CommandOutlet {

    /** One publish call. */
    public record Published(String topic, byte[] payload, int qos, boolean retain, long expirySeconds) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain, long expirySeconds) {
        published.add(new Published(topic, payload.clone(), qos, retain, expirySeconds));
    }

    public List<Published> all() {
        return List.copyOf(published);
    }

    /** What was published on {@code topic}, in order. */
    public List<Published> on(String topic) {
        return published.stream().filter(p -> p.topic().equals(topic)).toList();
    }

    public void clear() {
        published.clear();
    }
}
