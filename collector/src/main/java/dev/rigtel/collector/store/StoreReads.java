package dev.rigtel.collector.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the collector reads back from storage, typed: the read port. Callers never see a query
 * language or a result format; they get records of this interface and map them to their own domain
 * types ({@code store} knows no takes, commands or clocks). Times are UTC nanoseconds on the
 * production timeline; a range {@code [fromNanos, toNanos)} includes its start and excludes its end
 * unless a method says otherwise.
 *
 * <p>Implementations: {@link InfluxReads} (InfluxDB 1.x through InfluxQL) and {@link MemoryStore}
 * (in memory, for tests). Both must pass the same contract suite ({@code StoreReadsContract}). Blocking:
 * never call from an event loop.
 *
 * @throws StoreUnreachableException (from any method) when the store did not answer
 * @throws StoreException (from any method) when the store refused the read
 */
public interface StoreReads {

    // ---- slate ({@code slate} points) ----

    /**
     * One stored slate event as written: the fields of every type, empty text where a type has none.
     *
     * @param atNanos the event's exact production time (field {@code at_ns})
     * @param take the take number, 0 if none
     * @param rig the rig of an assignment (a tag, or a field in points written before it was one)
     */
    record SlateRow(
            String type,
            String id,
            long atNanos,
            String label,
            String rate,
            String date,
            String scene,
            String shot,
            int take,
            String cameraRoll,
            String mark,
            String notes,
            String rig,
            String person,
            boolean stunt) {

        /** A row without the stunt flag (every type but a stunt roll). */
        public SlateRow(
                String type,
                String id,
                long atNanos,
                String label,
                String rate,
                String date,
                String scene,
                String shot,
                int take,
                String cameraRoll,
                String mark,
                String notes,
                String rig,
                String person) {
            this(type, id, atNanos, label, rate, date, scene, shot, take, cameraRoll, mark, notes, rig, person, false);
        }
    }

    /**
     * The slate events a take book of {@code [fromNanos, toNanos)} needs: those stored in the range;
     * per rig, the newest assignment before it; the newest roll or cut before it; and, unless {@code
     * toNanos} is {@link Long#MAX_VALUE}, the first roll or cut at or after its end. Any order.
     */
    List<SlateRow> slateWindow(long fromNanos, long toNanos);

    /** The assignments stored in {@code [fromNanos, toNanos)}, and per rig the newest one before it. */
    List<SlateRow> slateAssignments(long fromNanos, long toNanos);

    /** The newest roll stored with this id. */
    Optional<SlateRow> slateRoll(String id);

    /** The stored time of the oldest slate event. */
    Optional<Long> firstSlateNanos();

    // ---- rig commands ({@code rig_command} points) ----

    /**
     * One status point of a rig command.
     *
     * @param timeNanos the point's time, to within a microsecond (InfluxDB's JSON answer is a double)
     * @param detail empty if none
     */
    record CommandRow(
            String id,
            String rig,
            String command,
            String status,
            String argsJson,
            String issuedBy,
            String detail,
            long issuedMillis,
            long expiresMillis,
            long timeNanos) {}

    /** The newest {@code maxPoints} command points of {@code rig} stored at or after {@code sinceNanos}. */
    List<CommandRow> commandPoints(String rig, long sinceNanos, int maxPoints);

    /** Every command point of any rig stored at or after {@code sinceNanos}. */
    List<CommandRow> commandPointsSince(long sinceNanos);

    /** Every stored point of one command. */
    List<CommandRow> commandPoints(String rig, String id);

    // ---- device clocks and samples ----

    /** A persisted device-clock segment. */
    record ClockSegmentRow(
            String rig,
            String boot,
            long lengthNanos,
            long startDeviceNanos,
            long startNanos,
            double rate,
            String lock,
            double driftPpm,
            double residualRmsMicros) {}

    /** The clock segments stored after {@code sinceNanos} (exclusive). */
    List<ClockSegmentRow> clockSegments(long sinceNanos);

    /**
     * The newest IMU sample time per rig among those stored after {@code sinceNanos} (exclusive), to
     * within a microsecond.
     */
    Map<String, Long> latestSampleNanos(long sinceNanos);

    // ---- take summaries ({@code take_summary} points) ----

