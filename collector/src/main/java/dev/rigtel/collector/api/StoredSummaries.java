package dev.rigtel.collector.api;

import dev.rigtel.collector.ingest.TakeSummaries;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.takes.Take;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored take summaries ({@code take_summary}, one point per rig and take at the take's roll) of
 * a set of takes, read in one query, and who a rig's summary belongs to.
 */
final class StoredSummaries {

    /**
     * One rig's summary of one take.
     *
     * @param metrics every field of {@link TakeSummaries#METRICS} by name, in that order; integers as
     *     {@code Long}, figures as {@code Double}, {@code null} where none is stored
     */
    record Row(Take take, String rig, String source, Map<String, Object> metrics) {}

    private StoredSummaries() {}

    /**
     * The summaries of {@code takes}, by take start then rig: one read over the span of their rolls,
     * whatever their number.
     */
    static List<Row> of(StoreReads store, Collection<Take> takes) {
        Map<String, Take> byId = new HashMap<>();
        takes.forEach(t -> byId.put(t.id(), t));
        List<Row> rows = new ArrayList<>();
        for (TakeSummaries.Stored stored : TakeSummaries.stored(store, takes)) {
            rows.add(new Row(byId.get(stored.takeId()), stored.rig(), stored.source(), stored.metrics()));
        }
        return rows;
    }

    /**
     * Who a rig's summary of a take belongs to: the person who wore the rig when the take rolled (a
     * wearer's exposure uses the same rule); {@code null} if nobody was assigned to it then.
     */
    static String wearer(Take take, String rig) {
        for (Take.Wearing w : take.wearers()) {
            if (w.rig().equals(rig) && w.fromNanos() == take.startNanos()) {
                return w.person();
            }
        }
        return null;
    }
}
