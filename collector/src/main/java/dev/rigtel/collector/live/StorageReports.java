package dev.rigtel.collector.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.live.json.LiveStorageJson;
import dev.rigtel.collector.store.AlertPoint;
import dev.rigtel.collector.store.StorageWatch;
import dev.rigtel.collector.store.StoreWrites;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each look at the disks goes: the retained live topic {@value #TOPIC} (dashboards,
 * firmware-notes/live-topics.md), and when the level changes a log line and an {@code alert} point
 * ({@code rig=collector}, {@code type=disk-warning}, {@code disk-critical} or {@code disk-ok}).
 */
public final class StorageReports {

    private static final Logger log = LoggerFactory.getLogger(StorageReports.class);

    public static final String TOPIC = "rigtel/v1/live/storage";

    /** The {@code rig} tag of the collector's own alerts. */
    static final String COLLECTOR = "collector";

    private final StorageWatch watch;
    private final StoreWrites writes;
    private final ObjectMapper json;
    private final LiveOutlet outlet;
    private StorageWatch.Level level = StorageWatch.Level.OK;

    public StorageReports(StorageWatch watch, StoreWrites writes, ObjectMapper json, LiveOutlet outlet) {
        this.watch = watch;
        this.writes = writes;
        this.json = json;
        this.outlet = outlet;
    }

    /** Takes a reading and reports it; call from a scheduler thread (it may query InfluxDB). */
    public synchronized void tick() {
        StorageWatch.Reading r = watch.sample();
        if (r.level() != level) {
            if (r.level() == StorageWatch.Level.OK) {
                log.info("disk space: ok again: {}", r.message());
            } else {
                log.warn("disk space {}: {}", r.level().name().toLowerCase(Locale.ROOT), r.message());
            }
            long nowNanos = r.at().getEpochSecond() * 1_000_000_000L + r.at().getNano();
            writes.batch(0)
                    .alert(new AlertPoint(
                            COLLECTOR,
                            "disk-" + r.level().name().toLowerCase(Locale.ROOT),
                            r.message(),
                            Math.min(
                                    r.spoolFreeBytes(), r.influxFreeBytes() < 0 ? Long.MAX_VALUE : r.influxFreeBytes()),
                            nowNanos))
                    .offer(() -> {});
            level = r.level();
        }
        try {
            outlet.publish(TOPIC, json.writeValueAsBytes(view(r)), 1, true);
        } catch (JsonProcessingException e) {
            log.warn("cannot encode the storage reading: {}", e.getMessage());
        }
    }

    /** The reading as the live topic and the API answer it. */
    public static LiveStorageJson view(StorageWatch.Reading r) {
        return new LiveStorageJson(
                1,
                r.at().toString(),
                r.influxBytes(),
                r.rawBytes(),
                r.influxFreeBytes(),
                r.spoolBytes(),
                r.spoolFreeBytes(),
                r.firstDay().toString(),
                r.shootDay(),
                r.shootDays(),
                r.forecastBytes(),
                r.level().name().toLowerCase(Locale.ROOT),
                r.message());
    }
}
