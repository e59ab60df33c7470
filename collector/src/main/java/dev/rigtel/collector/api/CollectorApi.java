package dev.rigtel.collector.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.imports.ImportService;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.metrics.ImportMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.store.StoreUnreachableException;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.timecode.DeviceClocks;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's HTTP API for slate tools and dashboards, in plain Java: the transport copies each
 * request out and runs {@link #handle} on a worker thread (it may wait for the store). This class
 * routes: it splits the path into segments, each decoded exactly once ({@link PathSegments}), hands
 * the request to the resource of its area, and answers what they throw.
 *
 * <ul>
 *   <li>{@code POST /api/slate}: a slate event ({@link SlateResource}).
 *   <li>{@code GET /api/days/{date}/takes}: the takes of a shooting day; {@code
 *       /api/days/{date}/matrix}: the wearer x take intensity matrix of a day ({@link DayMatrix}).
 *   <li>{@code GET /api/takes/{id}}: one take with, per rig, wearers, time range, samples and gaps;
 *       under it {@code summary}, {@code events}, {@code series?rig=} ({@link TakeSeries}), {@code
 *       summary.csv}, {@code samples.csv?rig=} ({@link TakeDownloads}) and {@code
 *       cuts.{edl,resolve.edl,fcpxml,txt,csv}} ({@link TakesResource}).
 *   <li>{@code GET /api/people/{person}/takes?date=}, {@code /api/people/{person}/exposure} ({@link
 *       PeopleResource}).
 *   <li>{@code GET /api/shoot/exposure?from=&to=&scene=}: every wearer's days, weeks and rolling 7
 *       days over a range ({@link ShootExposure}).
 *   <li>{@code GET /api/rigs}: every rig's clock; {@code GET /api/storage}: disk used by the shoot,
 *       free, and the forecast to its last day ({@link RigsResource}).
 *   <li>{@code POST|GET /api/rigs/{rig}/commands}, {@code GET /api/rigs/{rig}/commands/{id}} ({@link
 *       CommandsResource}).
 *   <li>{@code POST /api/import}, {@code GET /api/import/{clip}}: camera telemetry; {@code GET
 *       /api/import/rig-samples?rig=&from=&to=}: a rig's gyro at 100 Hz for aligning a camera; {@code GET
 *       /api/import/takes/{id}}: a take's span, for placing a clip on it ({@link
 *       ImportResource}).
 * </ul>
 */
public final class CollectorApi {

    private static final Logger log = LoggerFactory.getLogger(CollectorApi.class);

    private final SlateResource slate;
    private final TakesResource takes;
    private final PeopleResource people;
    private final RigsResource rigs;
    private final CommandsResource commands;
    private final ImportResource imports;
    private final ShootExposure shoot;

    public CollectorApi(
            ObjectMapper json,
            PayloadDecoder decoder,
            IngestService ingest,
            TakeHistory takes,
            DeviceClocks clocks,
            StoreReads store,
            Authenticator authenticator,
            ZoneId zone,
            Clock clock,
            MotionConfig motionConfig,
            RigCommands commands,
            Supplier<Object> storage) {
        this(
                json,
                decoder,
                ingest,
                takes,
                clocks,
                store,
                authenticator,
                zone,
                clock,
                motionConfig,
                commands,
                storage,
                null,
                null);
    }

    /** With the camera telemetry import ({@code /api/import}); without it that path is 404. */
    public CollectorApi(
            ObjectMapper json,
            PayloadDecoder decoder,
            IngestService ingest,
            TakeHistory takes,
            DeviceClocks clocks,
            StoreReads store,
            Authenticator authenticator,
            ZoneId zone,
            Clock clock,
            MotionConfig motionConfig,
            RigCommands commands,
            Supplier<Object> storage,
            ImportService imports,
            ImportMeters importMeters) {
        ApiJson answers = new ApiJson(json);
        this.slate = new SlateResource(answers, decoder, ingest, authenticator, zone, clock);
        this.takes = new TakesResource(answers, store, takes, zone, clock, motionConfig);
        this.people = new PeopleResource(answers, store, takes, zone, clock);
        this.rigs = new RigsResource(answers, clocks, takes, clock, storage);
        this.commands = new CommandsResource(answers, store, commands, authenticator, clock);
        this.imports =
                imports == null ? null : new ImportResource(answers, imports, authenticator, importMeters, clock);
        this.shoot = new ShootExposure(answers, store, zone, clock);
    }

    public ApiResponse handle(ApiRequest request) {
        try {
            return route(request, PathSegments.of(request.path()));
        } catch (DateTimeParseException e) {
            return ApiResponse.error(400, "dates are YYYY-MM-DD");
        } catch (ApiException e) {
            return ApiResponse.error(e.status(), e.getMessage());
        } catch (StoreUnreachableException e) {
            log.warn(
                    "API request {} {}: InfluxDB did not answer: {}", request.method(), request.path(), e.getMessage());
            return ApiResponse.error(503, "InfluxDB did not answer; try again");
        } catch (RuntimeException e) {
            log.warn("API request {} {} failed", request.method(), request.path(), e);
            return ApiResponse.error(500, "internal error: " + e.getMessage());
        }
    }

    /** @param parts the path's segments, decoded: {@code api}, then the area's. */
    private ApiResponse route(ApiRequest request, List<String> parts) {
        int size = parts.size();
        String area = size > 1 ? parts.get(1) : "";
        if (size == 2 && area.equals("slate")) {
            return request.method().equals("POST") ? slate.post(request) : ApiResponse.error(405, "use POST");
        }
        if ((size == 4 || size == 5) && area.equals("rigs") && parts.get(3).equals("commands")) {
            return commands.handle(request, parts.get(2), size == 5 ? parts.get(4) : null);
        }
        if (imports != null && size == 2 && area.equals("import")) {
            return request.method().equals("POST") ? imports.post(request) : ApiResponse.error(405, "use POST");
        }
        if (!request.method().equals("GET")) {
            return ApiResponse.error(405, "use GET");
        }
        switch (area) {
            case "days" -> {
                if (size == 4 && parts.get(3).equals("matrix")) {
                    return takes.matrix(LocalDate.parse(parts.get(2)));
                }
                if (size == 4 && parts.get(3).equals("takes")) {
                    return takes.ofDay(LocalDate.parse(parts.get(2)));
                }
            }
            case "takes" -> {
                if (size == 4) {
                    return takes.part(parts.get(2), parts.get(3), request);
                }
                if (size == 3) {
                    return takes.take(parts.get(2));
                }
            }
            case "people" -> {
                if (size == 4 && parts.get(3).equals("exposure")) {
                    return people.exposure(parts.get(2), request);
                }
                if (size == 4 && parts.get(3).equals("takes")) {
                    return people.takes(parts.get(2), request);
                }
            }
            case "shoot" -> {
                if (size == 3 && parts.get(2).equals("exposure")) {
                    return shoot.exposure(request);
                }
            }
            case "rigs" -> {
                if (size == 2) {
                    return rigs.rigs();
                }
            }
            case "import" -> {
                if (size == 4 && imports != null && parts.get(2).equals("takes")) {
                    return imports.take(parts.get(3));
                }
                if (size == 3 && imports != null && parts.get(2).equals("rig-samples")) {
                    return imports.rigSamples(request);
                }
                if (size == 3 && imports != null) {
                    return imports.progress(parts.get(2));
                }
            }
            case "storage" -> {
                if (size == 2) {
                    return rigs.storage();
                }
            }
            default -> {
                // no such area
            }
        }
        return ApiResponse.error(404, "no such endpoint; see the collector README");
    }
}
