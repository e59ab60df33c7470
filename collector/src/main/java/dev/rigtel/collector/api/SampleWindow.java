package dev.rigtel.collector.api;

import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.takes.Take;
import java.util.Optional;

/**
 * The part of one rig's samples in a take that a request reads: {@code rig}, and the time range
 * {@code [fromNanos, toNanos)} from the optional {@code from_ns} and {@code to_ns} parameters,
 * defaulting to the take's bounds and clipped to them.
 *
 * @param takeEndNanos the take's end, or now while it rolls
 */
record SampleWindow(String rig, long fromNanos, long toNanos, long takeStartNanos, long takeEndNanos) {

    /**
     * @throws ApiException 400 for a missing or invalid rig, a time that is not an integer, {@code
     *     from_ns >= to_ns}, or a range that does not overlap the take
     */
    static SampleWindow of(ApiRequest request, Take take, long takeEndNanos) {
        String rig =
                request.param("rig").orElseThrow(() -> ApiException.badRequest("rig is required, e.g. ?rig=rig-01"));
        String problem = RigId.problem(rig);
        if (problem != null) {
            throw ApiException.badRequest("invalid rig id: " + problem);
        }
        long start = take.startNanos();
        long from = nanos(request.param("from_ns"), "from_ns", start);
        long to = nanos(request.param("to_ns"), "to_ns", takeEndNanos);
        if (from >= to) {
            throw ApiException.badRequest("from_ns must be before to_ns, got " + from + " and " + to);
        }
        long clippedFrom = Math.max(from, start);
        long clippedTo = Math.min(to, takeEndNanos);
        if (clippedFrom >= clippedTo) {
            throw ApiException.badRequest("from_ns.." + "to_ns (" + from + ".." + to + ") is outside take "
                    + take.name() + " (" + start + ".." + takeEndNanos + ")");
        }
        return new SampleWindow(rig, clippedFrom, clippedTo, start, takeEndNanos);
    }

    private static long nanos(Optional<String> value, String name, long otherwise) {
        if (value.isEmpty()) {
            return otherwise;
        }
        try {
            return Long.parseLong(value.get().trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    name + " must be an integer of nanoseconds since 1970-01-01T00:00:00Z, got '" + value.get() + "'");
        }
    }
}
