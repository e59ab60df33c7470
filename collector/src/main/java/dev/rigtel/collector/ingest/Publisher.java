package dev.rigtel.collector.ingest;

/**
 * Who published a message, as the transport authenticated it, and what they may publish.
 *
 * @param name the authenticated username; for a rig, its rig id
 * @param telemetry may publish telemetry under {@code rigtel/v1/{name}/}
 * @param slate may publish slate events
 */
public record Publisher(String name, boolean telemetry, boolean slate) {}