    /**
     * One rig's stored summary point.
     *
     * @param takeId field {@code take_id} (tag {@code take} in points written before it was a field),
     *     null if neither
     * @param timeNanos the point's time, to within a microsecond
     * @param source null if none
     * @param figures every numeric field by name (integers may come back as {@code Double})
     */
    record SummaryRow(String takeId, String rig, long timeNanos, String source, Map<String, Number> figures) {}

    /** The summary points stored in {@code [firstNanos, lastNanos]} (both inclusive). */
    List<SummaryRow> summaries(long firstNanos, long lastNanos);

    /** A rig over a time range. */
    record RigSpan(String rig, long fromNanos, long toNanos) {}

    /**
     * Sums over the summary points of one rig and range; a figure no point holds is 0.
     *
     * @param takes points with a {@code samples} figure
     * @param above3gKnown points with an {@code above_3g_s} figure
     */
    record SummarySums(
            long takes,
            double impacts,
            double maxHic15,
            double msdvSquared,
            double secondsAbove30Dps,
            double secondsAbove3g,
            long above3gKnown,
            double maxPeakG) {}

    /** Per span, in order, its sums; null where it holds no summary with samples. */
    List<SummarySums> summarySums(List<RigSpan> spans);

    /**
     * The figures of one stored summary point that a shoot's exposure adds up; a figure the point
     * does not hold is 0 ({@code msdvSquared} falls back to {@code msdv}^2).
     *
     * @param takeId as in {@link SummaryRow#takeId()}, null if none
     * @param timeNanos the point's time (the take's roll), to within a microsecond
     */
    record ExposureRow(
            String takeId,
            String rig,
            long timeNanos,
            double impacts,
            double maxHic15,
            double peakG,
            double headTurns,
            double msdvSquared) {}

    /**
     * The exposure figures of every summary point with samples stored in {@code [fromNanos,
     * toNanos)}, in any order: one query for any range, a shoot's worth of rows.
     */
    List<ExposureRow> exposureRows(long fromNanos, long toNanos);

    // ---- raw samples ({@code imu}) and rollups ({@code imu_1s}) ----

    /** Receives raw samples: m/s^2 and deg/s as stored. */
    @FunctionalInterface
    interface ImuRows {
        void row(String rig, long timeNanos, double ax, double ay, double az, double gx, double gy, double gz);
    }

    /**
     * The {@code source} of a rig's own points (they carry no {@code source} tag), for the reads
     * below that take a source; {@code null} there means every source.
     */
    String RIG_SOURCE = "rig";

    /**
     * Streams the raw samples of {@code [fromNanos, toNanos)}, of one rig or of all ({@code rig}
     * null), each rig's in time order, rigs in any order; never held whole in memory. Times exact.
     */
    default void imuSamples(String rig, long fromNanos, long toNanos, ImuRows each) {
        imuSamples(rig, null, fromNanos, toNanos, each);
    }

    /**
     * As {@link #imuSamples(String, long, long, ImuRows)}, of one source only: {@link #RIG_SOURCE}
     * (points without a {@code source} tag), another ({@code gopro}), or every one ({@code null}).
     */
    void imuSamples(String rig, String source, long fromNanos, long toNanos, ImuRows each);

    /** The number of raw samples of {@code rig} in {@code [fromNanos, toNanos)}. */
    default long imuCount(String rig, long fromNanos, long toNanos) {
        return imuCount(rig, null, fromNanos, toNanos);
    }

    /** As {@link #imuCount(String, long, long)}, of one source ({@code null} for all). */
    long imuCount(String rig, String source, long fromNanos, long toNanos);

    /** True if {@code rig} has at least one raw sample in {@code [fromNanos, toNanos)}; cheap. */
    default boolean imuExists(String rig, long fromNanos, long toNanos) {
        return imuExists(rig, null, fromNanos, toNanos);
    }

    /** As {@link #imuExists(String, long, long)}, of one source ({@code null} for all). */
    boolean imuExists(String rig, String source, long fromNanos, long toNanos);

    /**
     * Per rig with raw samples in {@code [fromNanos, toNanos)}: their number, the first and the last
     * (to within a microsecond).
     */
    record Extent(long samples, long firstNanos, long lastNanos) {}

