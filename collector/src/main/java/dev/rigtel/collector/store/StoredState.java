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

    /** A persisted device-clock segment (see {@link Schema#rigClock}). */
    public record StoredSegment(
            String rig,
            String boot,
            long lengthNanos,
            long startDeviceNanos,
            long startNanos,
            double rate,
            String lock,
            double driftPpm,
            double residualRmsMicros) {}

    private final InfluxStore influx;

    public StoredState(InfluxStore influx) {
        this.influx = influx;
    }

    /** The clock segments stored since {@code sinceNanos} (the collector's clock, never InfluxDB's). */
    public List<StoredSegment> clockSegments(long sinceNanos) {
        List<StoredSegment> segments = new ArrayList<>();
        for (QueryResult.Series series :
                series("SELECT \"length_ns\", \"start_dev_ns\", \"start_ns\", \"rate\", \"lock\", "
                        + "\"drift_ppm\", \"residual_rms_us\" FROM " + influx.from(Schema.RIG_CLOCK) + " WHERE time > "
                        + sinceNanos + " GROUP BY \"rig\", \"boot\"")) {
            for (List<Object> row : series.getValues()) {
                segments.add(new StoredSegment(
                        series.getTags().get("rig"),
                        series.getTags().get("boot"),
                        ((Number) row.get(1)).longValue(),
                        Long.parseLong(String.valueOf(row.get(2))),
                        Long.parseLong(String.valueOf(row.get(3))),
                        ((Number) row.get(4)).doubleValue(),
                        String.valueOf(row.get(5)),
                        ((Number) row.get(6)).doubleValue(),
                        ((Number) row.get(7)).doubleValue()));
            }
        }
        return segments;
    }

    /**
     * The clock segments among line-protocol points ({@code rig_clock} lines as {@link
     * Schema#rigClock} writes them), e.g. in unwritten spool records.
     */
    public static List<StoredSegment> clockSegmentsIn(String lines) {
        List<StoredSegment> segments = new ArrayList<>();
        for (String line : LineProtocol.linesOf(lines, Schema.RIG_CLOCK)) {
            Map<String, String> parts = LineProtocol.parseSimple(line);
            segments.add(new StoredSegment(
                    parts.get("rig"),
                    parts.get("boot"),
                    Long.parseLong(parts.get("length_ns")),
                    Long.parseLong(parts.get("start_dev_ns")),
                    Long.parseLong(parts.get("start_ns")),
                    Double.parseDouble(parts.get("rate")),
                    parts.get("lock"),
                    Double.parseDouble(parts.get("drift_ppm")),
                    Double.parseDouble(parts.get("residual_rms_us"))));
        }
        return segments;
    }

    /**
     * The newest IMU sample time per rig among those stored after {@code sinceNanos}, in UTC
     * nanoseconds, to within a microsecond (the JSON answer is read as a double). Bounded by time so
     * that it reads the last day's shards, not a whole shoot's.
     */
    public Map<String, Long> latestSampleNanos(long sinceNanos) {
        Map<String, Long> latest = new HashMap<>();
        for (QueryResult.Series series : series("SELECT last(\"ax\") FROM " + influx.from(Schema.IMU) + " WHERE time > "
                + sinceNanos + " GROUP BY \"rig\"")) {
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
