package dev.rigtel.collector.takes;

import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.store.StoredPoints;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slate events in InfluxDB, measurement {@code slate}: one point per event, tag {@code type} (and
 * {@code rig} for an assignment), fields as on the wire plus {@code at_ns} (the exact production
 * time, as decimal text). The point's timestamp is {@code at_ns} plus an offset below one
 * millisecond derived from the event id, so two events at the same frame never overwrite each
 * other while a re-sent event (same id) does. Takes are never stored: they are derived from these
 * events, a day at a time ({@link TakeHistory}).
 *
 * <p>The reads of {@link SlateStore} are the store's ({@link StoreReads}, slate section), mapped to
 * {@link SlateEvent}s here. On InfluxDB they cost the same on day 1 and day 120 of a shoot: each is
 * bounded by time or by {@code LIMIT 1} per series. The one that is not, {@link #roll} by id, reads
 * only the {@code type=roll} series (about 300 points a shooting day).
 */
public final class SlateLog implements SlateStore {

    private static final Logger log = LoggerFactory.getLogger(SlateLog.class);

    private final StoreReads store;

    public SlateLog(StoreReads store) {
        this.store = store;
    }

    /** The point's timestamp for an event: unique per id within its frame. */
    static long timestampNanos(SlateEvent event) {
        return event.atNanos() + Math.floorMod(event.id().hashCode(), 1_000_000);
    }

    /**
     * The slate events among line-protocol points as the store writes {@link SlatePoints}, e.g. in the spool's
     * records that have not reached InfluxDB yet. A point that cannot be read back is logged and
     * skipped.
     */
    public static List<SlateEvent> eventsIn(String lines) {
        return events(StoredPoints.slateEventsIn(lines));
    }

    @Override
    public List<SlateEvent> window(long fromNanos, long toNanos) {
        return events(store.slateWindow(fromNanos, toNanos));
    }

    @Override
    public List<SlateEvent.Assign> assignments(long fromNanos, long toNanos) {
        List<SlateEvent.Assign> assigns = new ArrayList<>();
        for (SlateEvent event : events(store.slateAssignments(fromNanos, toNanos))) {
            if (event instanceof SlateEvent.Assign a) {
                assigns.add(a);
            }
        }
        return assigns;
    }

    @Override
    public Optional<SlateEvent.Roll> roll(String id) {
        return events(store.slateRoll(id).stream().toList()).stream()
                .filter(e -> e instanceof SlateEvent.Roll)
                .map(e -> (SlateEvent.Roll) e)
                .findFirst();
    }

    @Override
    public Optional<Long> firstEventNanos() {
        return store.firstSlateNanos();
    }

    private static List<SlateEvent> events(List<StoreReads.SlateRow> rows) {
        List<SlateEvent> events = new ArrayList<>(rows.size());
        for (StoreReads.SlateRow row : rows) {
            try {
                events.add(event(row));
            } catch (RuntimeException e) {
                log.warn("skipping a slate point that cannot be read back: {}", e.getMessage());
            }
        }
        return events;
    }

    private static SlateEvent event(StoreReads.SlateRow row) {
        String id = row.id();
        long at = row.atNanos();
        String label = row.label();
        String rate = row.rate();
        LocalDate date = LocalDate.parse(row.date());
        return switch (row.type()) {
            case "roll" ->
                new SlateEvent.Roll(
                        id,
                        at,
                        label,
                        rate,
                        date,
                        row.scene(),
                        row.shot(),
                        take(row),
                        row.cameraRoll(),
                        row.notes(),
                        row.stunt());
            case "cut" -> new SlateEvent.Cut(id, at, label, rate, date);
            case "mark" ->
                new SlateEvent.Mark(
                        id,
                        at,
                        label,
                        rate,
                        date,
                        row.scene(),
                        row.shot(),
                        take(row),
                        TakeMark.fromLabel(row.mark()).orElseThrow(),
                        row.notes());
            case "assign" -> new SlateEvent.Assign(id, at, label, rate, date, row.rig(), row.person());
            case "snooze" -> new SlateEvent.Snooze(id, at, label, rate, date, row.rig());
            default -> throw new IllegalArgumentException("unknown slate type " + row.type());
        };
    }

    private static int take(StoreReads.SlateRow row) {
        if (row.take() < 0) {
            throw new IllegalArgumentException("no take number");
        }
        return row.take();
    }
}
