package dev.rigtel.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The summary of an import as a plain-text table, a row per clip, its warnings below it. */
final class SummaryTable {

    private static final List<String> HEADER =
            List.of("CLIP", "CAMERA", "DURATION", "SAMPLES", "TIMECODE", "TAKE", "RIG", "WEARER", "OFFSET", "STATUS");

    private SummaryTable() {}

    static String of(List<ClipReport> reports) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ClipReport r : reports) {
            rows.add(List.of(
                    r.file(),
                    (r.camera() == null ? "?" : r.camera()) + (r.serial() == null ? "" : " " + r.serial()),
                    String.format(Locale.ROOT, "%.1f s", r.durationSeconds()),
                    r.streams().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")),
                    r.timecode() == null ? "-" : r.timecode(),
                    r.takes().isEmpty()
                            ? "-"
                            : r.takes().stream().map(ClipReport.Take::name).collect(Collectors.joining(", ")),
                    r.rig() == null ? "-" : r.rig(),
                    r.takes().stream()
                            .map(t -> t.wearer() == null ? "-" : t.wearer())
                            .distinct()
                            .collect(Collectors.joining(", "))
                            .transform(w -> w.isEmpty() ? "-" : w),
                    offset(r),
                    r.status() + (r.error() == null ? "" : ": " + r.error())));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            List<String> row = rows.get(k);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (k > 0) {
                for (String warning : reports.get(k - 1).warnings()) {
                    out.append("  warning: ").append(warning).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** An alignment: the offset, the peak's correlation and its ratio to the second-best peak. */
    private static String offset(ClipReport r) {
        if (r.confidence() == null) {
            return "-";
        }
        String ratio = Double.isInfinite(r.confidence().peakRatio())
                ? "inf"
                : String.format(Locale.ROOT, "%.1f", r.confidence().peakRatio());
        return String.format(
                Locale.ROOT,
                "%s (r %.2f, x%s)",
                r.offsetMillis() == null ? "?" : String.format(Locale.ROOT, "%+d ms", r.offsetMillis()),
                r.confidence().correlation(),
                ratio);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
