package dev.rigtel.collector.motion.export;

import static dev.rigtel.collector.motion.export.CutCandidateExports.colour;
import static dev.rigtel.collector.motion.export.CutCandidateExports.edlHeader;
import static dev.rigtel.collector.motion.export.CutCandidateExports.eventLine;
import static dev.rigtel.collector.motion.export.CutCandidateExports.rationalSeconds;
import static dev.rigtel.collector.motion.export.CutCandidateExports.resolveField;
import static dev.rigtel.collector.motion.export.CutCandidateExports.singleLine;
import static dev.rigtel.collector.motion.export.CutCandidateExports.xml;

import dev.rigtel.collector.csv.Csv;
import dev.rigtel.collector.motion.export.CutCandidateExports.Format;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes one camera clip's cut candidates as markers on that clip, in its source timecode, in the
 * formats of {@link CutCandidateExports} (DOMAIN.md section 5): the per-clip counterpart of the take
 * exports, with the same rules (one one-frame marker per candidate, whip pans red and head turns
 * yellow, names and comments on one line in line formats, a candidate outside the clip or at another
 * rate is refused) and the same column layouts. What differs:
 *
 * <ul>
 *   <li>The reel of EDL events is {@link ClipInfo#reel()}; the title is the clip's name.
 *   <li>The comment is the turn in words and figures followed by the clip's name ({@code head turn
 *       left 85deg 240dps GX010123}), so an Avid locator names its clip.
 *   <li>FCPXML puts the markers on the clip itself: an {@code <asset>} named after the clip, with
 *       the clip's file as media, its timecode start as {@code start} and its duration, and in an
 *       {@code <event>} (no project) an {@code <asset-clip>} of it holding the markers.
 *   <li>CSV has the columns {@value #CSV_HEADER}.
 * </ul>
 */
public final class ClipMarkerExports {

    private static final String CSV_HEADER = "clip,file,timecode,offset_s,type,direction,peak_dps,angle_deg";

    private ClipMarkerExports() {}

    /** Writes {@code candidates} in {@code format}; see the method of each format. */
    public static String export(Format format, ClipInfo clip, List<ClipCandidate> candidates) {
        Objects.requireNonNull(format, "format");
        switch (format) {
            case EDL:
                return cmx3600(clip, candidates);
            case RESOLVE_EDL:
                return resolveMarkers(clip, candidates);
            case FCPXML:
                return fcpxml(clip, candidates);
            case AVID_LOCATORS:
                return avidLocators(clip, candidates);
            case CSV:
                return csv(clip, candidates);
            default:
                throw new IllegalArgumentException("unknown format " + format);
        }
    }

    /**
     * A CMX3600 EDL as {@link CutCandidateExports#cmx3600}: one-frame events on the clip's reel, each
     * with {@code * FROM CLIP NAME:} and an Avid {@code * LOC:} comment.
     */
    public static String cmx3600(ClipInfo clip, List<ClipCandidate> candidates) {
        List<ClipCandidate> ordered = inClipOrder(clip, candidates);
        requireEdlEventCount(ordered);
        StringBuilder edl = edlHeader(clip.name(), clip.dropFrame());
        int event = 0;
        for (ClipCandidate c : ordered) {
            edl.append(eventLine(++event, clip.reel(), c.timecode())).append('\n');
            edl.append("* FROM CLIP NAME: ").append(singleLine(clip.fileName())).append('\n');
            edl.append(String.format(
                            Locale.ROOT,
                            "* LOC: %s %-7s %s",
                            c.timecode(),
                            colour(c.whipPan()).edlName,
                            singleLine(details(clip, c))))
                    .append('\n');
        }
        return edl.toString();
    }

    /**
     * A DaVinci Resolve marker EDL as {@link CutCandidateExports#resolveMarkers}: per candidate a
     * one-frame event on the clip's reel at its source timecode, then {@code <note> |C:<colour>
     * |M:<name> |D:1}.
     */
    public static String resolveMarkers(ClipInfo clip, List<ClipCandidate> candidates) {
        List<ClipCandidate> ordered = inClipOrder(clip, candidates);
        requireEdlEventCount(ordered);
        StringBuilder edl = edlHeader(clip.name(), clip.dropFrame());
        int event = 0;
        for (ClipCandidate c : ordered) {
            edl.append(eventLine(++event, clip.reel(), c.timecode())).append('\n');
            edl.append(resolveField(details(clip, c)))
                    .append(" |C:")
                    .append(colour(c.whipPan()).resolveName)
                    .append(" |M:")
                    .append(resolveField(markerName(c)))
                    .append(" |D:1\n");
        }
        return edl.toString();
    }

    /** FCPXML with the clip's file next to the FCPXML ({@code file:./<fileName>}) as media. */
    public static String fcpxml(ClipInfo clip, List<ClipCandidate> candidates) {
        return fcpxml(clip, candidates, URI.create("file:./" + encodePath(clip.fileName())));
    }

    /**
     * An FCPXML {@value CutCandidateExports#FCPXML_VERSION} document: {@code <resources>} with the
     * clip's {@code <format>} and an {@code <asset>} named after the clip whose {@code start} is the
     * clip's timecode start and {@code duration} its length, with {@code media} as its {@code
     * media-rep}; then {@code <library><event>} with one {@code <asset-clip>} of the asset holding one
     * {@code <marker start duration value note/>} per candidate. Times are rational seconds in lowest
     * terms; a marker's {@code start} is its frame in the clip's local time, which is its timecode.
     */
    public static String fcpxml(ClipInfo clip, List<ClipCandidate> candidates, URI media) {
        Objects.requireNonNull(media, "media");
        List<ClipCandidate> ordered = inClipOrder(clip, candidates);
        FrameRate rate = clip.rate();
        long startFrame = clip.start().frameNumber();
        String start = rationalSeconds(startFrame, rate);
        String duration = rationalSeconds(clip.durationFrames(), rate);
        String oneFrame = rationalSeconds(1, rate);
        String tcFormat = clip.dropFrame() ? "DF" : "NDF";
        String name = xml(clip.name());

        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<!DOCTYPE fcpxml>\n");
        x.append("<fcpxml version=\"")
                .append(CutCandidateExports.FCPXML_VERSION)
                .append("\">\n");
        x.append("    <resources>\n");
        x.append("        <format id=\"r1\"");
        String formatName = CutCandidateExports.fcpFormatName(rate);
        if (formatName != null) {
            x.append(" name=\"").append(formatName).append('"');
        }
        x.append(" frameDuration=\"").append(oneFrame).append("\" width=\"1920\" height=\"1080\"/>\n");
        x.append("        <asset id=\"r2\" name=\"")
                .append(name)
                .append("\" start=\"")
                .append(start);
        x.append("\" duration=\"").append(duration).append("\" hasVideo=\"1\" format=\"r1\">\n");
        x.append("            <media-rep kind=\"original-media\" src=\"")
                .append(xml(media.toString()))
                .append("\"/>\n");
        x.append("        </asset>\n");
        x.append("    </resources>\n");
        x.append("    <library>\n");
        x.append("        <event name=\"")
                .append(xml(clip.name() + " cut candidates"))
                .append("\">\n");
        x.append("            <asset-clip ref=\"r2\" name=\"").append(name);
        x.append("\" offset=\"").append(start).append("\" start=\"").append(start);
        x.append("\" duration=\"").append(duration).append("\" tcFormat=\"").append(tcFormat);
        x.append(ordered.isEmpty() ? "\"/>\n" : "\">\n");
        for (ClipCandidate c : ordered) {
            // From the clip's start, not c.timecode().frameNumber(): a clip may run past midnight.
            long frame = startFrame + clip.framesFromStart(c.timecode());
            x.append("                <marker start=\"").append(rationalSeconds(frame, rate));
            x.append("\" duration=\"").append(oneFrame);
            x.append("\" value=\"").append(xml(markerName(c)));
            x.append("\" note=\"").append(xml(details(clip, c))).append("\"/>\n");
        }
        if (!ordered.isEmpty()) {
            x.append("            </asset-clip>\n");
        }
        x.append("        </event>\n");
        x.append("    </library>\n");
        x.append("</fcpxml>\n");
        return x.toString();
    }

    /**
     * Avid Media Composer locator text as {@link CutCandidateExports#avidLocators}: tab-separated
     * {@code rigtel, timecode, V1, colour, comment, 1}, the comment ending with the clip's name.
     */
    public static String avidLocators(ClipInfo clip, List<ClipCandidate> candidates) {
        StringBuilder out = new StringBuilder();
        for (ClipCandidate c : inClipOrder(clip, candidates)) {
            out.append(CutCandidateExports.AVID_USER)
                    .append('\t')
                    .append(c.timecode())
                    .append('\t')
                    .append("V1")
                    .append('\t')
                    .append(colour(c.whipPan()).avidName)
                    .append('\t')
                    .append(singleLine(details(clip, c)))
                    .append('\t')
                    .append('1')
                    .append('\n');
        }
        return out.toString();
    }

    /**
     * RFC 4180 CSV as {@link CutCandidateExports#csv}: the header {@value #CSV_HEADER}, one record per
     * candidate, CRLF line ends; the clip and file names go through {@link Csv#text}, so one that
     * starts like a spreadsheet formula gets a leading {@code '}. {@code offset_s} is the onset in
     * seconds from the clip's first frame with 3 decimals.
     */
    public static String csv(ClipInfo clip, List<ClipCandidate> candidates) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append("\r\n");
        for (ClipCandidate c : inClipOrder(clip, candidates)) {
            out.append(Csv.text(clip.name()))
                    .append(',')
                    .append(Csv.text(clip.fileName()))
                    .append(',')
                    .append(c.timecode())
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.3f", c.offsetNanos() / 1e9))
                    .append(',')
                    .append(c.whipPan() ? "whip-pan" : "head-turn")
                    .append(',')
                    .append(c.direction())
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.1f", c.peakDps()))
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.1f", c.angleDeg()))
                    .append("\r\n");
        }
        return out.toString();
    }

    /** The marker name: {@code head turn left}, {@code whip pan right}. */
    static String markerName(ClipCandidate c) {
        return c.kind() + " " + c.direction();
    }

    /** The marker comment: {@code head turn left 85deg 240dps GX010123}. */
    static String details(ClipInfo clip, ClipCandidate c) {
        return String.format(
                Locale.ROOT,
                "%s %ddeg %ddps %s",
                markerName(c),
                Math.round(Math.abs(c.angleDeg())),
                Math.round(c.peakDps()),
                clip.name());
    }

    private static List<ClipCandidate> inClipOrder(ClipInfo clip, List<ClipCandidate> candidates) {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(candidates, "candidates");
        for (ClipCandidate c : candidates) {
            Objects.requireNonNull(c, "candidate");
            Timecode tc = c.timecode();
            if (tc.rate() != clip.rate() || tc.dropFrame() != clip.dropFrame()) {
                throw new IllegalArgumentException(
                        "candidate at " + tc + " counts at " + tc.rate().label()
                                + (tc.dropFrame() ? " DF" : "") + ", clip " + clip.name() + " at "
                                + clip.rate().label() + (clip.dropFrame() ? " DF" : ""));
            }
            if (!clip.contains(tc)) {
                throw new IllegalArgumentException("candidate at " + tc + " is outside clip " + clip.name() + " ("
                        + clip.start() + " to " + clip.end() + ")");
            }
        }
        List<ClipCandidate> ordered = new ArrayList<>(candidates);
        ordered.sort(Comparator.comparingLong((ClipCandidate c) -> clip.framesFromStart(c.timecode()))
                .thenComparingLong(ClipCandidate::offsetNanos));
        return ordered;
    }

    private static void requireEdlEventCount(List<ClipCandidate> candidates) {
        if (candidates.size() > CutCandidateExports.MAX_EDL_EVENTS) {
            throw new IllegalArgumentException("a CMX3600 EDL holds at most " + CutCandidateExports.MAX_EDL_EVENTS
                    + " events, got " + candidates.size() + " candidates");
        }
    }

    /** A file name as a relative URI path: anything but unreserved characters percent-encoded. */
    private static String encodePath(String fileName) {
        StringBuilder out = new StringBuilder();
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            int ch = b & 0xff;
            if ((ch >= 'A' && ch <= 'Z')
                    || (ch >= 'a' && ch <= 'z')
                    || (ch >= '0' && ch <= '9')
                    || "-._~".indexOf(ch) >= 0) {
                out.append((char) ch);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", ch));
            }
        }
        return out.toString();
    }
}