    /** The raw samples' extent per rig in {@code [fromNanos, toNanos)}. */
    Map<String, Extent> imuExtents(long fromNanos, long toNanos);

    /**
     * Per rig with rollups in {@code [fromNanos, toNanos)}: the sum of their {@code samples}, the first
     * and the last rollup's second.
     */
    Map<String, Extent> rollupExtents(long fromNanos, long toNanos);

    /** An interval between two consecutive samples of a rig. */
    record Gap(long endNanos, long lengthMicros) {}

    /**
     * The intervals between consecutive raw samples of {@code rig} in {@code [fromNanos, toNanos]}
     * (both inclusive) longer than {@code thresholdMicros} (whole microseconds, truncated), in time
     * order.
     */
    List<Gap> imuGaps(String rig, long fromNanos, long toNanos, long thresholdMicros);

    /** One rollup second, or a bucket of them: largest peaks, RMS (or their mean). */
    record Rollup(long timeNanos, double accelPeakG, double accelRmsG, double gyroPeakDps, double gyroRmsDps) {}

    /** The number of rollups of {@code rig} in {@code [fromNanos, toNanos)}. */
    default long rollupCount(String rig, long fromNanos, long toNanos) {
        return rollupCount(rig, null, fromNanos, toNanos);
    }

    /** As {@link #rollupCount(String, long, long)}, of one source ({@code null} for all). */
    long rollupCount(String rig, String source, long fromNanos, long toNanos);

    /** True if {@code rig} has at least one rollup in {@code [fromNanos, toNanos)}; cheap. */
    default boolean rollupsExist(String rig, long fromNanos, long toNanos) {
        return rollupsExist(rig, null, fromNanos, toNanos);
    }

    /** As {@link #rollupsExist(String, long, long)}, of one source ({@code null} for all). */
    boolean rollupsExist(String rig, String source, long fromNanos, long toNanos);

    /** The rollups of {@code rig} in {@code [fromNanos, toNanos)}, in time order. */
    default List<Rollup> rollups(String rig, long fromNanos, long toNanos) {
        return rollups(rig, null, fromNanos, toNanos);
    }

    /** As {@link #rollups(String, long, long)}, of one source ({@code null} for all). */
    List<Rollup> rollups(String rig, String source, long fromNanos, long toNanos);

    /**
     * The rollups of {@code rig} in {@code [fromNanos, toNanos)} in buckets of {@code bucketNanos} (a
     * whole number of seconds) aligned to the epoch, empty buckets left out: per bucket the largest
     * peaks and the mean RMS, stamped with the bucket's start.
     */
    default List<Rollup> rollupBuckets(String rig, long fromNanos, long toNanos, long bucketNanos) {
        return rollupBuckets(rig, null, fromNanos, toNanos, bucketNanos);
    }

    /** As {@link #rollupBuckets(String, long, long, long)}, of one source ({@code null} for all). */
    List<Rollup> rollupBuckets(String rig, String source, long fromNanos, long toNanos, long bucketNanos);

    // ---- motion events ({@code motion_event}) ----

    /**
     * One motion event.
     *
     * @param fields its fields by name in name order; numbers as {@code Double}; an imported event
     *     also holds its {@code source} tag ({@code gopro}) here, a rig's own event has none
     */
    record MotionEventRow(String rig, String type, long onsetNanos, Map<String, Object> fields) {}

    /**
     * The motion events with onset in {@code [fromNanos, toNanos)}, of the given types or all
     * ({@code types} null), grouped by rig and type, each group by onset, groups in any order.
     */
    List<MotionEventRow> motionEvents(long fromNanos, long toNanos, List<String> types);

    // ---- imported camera clips ({@code import_clip}) ----

    /**
     * An imported camera clip's share of one take; text the import did not know is empty.
     *
     * @param firstNanos its first sample in the take (exact)
     * @param lastNanos its last sample in the take (exact)
     */
    record ImportClipRow(
            String rig,
            String clip,
            String clipName,
            String takeId,
            String cameraModel,
            String cameraSerial,
            long firstNanos,
            long lastNanos,
            long samples,
            String timecode) {}

    /** The imported clips whose first sample in a take lies in {@code [fromNanos, toNanos)}, by it. */
    List<ImportClipRow> importClips(long fromNanos, long toNanos);
}
