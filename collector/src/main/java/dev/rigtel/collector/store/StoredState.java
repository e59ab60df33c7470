package dev.rigtel.collector.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.influxdb.dto.QueryResult;

/**
 * Reads back the state the collector keeps in InfluxDB, so a restarted collector (or a second one
 * behind the same broker) continues where the last one stopped. Blocking: call at start or from a
 * worker thread.
 */
public final class StoredState {

    /** A persisted device-clock anchor of one boot of one rig. */
    public record BootAnchor(String rig, String boot, long anchorNanos) {}

    private final InfluxStore influx;

    public StoredState(InfluxStore influx) {
        this.influx = influx;
    }

    public List<BootAnchor> bootAnchors() {
        List<BootAnchor> anchors = new ArrayList<>();
        for (QueryResult.Series series :
                series("SELECT last(\"anchor_ns\") FROM \"" + Schema.RIG_BOOT + "\" GROUP BY \"rig\", \"boot\"")) {
            Object value = series.getValues().get(0).get(1);
            anchors.add(new BootAnchor(
                    series.getTags().get("rig"), series.getTags().get("boot"), Long.parseLong(String.valueOf(value))));
        }
        return anchors;
    }

    /**
     * The newest IMU sample time per rig, in UTC nanoseconds, to within a microsecond (the JSON
     * answer is read as a double).
     */
    public Map<String, Long> latestSampleNanos() {
        Map<String, Long> latest = new HashMap<>();
        for (QueryResult.Series series : series("SELECT last(\"ax\") FROM \"" + Schema.IMU + "\" GROUP BY \"rig\"")) {
            latest.put(
                    series.getTags().get("rig"),
                    asLong(series.getValues().get(0).get(0)));
        }
        return latest;
    }

    private List<QueryResult.Series> series(String influxql) {
        List<QueryResult.Series> all = new ArrayList<>();
        for (QueryResult.Result result : influx.query(influxql)) {
            if (result.getSeries() != null) {
                all.addAll(result.getSeries());
            }
        }
        return all;
    }

    private static long asLong(Object value) {
        return value instanceof Number number ? (long) number.doubleValue() : Long.parseLong(String.valueOf(value));
    }
}
