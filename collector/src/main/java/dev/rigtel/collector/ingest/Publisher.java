package dev.rigtel.collector.ingest;

/**
 * Who published a message, as the transport authenticated it, and what they may publish.
 *
 * @param id the authenticated username, which the credentials file guarantees is a valid rig id
 * @param telemetry may publish telemetry under {@code rigtel/v1/{id}/}
 * @param slate may publish slate events
 */
public record Publisher(RigId id, boolean telemetry, boolean slate) {

    public String name() {
        return id.value();
    }
}
