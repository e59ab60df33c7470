package dev.rigtel.collector.api;

import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.takes.TakeHistory;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/** People: {@code /api/people/{person}/takes} and {@code /api/people/{person}/exposure}. */
final class PeopleResource {

    private final ApiJson json;
    private final TakeHistory takes;
    private final PersonExposure exposure;
    private final ZoneId zone;
    private final Clock clock;

    PeopleResource(ApiJson json, StoreReads store, TakeHistory takes, ZoneId zone, Clock clock) {
        this.json = json;
        this.takes = takes;
        this.exposure = new PersonExposure(store, takes, zone);
        this.zone = zone;
        this.clock = clock;
    }

    /** {@code GET /api/people/{person}/takes?date=}: the takes a person wore a rig in (default today). */
    ApiResponse takes(String person, ApiRequest request) {
        LocalDate date = request.param("date").map(LocalDate::parse).orElse(today());
        return json.ok(takes.takesOf(person, date).stream().map(TakeView::of).toList());
    }

    /**
     * {@code GET /api/people/{person}/exposure}: {@code ?date=} one day (default today) with its takes
     * by name, or {@code ?from=&to=} (to: default today) every day of a range and the total, up to a
     * whole shoot.
     */
    ApiResponse exposure(String person, ApiRequest request) {
        Optional<String> from = request.param("from");
        Optional<String> to = request.param("to");
        if (from.isEmpty() && to.isEmpty()) {
            return json.ok(exposure.day(
                    person, request.param("date").map(LocalDate::parse).orElse(today())));
        }
        if (request.param("date").isPresent() || from.isEmpty()) {
            throw ApiException.badRequest("give date=, or from= (and to=, default today)");
        }
        return json.ok(exposure.range(
                person, LocalDate.parse(from.get()), to.map(LocalDate::parse).orElse(today())));
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }
}
