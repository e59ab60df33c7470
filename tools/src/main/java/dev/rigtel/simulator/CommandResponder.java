package dev.rigtel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * What a simulated rig answers to a command on {@code rigtel/v1/{rig}/command}, as
 * firmware-notes/commands.md asks of rig firmware: every command gets one result with its id.
 * The simulator can identify itself and start or stop recording; its IMU rate and timecode follow
 * its options and the host clock, so it refuses to change them, saying why.
 */
final class CommandResponder {

    private final ObjectMapper mapper;
    private final SimulatedRig rig;
    private final int sampleRateHz;

    CommandResponder(ObjectMapper mapper, SimulatedRig rig, int sampleRateHz) {
        this.mapper = mapper;
        this.rig = rig;
        this.sampleRateHz = sampleRateHz;
    }

    /** The result payload for a command payload, or null if it carries no id to answer. */
    byte[] answer(byte[] command) {
        JsonNode json;
        try {
            json = mapper.readTree(command);
        } catch (IOException e) {
            return null;
        }
        JsonNode id = json == null ? null : json.get("id");
        if (id == null || !id.isTextual()) {
            return null;
        }
        String name = json.path("command").asText("");
        JsonNode args = json.path("args");
        return switch (name) {
            case "identify" -> result(id.asText(), "ok", "blinking (simulated)");
            case "start-recording" -> {
                rig.recording(true);
                yield result(id.asText(), "ok", null);
            }
            case "stop-recording" -> {
                rig.recording(false);
                yield result(id.asText(), "ok", null);
            }
            case "set-sample-rate" -> {
                int asked = args.path("sample_rate_hz").asInt(-1);
                yield asked == sampleRateHz
                        ? result(id.asText(), "ok", "already at " + sampleRateHz + " Hz")
                        : result(
                                id.asText(),
                                "rejected",
                                "simulated IMU runs at " + sampleRateHz
                                        + " Hz (--rate); restart the simulator to change it");
            }
            case "jam-timecode" ->
                result(id.asText(), "rejected", "simulated timecode follows the host clock; nothing to jam");
            default -> result(id.asText(), "rejected", "unknown command '" + name + "'");
        };
    }

    private byte[] result(String id, String status, String detail) {
        ObjectNode out = mapper.createObjectNode();
        out.put("v", 1);
        out.put("id", id);
        out.put("status", status);
        if (detail != null) {
            out.put("detail", detail);
        }
        try {
            return mapper.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a command result", e);
        }
    }
}
