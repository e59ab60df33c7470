package dev.rigtel.collector.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.PayloadRejectedException;
import dev.rigtel.collector.takes.SlateEvent;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/slate}: a slate event (firmware-notes); HTTP Basic auth of a user with role slate
 * or admin; {@code tc} may be left out to mean now. 201 once stored.
 */
final class SlateResource {

    private static final long STORE_WAIT_SECONDS = 10;

    /** The event as stored. */
    record Stored(String id, String type, String tc, String date, @JsonProperty("at_ns") long atNanos) {}

    private final ApiJson json;
    private final PayloadDecoder decoder;
    private final IngestService ingest;
    private final Authenticator authenticator;
    private final ZoneId zone;
    private final Clock clock;

    SlateResource(
            ApiJson json,
            PayloadDecoder decoder,
            IngestService ingest,
            Authenticator authenticator,
            ZoneId zone,
            Clock clock) {
        this.json = json;
        this.decoder = decoder;
        this.ingest = ingest;
        this.authenticator = authenticator;
        this.zone = zone;
        this.clock = clock;
    }

    ApiResponse post(ApiRequest request) {
        BasicAuth.Admission admission = BasicAuth.admit(
                authenticator,
                request,
                "slate events need HTTP Basic credentials of a slate user",
                "send slate events",
                Set.of(Role.SLATE, Role.ADMIN));
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        SlateEvent event;
        try {
            event = decoder.slate(request.body(), clock.instant(), zone, false);
        } catch (PayloadRejectedException e) {
            return ApiResponse.error(400, e.reason().tag() + ": " + e.getMessage());
        }
        CountDownLatch stored = new CountDownLatch(1);
        AtomicBoolean lost = new AtomicBoolean();
        ingest.slate(event, stored::countDown, () -> {
            lost.set(true);
            stored.countDown();
        });
        try {
            boolean answered = stored.await(STORE_WAIT_SECONDS, TimeUnit.SECONDS);
            if (answered && lost.get()) {
                return ApiResponse.error(503, "not stored: the spool's disk failed (see /health); send it again");
            }
            if (!answered) {
                return ApiResponse.error(
                        503, "accepted but not yet stored: InfluxDB is slow or down; it will be retried");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiResponse.error(503, "interrupted");
        }
        return json.write(
                201,
                new Stored(event.id(), event.type(), event.label(), event.date().toString(), event.atNanos()));
    }
}
