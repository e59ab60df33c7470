package dev.rigtel.collector.testing;

import dev.rigtel.collector.live.LiveOutlet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A live outlet that keeps every message it is given, in order, as a broker would receive them. */
public final class RecordingOutlet implements LiveOutlet {

    /** One message as it was handed to the outlet. */
    public record Message(String topic, byte[] payload, int qos, boolean retain) {}

    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> wanted = topic -> true;

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        messages.add(new Message(topic, payload.clone(), qos, retain));
    }

    @Override
    public boolean wanted(String topic) {
        return wanted.test(topic);
    }

    /** From now on only topics that pass {@code test} are wanted (as a broker with those subscribers). */
    public void wantOnly(Predicate<String> test) {
        wanted = test;
    }

    /** Every message so far. */
    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The messages on {@code topic}, oldest first. */
    public List<Message> on(String topic) {
        return messages.stream().filter(m -> m.topic().equals(topic)).toList();
    }

    public void clear() {
        messages.clear();
    }
}
