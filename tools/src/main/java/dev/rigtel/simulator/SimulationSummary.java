package dev.rigtel.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rigtel.collector.ingest.json.SlateJson;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What a simulation run sent and what was acknowledged, per rig and in total, so that an end-to-end
 * test can compare what was sent with what was stored. Serialized with the
 * {@link dev.rigtel.collector.ingest.json.WireMapper}'s mapper in snake_case.
 *
 * <p>"Acknowledged" means a PUBACK arrived (QoS 1). At QoS 0 nothing is acknowledged and every
 * {@code *_acked} count is 0.
 *
 * @param durationSeconds real time from the start of the run to the end of data generation
 * @param drainSeconds real time after that spent sending the backlog and waiting for
 *     acknowledgements
 * @param allAcknowledged every message generated was sent and, at QoS 1, acknowledged; every slate
 *     event sent was acknowledged
 * @param runStart the true (wall-clock) time at which the run started, elapsed time 0; null in a
 *     summary made without one
 * @param maxClockDriftPpm the bound of the rigs' crystal drift, {@code --clock-drift-ppm}
 * @param clockJitterMicros the timecode reports' jitter, {@code --clock-jitter-us}
 * @param slateCounts the slate events sent and acknowledged, by type
 * @param slateEvents every slate event sent, in the order first sent
 */
