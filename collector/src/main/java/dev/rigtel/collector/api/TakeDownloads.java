package dev.rigtel.collector.api;

import dev.rigtel.collector.csv.Csv;
import dev.rigtel.collector.ingest.TakeSummaries;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.FrameRate;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The CSV downloads of a take (RFC 4180, CRLF line ends, a header row with the unit of each figure in
 * its name): {@code summary.csv}, one row per rig with a stored summary, and {@code samples.csv},
 * the raw samples of one rig.
 *
 * <p>An answer is held whole in memory ({@link ApiResponse} has no streaming body), so {@code
 * samples.csv} is streamed from the store but capped at {@link #MAX_SAMPLE_ROWS} rows (413
 * above, counted before anything is read), and one such file is built at a time (503 meanwhile), so
 * downloads cannot take the collector's memory from ingest.
 */
final class TakeDownloads {

    /** The most rows {@code samples.csv} answers: 33 min of one rig at 1 kHz, some 200 MB of CSV. */
    static final long MAX_SAMPLE_ROWS = 2_000_000;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Bytes a sample row takes, about, to size the buffer once. */
    private static final int ROW_BYTES = 110;

    /** CSV header names of {@link TakeSummaries#METRICS}, with their unit where the name has none. */
    private static final Map<String, String> SUMMARY_HEADERS = Map.of(
            "msdv", "msdv_mps1.5",
            "share_above_30dps", "share_above_30dps_0to1",
            "viewer_comfort", "viewer_comfort_0to100");

    static final String SAMPLES_AXES = "ax_mps2,ay_mps2,az_mps2,gx_dps,gy_dps,gz_dps";

    private final Semaphore building = new Semaphore(1);
    private final long maxSampleRows;

    TakeDownloads() {
        this(MAX_SAMPLE_ROWS);
    }

    /** @param maxSampleRows the most rows samples.csv answers */
    TakeDownloads(long maxSampleRows) {
        this.maxSampleRows = maxSampleRows;
    }

