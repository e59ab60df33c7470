package dev.rigtel.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 * @param allAcknowledged every message generated was sent and, at QoS 1, acknowledged
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
        @JsonProperty("totals") Totals totals,
        @JsonProperty("per_rig") List<RigSummary> perRig) {

    public SimulationSummary {
        perRig = List.copyOf(perRig);
    }

    /** Builds the summary and its totals from the per-rig summaries. */
    public static SimulationSummary of(
            SimulatorOptions options, double durationSeconds, double drainSeconds, List<RigSummary> perRig) {
        Totals totals = Totals.of(perRig);
        boolean complete = perRig.stream().allMatch(r -> r.complete(options.qos()));
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
                totals,
                perRig);
    }

    /**
     * One rig's counts. The sums are over every sample sent, added in sample order; first and last
     * device times are those of the first and last sample sent (null if none was).
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
            @JsonProperty("last_sample_device_ns") Long lastSampleDeviceNanos) {

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
        String format = "%-16s %9s %11s %9s %11s %7s %7s %7s %7s %6s %6s %7s%n";
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
                "unsent"));
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
                    r.unsentMessages()));
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
                t.unsentMessages()));
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
