package dev.rigtel.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.commands.CommandLog;
import dev.rigtel.collector.commands.RigCommand;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolRecord;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.store.StoredPoints;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.SlateLog;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.timecode.DeviceClocks;
import dev.rigtel.collector.timecode.LockState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back, at start, the state a collector keeps in memory, so that everything acknowledged
 * before a stop or a crash is state again: slate events (takes, wearers), rig commands awaiting an
 * answer, and device-clock segments.
 *
 * <p>Two sources, merged by id or by range so nothing is doubled: the spool's records that InfluxDB
 * has not taken yet ({@link #fromSpool}, always, before the listeners open), and InfluxDB for the
 * rest ({@link #fromStorage}): tried at start and, while InfluxDB is away, again every few seconds
 * until it succeeded, with {@code /health} degraded meanwhile.
 */
final class StateRestore {

    private static final Logger log = LoggerFactory.getLogger(StateRestore.class);

    /** Clock segments reloaded from storage: a batch re-sent after a restart is at most this old. */
    static final Duration SEGMENT_HISTORY = Duration.ofHours(24);

    private final StoreReads store;
    private final ObjectMapper json;
    private final DeviceClocks clocks;
    private final TakeHistory takes;
    private final Clock clock;
    private RigCommands commands;
    private final List<RigCommand> spooledCommands = new ArrayList<>();
    private volatile boolean clocksDone;
    private volatile boolean takesDone;
    private volatile boolean commandsDone;
    private boolean failing;

    StateRestore(StoreReads store, ObjectMapper json, DeviceClocks clocks, TakeHistory takes, Clock clock) {
        this.store = store;
        this.json = json;
        this.clocks = clocks;
        this.takes = takes;
        this.clock = clock;
    }

    /**
     * Reads the spool's unwritten records: their slate events go to the take history as pending (with
     * their record), their clock segments to the clocks, their commands wait for {@link #commands}.
     */
    void fromSpool(Spool spool) throws IOException {
        int segments = 0;
        int events = 0;
        Map<String, RigCommand> commandsById = new LinkedHashMap<>();
        long after = spool.committed();
        while (true) {
            List<SpoolRecord> records = spool.readFrom(after, 100_000);
            if (records.isEmpty()) {
                break;
            }
            for (SpoolRecord record : records) {
                // Only slate, clock and command points are read: IMU samples need not become text here.
                String lines = record.linesExceptImu();
                for (StoreReads.ClockSegmentRow s : StoredPoints.clockSegmentsIn(lines)) {
                    clocks.restore(segment(s));
                    segments++;
                }
                for (SlateEvent event : SlateLog.eventsIn(lines)) {
                    takes.add(event, record.sequence());
                    events++;
                }
                for (RigCommand command : CommandLog.commandsIn(lines, json)) {
                    commandsById.put(command.id(), command);
                }
            }
            after = records.get(records.size() - 1).sequence();
        }
        spooledCommands.addAll(commandsById.values());
        if (spool.unwrittenPoints() > 0) {
            log.info(
                    "spool holds {} points not yet in InfluxDB: {} clock segments, {} slate events and {} command "
                            + "statuses restored from them; replaying",
                    spool.unwrittenPoints(),
                    segments,
                    events,
                    commandsById.size());
        }
    }

    /** The commands, once built: they get the spool's commands now and storage's with the rest. */
    void commands(RigCommands commands) {
        this.commands = commands;
        commands.restore(spooledCommands);
    }

    /** True once every part was read back from InfluxDB. */
    boolean complete() {
        return clocksDone && takesDone && commandsDone;
    }

    /**
     * Reads back from InfluxDB what is not read yet. Blocking; logs a failure once per outage.
     *
     * @return true if everything is restored now
     */
    synchronized boolean fromStorage() {
        if (complete()) {
            return true;
        }
        try {
            if (!clocksDone) {
                restoreClocks();
                clocksDone = true;
            }
            if (!takesDone) {
                int events = takes.restore();
                log.info("restored the open days' takes from {} slate events in InfluxDB", events);
                takesDone = true;
            }
            if (!commandsDone && commands != null) {
                Instant now = clock.instant();
                List<RigCommand> recent = CommandLog.loadSince(
                        store, json, now.minus(commands.expiry()).minusSeconds(60), now);
                commands.restore(recent);
                log.info("restored {} recent rig commands from InfluxDB", recent.size());
                commandsDone = true;
            }
            if (failing) {
                log.info("state restored from InfluxDB");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn(
                        "cannot read the collector's state back from InfluxDB yet ({}); answers about takes miss "
                                + "what only InfluxDB holds until it can, retrying every few seconds",
                        e.getMessage());
                failing = true;
            }
        }
        return complete();
    }

    /**
     * Cluster mode, before a member consumes a partition it takes over: the clock segments of the
     * last {@link #SEGMENT_HISTORY} and the newest stored sample of {@code rigs}, as the previous
     * owner stored them, so the same device times land on the same timestamps. Blocking.
     *
     * @throws RuntimeException if the store cannot answer now
     */
    void reloadClocks(java.util.Set<String> rigs) {
        Instant since = clock.instant().minus(SEGMENT_HISTORY);
        long sinceNanos = since.getEpochSecond() * 1_000_000_000L + since.getNano();
        int restored = 0;
        for (StoreReads.ClockSegmentRow s : store.clockSegments(sinceNanos)) {
            if (rigs.contains(s.rig()) && clocks.restore(segment(s))) {
                restored++;
            }
        }
        store.latestSampleNanos(sinceNanos).forEach((rig, nanos) -> {
            if (rigs.contains(rig)) {
                clocks.restoreLatest(rig, nanos);
            }
        });
        log.info("reloaded {} device clock segments of rigs {} from the store", restored, rigs);
    }

    private void restoreClocks() {
        Instant since = clock.instant().minus(SEGMENT_HISTORY);
        long sinceNanos = since.getEpochSecond() * 1_000_000_000L + since.getNano();
        int restored = 0;
        for (StoreReads.ClockSegmentRow s : store.clockSegments(sinceNanos)) {
            if (clocks.restore(segment(s))) {
                restored++;
            }
        }
        // A new boot is anchored after its rig's newest sample: only the last day's can be later
        // than the collector's clock now. One far later (stored before such times were refused)
        // must not carry into later boots: DeviceClocks ignores it.
        store.latestSampleNanos(sinceNanos).forEach((rig, nanos) -> {
            if (!clocks.restoreLatest(rig, nanos)) {
                log.warn(
                        "rig {}: its newest stored sample, at {}, lies more than {} min ahead of the collector's "
                                + "clock; its next boot is not anchored after it",
                        rig,
                        java.time.Instant.ofEpochSecond(0, nanos),
                        DeviceClocks.MAX_ANCHOR_LEAD.toMinutes());
            }
        });
        log.info("restored {} device clock segments from InfluxDB", restored);
    }

    private static DeviceClocks.Segment segment(StoreReads.ClockSegmentRow s) {
        return new DeviceClocks.Segment(
                s.rig(),
                s.boot(),
                s.startDeviceNanos(),
                s.lengthNanos(),
                s.startNanos(),
                s.rate(),
                LockState.valueOf(s.lock().toUpperCase(Locale.ROOT)),
                s.driftPpm(),
                s.residualRmsMicros() * 1000);
    }
}
