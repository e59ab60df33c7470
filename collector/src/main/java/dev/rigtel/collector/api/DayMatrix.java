package dev.rigtel.collector.api;

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

    private DayMatrix() {}

    /** @param endOf a take's end, or now while it rolls */
    static Map<String, Object> answer(StoreReads store, TakeHistory book, LocalDate date, ToLongFunction<Take> endOf) {
        List<Take> takes = book.takesOn(date);
        List<Map<String, Object>> takeList = new ArrayList<>();
        for (Take take : takes) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", take.id());
            t.put("name", take.name());
            t.put("scene", take.scene());
            t.put("shot", take.shot());
            t.put("take", take.take());
            t.put("start_ns", take.startNanos());
            t.put("end_ns", take.endNanos().isPresent() ? take.endNanos().getAsLong() : null);
            t.put("start_tc", take.startLabel());
            takeList.add(t);
        }
        TreeSet<String> people = new TreeSet<>();
        List<Map<String, Object>> cells = new ArrayList<>();
        for (StoredSummaries.Row row : StoredSummaries.of(store, takes)) {
            String person = StoredSummaries.wearer(row.take(), row.rig());
            if (person != null) {
                people.add(person);
            }
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("take_id", row.take().id());
            cell.put("rig", row.rig());
            cell.put("person", person);
            cell.put("source", row.source());
            cell.putAll(row.metrics());
            cells.add(cell);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("date", date.toString());
        out.put("takes", takeList);
        out.put("people", List.copyOf(people));
        out.put("cells", cells);
        return out;
    }
}