    /** {@code summary.csv}: take, rig, person and every stored summary figure, one row per rig. */
    static ApiResponse summaryCsv(StoreReads store, Take take, long takeEndNanos) {
        StringBuilder out = new StringBuilder(1024).append("take_id,take_name,rig,person,source");
        for (String metric : TakeSummaries.METRICS) {
            out.append(',').append(SUMMARY_HEADERS.getOrDefault(metric, metric));
        }
        out.append("\r\n");
        for (StoredSummaries.Row row : StoredSummaries.of(store, List.of(take))) {
            out.append(Csv.text(take.id()))
                    .append(',')
                    .append(Csv.text(take.name()))
                    .append(',')
                    .append(Csv.text(row.rig()))
                    .append(',')
                    .append(Csv.text(StoredSummaries.wearer(take, row.rig())))
                    .append(',')
                    .append(Csv.text(row.source()));
            for (String metric : TakeSummaries.METRICS) {
                out.append(',').append(Csv.number(row.metrics().get(metric)));
            }
            out.append("\r\n");
        }
        return ApiResponse.csvDownload(
                take.name() + "_" + take.id() + "_summary.csv", out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code samples.csv?rig=R[&from_ns=&to_ns=]}: {@code time_utc} (ISO-8601 UTC, nine fraction
     * digits), {@code timecode} (the take's rate; left out if the take's rate is unknown) and the six
     * axes as stored.
     *
     * @throws ApiException 400 bad parameters, 404 no samples of the rig in the take, 413 too many
     *     rows, 503 another file is being built
     */
    ApiResponse samplesCsv(StoreReads store, Take take, ApiRequest request, long takeEndNanos, ZoneId zone) {
        SampleWindow window = SampleWindow.of(request, take, takeEndNanos);
        if (!store.imuExists(window.rig(), take.startNanos(), takeEndNanos)) {
            throw ApiException.notFound("rig " + window.rig() + " has no raw samples in take " + take.name()
                    + " (none were stored, or --raw-retention has dropped them; its rollups are in /series)");
        }
        long rows = store.imuCount(window.rig(), window.fromNanos(), window.toNanos());
        if (rows > maxSampleRows) {
            throw new ApiException(
                    413,
                    "take " + take.name() + " has " + rows + " samples of " + window.rig()
                            + " in that range; samples.csv"
                            + " holds at most " + maxSampleRows + " rows (it is built in memory): ask for parts"
                            + " with from_ns and to_ns");
        }
        if (!building.tryAcquire()) {
            throw new ApiException(503, "another samples.csv is being built; retry in a moment");
        }
        try {
            Optional<FrameRate> rate = FrameRate.fromLabel(take.rate());
            boolean dropFrame =
                    take.startLabel().length() == 11 && take.startLabel().charAt(8) == ';';
            SampleRows csv = new SampleRows((int) (128 + rows * ROW_BYTES), rate.orElse(null), dropFrame, zone);
            store.imuSamples(window.rig(), window.fromNanos(), window.toNanos(), csv);
            return ApiResponse.csvDownload(
                    take.name() + "_" + take.id() + "_" + window.rig() + "_samples.csv", csv.bytes());
        } finally {
            building.release();
        }
    }

    /**
     * The rows of samples.csv, ASCII straight into one buffer. The date and time of day are formatted
     * once per second and the timecode once per frame, not per sample.
     */
    private static final class SampleRows implements StoreReads.ImuRows {
        private byte[] out;
        private int size;
        private final StringBuilder row = new StringBuilder(160);
        private final FrameRate rate;
        private final boolean dropFrame;
        private final ZoneId zone;
        private long second = Long.MIN_VALUE;
        private String secondText;
        private long frameStart = Long.MAX_VALUE;
        private long frameEnd = Long.MIN_VALUE;
        private String frameLabel;

        SampleRows(int capacity, FrameRate rate, boolean dropFrame, ZoneId zone) {
            this.out = new byte[capacity];
            this.rate = rate;
            this.dropFrame = dropFrame;
            this.zone = zone;
            write("time_utc," + (rate == null ? "" : "timecode,") + SAMPLES_AXES + "\r\n");
        }

        @Override
        public void row(String rig, long timeNanos, double ax, double ay, double az, double gx, double gy, double gz) {
            row.setLength(0);
            appendTime(timeNanos);
            if (rate != null) {
                row.append(',').append(label(timeNanos));
            }
            row.append(',').append(ax).append(',').append(ay).append(',').append(az);
            row.append(',').append(gx).append(',').append(gy).append(',').append(gz);
            row.append("\r\n");
            write(row);
        }

        private void appendTime(long timeNanos) {
            long epochSecond = Math.floorDiv(timeNanos, NANOS_PER_SECOND);
            if (epochSecond != second) {
                second = epochSecond;
                secondText = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC) + "";
                // LocalDateTime prints no seconds when they are zero: always hh:mm:ss here.
                if (secondText.length() == 16) {
                    secondText += ":00";
                }
            }
            String nanos = Long.toString(Math.floorMod(timeNanos, NANOS_PER_SECOND));
            row.append(secondText).append('.');
            for (int i = nanos.length(); i < 9; i++) {
                row.append('0');
            }
            row.append(nanos).append('Z');
        }

        private String label(long utcNanos) {
            if (utcNanos < frameStart || utcNanos >= frameEnd) {
                DatedTimecode frame = DatedTimecode.atUtcNanos(utcNanos, zone, rate, dropFrame);
                frameStart = frame.utcNanos(zone);
                frameEnd = frame.plusFrames(1).utcNanos(zone);
                frameLabel = frame.timecode().toString();
                if (utcNanos < frameStart || utcNanos >= frameEnd) {
                    frameEnd = Long.MIN_VALUE; // a day's edge (DST, NDF overrun): no caching across it
                }
            }
            return frameLabel;
        }

        private void write(CharSequence text) {
            int length = text.length();
            if (size + length > out.length) {
                out = Arrays.copyOf(out, Math.max(size + length, out.length + (out.length >> 1)));
            }
            for (int i = 0; i < length; i++) {
                out[size++] = (byte) text.charAt(i); // ASCII only: times, labels, numbers
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(out, size);
        }
    }
}
