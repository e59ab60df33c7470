package dev.rigtel.simulator;

import dev.rigtel.collector.ingest.json.WireMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/** How a simulated rig encodes its payloads; both are part of wire contract v1. */
public enum PayloadEncoding {
    JSON("json"),
    CBOR("cbor");

    private final String label;

    PayloadEncoding(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Encodes a wire DTO with the process's one mapper. */
    public byte[] encode(WireMapper wire, Object dto) {
        try {
            return this == JSON ? wire.writeJson(dto) : wire.writeCbor(dto);
        } catch (IOException e) {
            // Writing a DTO to a byte array does no I/O; this is a bug, not a condition to handle.
            throw new UncheckedIOException("cannot encode " + dto.getClass().getSimpleName(), e);
        }
    }

    public static Optional<PayloadEncoding> fromLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String normalized = label.trim().toLowerCase(Locale.ROOT);
        for (PayloadEncoding encoding : values()) {
            if (encoding.label.equals(normalized)) {
                return Optional.of(encoding);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