public record SimulationSummary(
        @JsonProperty("rigs") int rigs,
        @JsonProperty("rate_hz") int rateHz,
        @JsonProperty("duration_s") double durationSeconds,
        @JsonProperty("drain_s") double drainSeconds,
        @JsonProperty("qos") int qos,
        @JsonProperty("encoding") String encoding,
        @JsonProperty("profile") String profile,
        @JsonProperty("seed") long seed,
        @JsonProperty("all_acknowledged") boolean allAcknowledged,
        @JsonProperty("run_start") String runStart,
        @JsonProperty("tc_rate") String timecodeRate,
        @JsonProperty("tc_drop_frame") boolean timecodeDropFrame,
        @JsonProperty("max_clock_drift_ppm") double maxClockDriftPpm,
        @JsonProperty("clock_jitter_us") double clockJitterMicros,
        @JsonProperty("totals") Totals totals,
        @JsonProperty("per_rig") List<RigSummary> perRig,
        @JsonProperty("slate_counts") SlateCounts slateCounts,
        @JsonProperty("slate_events") List<SlateEventSummary> slateEvents) {

    public SimulationSummary {
        perRig = List.copyOf(perRig);
        slateEvents = slateEvents == null ? List.of() : List.copyOf(slateEvents);
        slateCounts = slateCounts == null ? SlateCounts.of(slateEvents) : slateCounts;
    }

    /** Builds the summary and its totals from the per-rig summaries, for a run without slate events. */
    public static SimulationSummary of(
            SimulatorOptions options, double durationSeconds, double drainSeconds, List<RigSummary> perRig) {
        return of(options, null, durationSeconds, drainSeconds, perRig, List.of());
    }

    /** Builds the summary, its totals and slate counts from the per-rig summaries and the slate events. */
    public static SimulationSummary of(
            SimulatorOptions options,
            Instant runStart,
            double durationSeconds,
            double drainSeconds,
            List<RigSummary> perRig,
            List<SlateEventSummary> slateEvents) {
        Totals totals = Totals.of(perRig);
        SlateCounts slateCounts = SlateCounts.of(slateEvents);
        boolean complete =
                perRig.stream().allMatch(r -> r.complete(options.qos())) && slateCounts.acked() == slateCounts.sent();
        return new SimulationSummary(
                perRig.size(),
                options.sampleRateHz(),
                durationSeconds,
                drainSeconds,
                options.qos(),
                options.encoding().label(),
                options.profile().label(),
                options.seed(),
                complete,
                runStart == null ? null : runStart.toString(),
                options.timecodeRate().label(),
                options.timecodeDropFrame(),
                options.clockDriftPpm(),
                options.clockJitterMicros(),
                totals,
                perRig,
                slateCounts,
                slateEvents);
    }

    /**
     * One rig's counts. The sums are over every sample sent, added in sample order; first and last
     * device times are those of the first and last sample sent (null if none was).
     *
     * <p>The rig's true clock: its device clock read {@code deviceStartNanos} at the run's start and
     * gains {@code clockDriftPpm} microseconds per second of true time, so device time {@code D} was
     * true time {@code run_start + (D - deviceStartNanos) / (1 + clockDriftPpm * 1e-6)}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RigSummary(
            @JsonProperty("rig") String rig,
            @JsonProperty("boot") String boot,
            @JsonProperty("imu_messages_sent") long imuMessagesSent,
            @JsonProperty("samples_sent") long samplesSent,
            @JsonProperty("imu_messages_acked") long imuMessagesAcked,
            @JsonProperty("samples_acked") long samplesAcked,
            @JsonProperty("timecode_reports_sent") long timecodeReportsSent,
            @JsonProperty("timecode_reports_acked") long timecodeReportsAcked,
            @JsonProperty("status_reports_sent") long statusReportsSent,
            @JsonProperty("status_reports_acked") long statusReportsAcked,
            @JsonProperty("publish_failures") long publishFailures,
            @JsonProperty("reconnects") long reconnects,
            @JsonProperty("unsent_messages") long unsentMessages,
            @JsonProperty("max_backlog_messages") long maxBacklogMessages,
            @JsonProperty("backlog_stalls") long backlogStalls,
            @JsonProperty("sum_ax") double sumAx,
            @JsonProperty("sum_ay") double sumAy,
            @JsonProperty("sum_az") double sumAz,
            @JsonProperty("sum_gx") double sumGx,
            @JsonProperty("sum_gy") double sumGy,
            @JsonProperty("sum_gz") double sumGz,
            @JsonProperty("first_sample_device_ns") Long firstSampleDeviceNanos,
            @JsonProperty("last_sample_device_ns") Long lastSampleDeviceNanos,
            @JsonProperty("clock_drift_ppm") double clockDriftPpm,
            @JsonProperty("device_start_ns") long deviceStartNanos) {

        /** Everything generated was sent and, at QoS 1, acknowledged. */
        public boolean complete(int qos) {
            if (unsentMessages != 0) {
                return false;
            }
            return qos == 0
                    || (imuMessagesAcked == imuMessagesSent
                            && timecodeReportsAcked == timecodeReportsSent
                            && statusReportsAcked == statusReportsSent);
        }
    }

    /** The per-rig counts added up. */
    public record Totals(
            @JsonProperty("imu_messages_sent") long imuMessagesSent,
            @JsonProperty("samples_sent") long samplesSent,
            @JsonProperty("imu_messages_acked") long imuMessagesAcked,
            @JsonProperty("samples_acked") long samplesAcked,
            @JsonProperty("timecode_reports_sent") long timecodeReportsSent,
            @JsonProperty("timecode_reports_acked") long timecodeReportsAcked,
            @JsonProperty("status_reports_sent") long statusReportsSent,
            @JsonProperty("status_reports_acked") long statusReportsAcked,
            @JsonProperty("publish_failures") long publishFailures,
            @JsonProperty("reconnects") long reconnects,
            @JsonProperty("unsent_messages") long unsentMessages) {

        static Totals of(List<RigSummary> rigs) {
            return new Totals(
                    rigs.stream().mapToLong(RigSummary::imuMessagesSent).sum(),
                    rigs.stream().mapToLong(RigSummary::samplesSent).sum(),
                    rigs.stream().mapToLong(RigSummary::imuMessagesAcked).sum(),
                    rigs.stream().mapToLong(RigSummary::samplesAcked).sum(),
                    rigs.stream().mapToLong(RigSummary::timecodeReportsSent).sum(),
                    rigs.stream().mapToLong(RigSummary::timecodeReportsAcked).sum(),
                    rigs.stream().mapToLong(RigSummary::statusReportsSent).sum(),
                    rigs.stream().mapToLong(RigSummary::statusReportsAcked).sum(),
                    rigs.stream().mapToLong(RigSummary::publishFailures).sum(),
                    rigs.stream().mapToLong(RigSummary::reconnects).sum(),
                    rigs.stream().mapToLong(RigSummary::unsentMessages).sum());
        }
    }

    /** The slate events sent and acknowledged, and how many of each type were sent. */
    public record SlateCounts(
            @JsonProperty("sent") long sent,
            @JsonProperty("acked") long acked,
            @JsonProperty("rolls") long rolls,
            @JsonProperty("cuts") long cuts,
            @JsonProperty("marks") long marks,
            @JsonProperty("assigns") long assigns) {

        static SlateCounts of(List<SlateEventSummary> events) {
            return new SlateCounts(
                    events.size(),
                    events.stream().filter(SlateEventSummary::acked).count(),
                    count(events, SlateEventType.ROLL),
                    count(events, SlateEventType.CUT),
                    count(events, SlateEventType.MARK),
                    count(events, SlateEventType.ASSIGN));
        }

        private static long count(List<SlateEventSummary> events, SlateEventType type) {
            return events.stream().filter(e -> e.type().equals(type.label())).count();
        }
    }

    /**
     * One slate event as sent on {@code rigtel/v1/slate} (the payload's fields, null where the
     * payload has none) and whether its PUBACK arrived.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SlateEventSummary(
            @JsonProperty("type") String type,
            @JsonProperty("id") String id,
            @JsonProperty("tc") String timecode,
            @JsonProperty("rate") String rate,
            @JsonProperty("df") Boolean dropFrame,
            @JsonProperty("date") String date,
            @JsonProperty("scene") String scene,
            @JsonProperty("shot") String shot,
            @JsonProperty("take") Integer take,
            @JsonProperty("camera_roll") String cameraRoll,
            @JsonProperty("mark") String mark,
            @JsonProperty("rig") String rig,
            @JsonProperty("person") String person,
            @JsonProperty("acked") boolean acked) {

        static SlateEventSummary of(SlateJson json, boolean acked) {
            return new SlateEventSummary(
                    json.type(),
                    json.id(),
                    json.label(),
                    json.rate(),
                    json.dropFrame(),
                    json.date(),
                    json.scene(),
                    json.shot(),
                    json.take(),
                    json.cameraRoll(),
                    json.mark(),
                    json.rig(),
                    json.person(),
                    acked);
        }
    }

    /** A readable table for a terminal: one line per rig and a total line. */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "rigtel simulate: %d rigs, %d Hz, %s, QoS %d, profile %s, seed %d%n",
                rigs,
                rateHz,
                encoding,
                qos,
                profile,
                seed));
        out.append(String.format(
                Locale.ROOT,
                "generated for %.3f s, then %.3f s sending and waiting for acks%n",
                durationSeconds,
                drainSeconds));
        String format = "%-16s %9s %11s %9s %11s %7s %7s %7s %7s %6s %6s %7s %9s%n";
        out.append(String.format(
                Locale.ROOT,
                format,
                "rig",
                "imu sent",
                "samples",
                "imu acked",
                "samp acked",
                "tc sent",
                "tc ack",
                "st sent",
                "st ack",
                "fail",
                "recon",
                "unsent",
                "drift ppm"));
        for (RigSummary r : perRig) {
            out.append(String.format(
                    Locale.ROOT,
                    format,
                    r.rig(),
                    r.imuMessagesSent(),
                    r.samplesSent(),
                    r.imuMessagesAcked(),
                    r.samplesAcked(),
                    r.timecodeReportsSent(),
                    r.timecodeReportsAcked(),
                    r.statusReportsSent(),
                    r.statusReportsAcked(),
                    r.publishFailures(),
                    r.reconnects(),
                    r.unsentMessages(),
                    String.format(Locale.ROOT, "%+.3f", r.clockDriftPpm())));
        }
        Totals t = totals;
        out.append(String.format(
                Locale.ROOT,
                format,
                "total",
                t.imuMessagesSent(),
                t.samplesSent(),
                t.imuMessagesAcked(),
                t.samplesAcked(),
                t.timecodeReportsSent(),
                t.timecodeReportsAcked(),
                t.statusReportsSent(),
                t.statusReportsAcked(),
                t.publishFailures(),
                t.reconnects(),
                t.unsentMessages(),
                ""));
        if (slateCounts.sent() > 0) {
            out.append(String.format(
                    Locale.ROOT,
                    "slate: %d events sent (%d rolls, %d cuts, %d marks, %d assigns), %d acknowledged%n",
                    slateCounts.sent(),
                    slateCounts.rolls(),
                    slateCounts.cuts(),
                    slateCounts.marks(),
                    slateCounts.assigns(),
                    slateCounts.acked()));
        }
        if (qos == 0) {
            out.append("QoS 0: nothing is acknowledged, the acked columns stay 0\n");
        }
        if (qos == 1) {
            out.append(
                    allAcknowledged
                            ? "all messages sent and acknowledged\n"
                            : "NOT all messages were sent and acknowledged\n");
        } else {
            out.append(allAcknowledged ? "all messages sent\n" : "NOT all messages were sent\n");
        }
        return out.toString();
    }
}
