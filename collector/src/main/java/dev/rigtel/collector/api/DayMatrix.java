package dev.rigtel.collector.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeHistory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * {@code GET /api/days/{date}/matrix}: the wearer x take intensity matrix of a shooting day: the
 * day's takes (from the {@link TakeHistory}), and one cell per take and rig with a stored
 * summary, read at once for the whole day.
 */
final class DayMatrix {

    /** The matrix of a day: its takes, the people who wore a rig in them, one cell per take and rig. */
    record Matrix(String date, List<TakeColumn> takes, List<String> people, List<Map<String, Object>> cells) {}

    /** A take of the day. */
    record TakeColumn(
            String id,
            String name,
            String scene,
            String shot,
            int take,
            @JsonProperty("start_ns") long startNanos,
            @JsonProperty("end_ns") Long endNanos,
            @JsonProperty("start_tc") String startLabel) {}

    private DayMatrix() {}

    /** @param endOf a take's end, or now while it rolls */
    static Matrix answer(StoreReads store, TakeHistory book, LocalDate date, ToLongFunction<Take> endOf) {
        List<Take> takes = book.takesOn(date);
        List<TakeColumn> takeList = new ArrayList<>();
        for (Take take : takes) {
            takeList.add(new TakeColumn(
                    take.id(),
                    take.name(),
                    take.scene(),
                    take.shot(),
                    take.take(),
                    take.startNanos(),
                    take.endNanos().isPresent() ? take.endNanos().getAsLong() : null,
                    take.startLabel()));
        }
        TreeSet<String> people = new TreeSet<>();
        List<Map<String, Object>> cells = new ArrayList<>();
        for (StoredSummaries.Row row : StoredSummaries.of(store, takes)) {
            String person = StoredSummaries.wearer(row.take(), row.rig());
            if (person != null) {
                people.add(person);
            }
            // A cell holds the figures its summary holds: a map, not a record.
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("take_id", row.take().id());
            cell.put("rig", row.rig());
            cell.put("person", person);
            cell.put("source", row.source());
            cell.putAll(row.metrics());
            cells.add(cell);
        }
        return new Matrix(date.toString(), takeList, List.copyOf(people), cells);
    }
}
