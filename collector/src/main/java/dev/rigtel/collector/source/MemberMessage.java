package dev.rigtel.collector.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A member's retained message on {@code rigtel/cluster/{group}/members/{member}}: {@code
 * {"member":"m1","partitions":16,"started":"2026-12-07T00:00:00Z","version":"1.0"}}. An empty
 * payload (the will, or a graceful leave) means the member is gone.
 *
 * @param partitions the member's P: every member of a group must use the same
 */
public record MemberMessage(String member, int partitions, Instant started, String version) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The topic of {@code member}'s message in {@code group}. */
    public static String topic(String group, String member) {
        return "rigtel/cluster/" + group + "/members/" + member;
    }

    /** The filter every member subscribes to. */
    public static String filter(String group) {
        return "rigtel/cluster/" + group + "/members/+";
    }

    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode()
                .put("member", member)
                .put("partitions", partitions)
                .put("started", started.toString())
                .put("version", version);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a member message published on {@code topicMember}'s topic.
     *
     * @throws IllegalArgumentException saying why it is refused: not JSON, a field missing or of the
     *     wrong type, partitions out of range, or a member id other than the topic's
     */
    public static MemberMessage parse(String topicMember, byte[] payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode member = node.get("member");
        JsonNode partitions = node.get("partitions");
        JsonNode started = node.get("started");
        JsonNode version = node.get("version");
        if (member == null || !member.isTextual()) {
            throw new IllegalArgumentException("member missing or not a string");
        }
        if (!member.asText().matches("[A-Za-z0-9._-]{1,40}")) {
            throw new IllegalArgumentException("member id must be 1 to 40 letters, digits, '.', '_' or '-'");
        }
        if (!member.asText().equals(topicMember)) {
            throw new IllegalArgumentException(
                    "member '" + member.asText() + "' published on the topic of '" + topicMember + "'");
        }
        if (partitions == null || !partitions.isInt() || partitions.asInt() < 1 || partitions.asInt() > 1024) {
            throw new IllegalArgumentException("partitions missing or not an integer from 1 to 1024");
        }
        Instant startedAt;
        try {
            startedAt = started == null || !started.isTextual() ? null : Instant.parse(started.asText());
        } catch (DateTimeParseException e) {
            startedAt = null;
        }
        if (startedAt == null) {
            throw new IllegalArgumentException("started missing or not an ISO-8601 instant");
        }
        return new MemberMessage(
                member.asText(), partitions.asInt(), startedAt, version == null ? "" : version.asText(""));
    }
}
