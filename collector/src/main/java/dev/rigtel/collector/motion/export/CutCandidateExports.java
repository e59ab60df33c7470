package dev.rigtel.collector.motion.export;

import dev.rigtel.collector.csv.Csv;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a take's cut candidates in the marker formats editors import (DOMAIN.md section 5). Each
 * method returns the whole file as a {@code String}; write it as UTF-8.
 *
 * <p>Common rules, so every format says the same thing:
 *
 * <ul>
 *   <li>Candidates are written in take order (frames from {@link TakeInfo#start()}, then onset), one
 *       one-frame marker each, at {@link CutCandidate#timecode()} (already rounded to the nearest
 *       frame).
 *   <li>Every candidate must count at the take's rate and drop-frame mode and lie within the take
 *       ({@link TakeInfo#contains}); otherwise the export throws rather than write a marker an editor
 *       would never find (FCP drops markers outside their clip silently). Filter with {@link
 *       TakeInfo#contains} first when that is what you want.
 *   <li>Whip pans are red markers, head turns yellow. The marker name is the turn in words ({@code
 *       whip pan right}); the comment adds the figures, rig and wearer ({@code head turn left 85deg
 *       240dps rig-03 Dana Brooks}).
 *   <li>Line-based formats cannot hold a line break or a tab inside a comment, so control
 *       characters in names become spaces there; the Resolve marker line also turns {@code |} into
 *       {@code /} because {@code |} separates its fields. FCPXML and CSV keep the text as it is,
 *       escaped; CSV also puts a {@code '} before text that starts like a spreadsheet formula.
 * </ul>
 */
public final class CutCandidateExports {

    /** Locator user in Avid locator text: who placed the marker. */
    static final String AVID_USER = "rigtel";

    /** A CMX3600 event number has three digits. */
    static final int MAX_EDL_EVENTS = 999;

    /** FCPXML version written: 1.9 is the oldest with {@code media-rep}, read by FCP 10.4.7+ and Resolve 17+. */
    static final String FCPXML_VERSION = "1.9";

    private static final String CSV_HEADER = "take,timecode,onset_utc,rig,wearer,type,direction,peak_dps,angle_deg";

    private CutCandidateExports() {}

    /** The export formats, with the file extension and MIME type to serve each under. */
    public enum Format {
        /** CMX3600 EDL with Avid {@code * LOC:} comments: {@link #cmx3600}. */
        EDL("edl", "text/plain"),
        /** DaVinci Resolve marker EDL: {@link #resolveMarkers}. */
        RESOLVE_EDL("edl", "text/plain"),
        /** Final Cut Pro XML 1.9 with markers: {@link #fcpxml(TakeInfo, List)}. */
        FCPXML("fcpxml", "application/xml"),
        /** Avid Media Composer locator text (Markers window, Import Markers): {@link #avidLocators}. */
        AVID_LOCATORS("txt", "text/plain"),
        /** RFC 4180 CSV for spreadsheets and scripts: {@link #csv}. */
        CSV("csv", "text/csv");

        private final String fileExtension;
        private final String mimeType;

        Format(String fileExtension, String mimeType) {
            this.fileExtension = fileExtension;
            this.mimeType = mimeType;
        }

        /** File extension without the dot, e.g. {@code edl}. */
        public String fileExtension() {
            return fileExtension;
        }

        /** MIME type without parameters; the content is UTF-8. */
        public String mimeType() {
            return mimeType;
        }
    }

    /** Writes {@code candidates} in {@code format}; see the method of each format. */
    public static String export(Format format, TakeInfo take, List<CutCandidate> candidates) {
        Objects.requireNonNull(format, "format");
        switch (format) {
            case EDL:
                return cmx3600(take, candidates);
            case RESOLVE_EDL:
                return resolveMarkers(take, candidates);
            case FCPXML:
                return fcpxml(take, candidates);
            case AVID_LOCATORS:
                return avidLocators(take, candidates);
            case CSV:
                return csv(take, candidates);
            default:
                throw new IllegalArgumentException("unknown format " + format);
        }
    }

    /**
     * A CMX3600 EDL: {@code TITLE:} and {@code FCM:} header, then per candidate a one-frame cut event
     * on reel {@link TakeInfo#reel()}, track V, source in/out = record in/out = the candidate's frame,
     * a {@code * FROM CLIP NAME:} comment and an Avid locator comment {@code * LOC: <tc> <COLOUR>
     * <text>} (colour padded to 7, as Media Composer writes it). Column widths follow CMX3600: event
     * 3, reel 8, track 5, transition 4, duration 3, each followed by a space (two after the event
     * number). Drop-frame timecodes have {@code ;} before the frames.
     *
     * <p>Sources: CMX 3600 EDL format (CMX Systems, "CMX 3600 Edit Decision List"), Avid Media
     * Composer EDL Manager locator comments; DOMAIN.md section 5.
     *
     * @throws IllegalArgumentException with more than {@value #MAX_EDL_EVENTS} candidates, or a
     *     candidate outside the take
     */
    public static String cmx3600(TakeInfo take, List<CutCandidate> candidates) {
        List<CutCandidate> ordered = inTakeOrder(take, candidates);
        requireEdlEventCount(ordered);
        StringBuilder edl = edlHeader(take);
        int event = 0;
        for (CutCandidate c : ordered) {
            edl.append(eventLine(++event, take, c.timecode())).append('\n');
            edl.append("* FROM CLIP NAME: ").append(singleLine(take.name())).append('\n');
            edl.append(String.format(
                            Locale.ROOT, "* LOC: %s %-7s %s", c.timecode(), colour(c).edlName, singleLine(details(c))))
                    .append('\n');
        }
        return edl.toString();
    }

    /**
     * A DaVinci Resolve marker EDL (Resolve: Timeline, Import, Timeline Markers from EDL): the CMX3600
     * header, then per candidate a one-frame event followed by {@code <note> |C:ResolveColorRed
     * |M:<name> |D:1} (D: duration in frames). Resolve places the markers at the record timecode,
     * which here is the source timecode: import into a timeline whose timecode matches the take's.
     *
     * <p>Source: the marker EDL DaVinci Resolve writes with Export, Timeline Markers to EDL; DOMAIN.md
     * section 5.
     *
     * @throws IllegalArgumentException with more than {@value #MAX_EDL_EVENTS} candidates, or a
     *     candidate outside the take
     */
    public static String resolveMarkers(TakeInfo take, List<CutCandidate> candidates) {
        List<CutCandidate> ordered = inTakeOrder(take, candidates);
        requireEdlEventCount(ordered);
        StringBuilder edl = edlHeader(take);
        int event = 0;
        for (CutCandidate c : ordered) {
            edl.append(eventLine(++event, take, c.timecode())).append('\n');
            edl.append(resolveField(details(c)))
                    .append(" |C:")
                    .append(colour(c).resolveName)
                    .append(" |M:")
                    .append(resolveField(markerName(c)))
                    .append(" |D:1\n");
        }
        return edl.toString();
    }

    /**
     * FCPXML with an offline media reference {@code file:./<reel>} that the editor relinks (File,
     * Relink Files); see {@link #fcpxml(TakeInfo, List, URI)}.
     */
    public static String fcpxml(TakeInfo take, List<CutCandidate> candidates) {
        return fcpxml(take, candidates, URI.create("file:./" + take.reel()));
    }

    /**
     * An FCPXML {@value #FCPXML_VERSION} document: {@code <resources>} with the take's {@code
     * <format>} (frameDuration from the exact rational rate, e.g. {@code 1001/30000s}; 1920x1080 is
     * assumed, only the rate matters for markers) and an {@code <asset>} for the take; then {@code
     * <library><event><project><sequence><spine>} with one {@code <asset-clip>} spanning the take
     * and one {@code <marker start duration value note/>} per candidate inside it. Times are rational
     * seconds in lowest terms ({@code frames * den / num}, e.g. {@code 137/5s}); the clip's local
     * time is the take's timecode, so a marker's {@code start} is its timecode's real time. The
     * sequence starts at the take's timecode ({@code tcStart}) and counts DF or NDF like the take.
     *
     * <p>Source: Apple, FCPXML Reference and the FCPXML 1.9 DTD (time values, {@code asset}
     * requires {@code media-rep}, {@code marker} attributes); DOMAIN.md section 5.
     *
     * @param media where the take's media file is; it becomes the asset's {@code media-rep src}
     * @throws IllegalArgumentException with a candidate outside the take
     */
    public static String fcpxml(TakeInfo take, List<CutCandidate> candidates, URI media) {
        Objects.requireNonNull(media, "media");
        List<CutCandidate> ordered = inTakeOrder(take, candidates);
        FrameRate rate = take.rate();
        long startFrame = take.start().frameNumber();
        String start = rationalSeconds(startFrame, rate);
        String duration = rationalSeconds(take.durationFrames(), rate);
        String oneFrame = rationalSeconds(1, rate);
        String tcFormat = take.dropFrame() ? "DF" : "NDF";
        String name = xml(take.name());

        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<!DOCTYPE fcpxml>\n");
        x.append("<fcpxml version=\"").append(FCPXML_VERSION).append("\">\n");
        x.append("    <resources>\n");
        x.append("        <format id=\"r1\"");
        String formatName = fcpFormatName(rate);
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
        x.append("        <event name=\"").append(name).append("\">\n");
        x.append("            <project name=\"")
                .append(xml(take.name() + " cut candidates"))
                .append("\">\n");
        x.append("                <sequence format=\"r1\" duration=\"").append(duration);
        x.append("\" tcStart=\"")
                .append(start)
                .append("\" tcFormat=\"")
                .append(tcFormat)
                .append("\">\n");
        x.append("                    <spine>\n");
        x.append("                        <asset-clip ref=\"r2\" name=\"").append(name);
        x.append("\" offset=\"").append(start).append("\" start=\"").append(start);
        x.append("\" duration=\"").append(duration).append("\" tcFormat=\"").append(tcFormat);
        x.append(ordered.isEmpty() ? "\"/>\n" : "\">\n");
        for (CutCandidate c : ordered) {
            // Counted from the take start, not from c.timecode().frameNumber(): a take that runs
            // past midnight keeps its markers after the clip's start.
            long frame = startFrame + take.framesFromStart(c.timecode());
            x.append("                            <marker start=\"").append(rationalSeconds(frame, rate));
            x.append("\" duration=\"").append(oneFrame);
            x.append("\" value=\"").append(xml(markerName(c)));
            x.append("\" note=\"").append(xml(details(c))).append("\"/>\n");
        }
        if (!ordered.isEmpty()) {
            x.append("                        </asset-clip>\n");
        }
        x.append("                    </spine>\n");
        x.append("                </sequence>\n");
        x.append("            </project>\n");
        x.append("        </event>\n");
        x.append("    </library>\n");
        x.append("</fcpxml>\n");
        return x.toString();
    }

    /**
     * Avid Media Composer locator text (Markers window, Import Markers): one line per candidate,
     * tab-separated {@code user, timecode, track, colour, comment, duration}: {@code
     * rigtel<TAB>01:02:03:04<TAB>V1<TAB>red<TAB>head turn left ...<TAB>1}. Colours are the
     * lower-case names Media Composer uses ({@code red}, {@code yellow}); drop-frame timecodes are
     * written with {@code ;} as Avid writes them. No header line; no candidates gives an empty file.
     *
     * <p>Source: the marker list Avid Media Composer exports from its Markers window (the same
     * layout it imports); Avid Log Specifications for DF timecode; DOMAIN.md section 5.
     *
     * @throws IllegalArgumentException with a candidate outside the take
     */
    public static String avidLocators(TakeInfo take, List<CutCandidate> candidates) {
        StringBuilder out = new StringBuilder();
        for (CutCandidate c : inTakeOrder(take, candidates)) {
            out.append(AVID_USER)
                    .append('\t')
                    .append(c.timecode())
                    .append('\t')
                    .append("V1")
                    .append('\t')
                    .append(colour(c).avidName)
                    .append('\t')
                    .append(singleLine(details(c)))
                    .append('\t')
                    .append('1')
                    .append('\n');
        }
        return out.toString();
    }

    /**
     * RFC 4180 CSV: the header {@value #CSV_HEADER}, then one record per candidate; CRLF line ends;
     * fields holding a comma, a double quote, CR or LF are quoted, quotes doubled. Text from slates
     * and people (take, rig, wearer) that starts like a formula ({@code = + - @}) gets a leading
     * {@code '} ({@link Csv#text}), so a spreadsheet shows it instead of running it. {@code onset_utc}
     * is ISO 8601 with nanoseconds ({@link Instant#toString()}), {@code type} is {@code head-turn}
     * or {@code whip-pan}, numbers have one decimal and a dot. When any candidate is from a camera
     * ({@link CutCandidate#camera()}) a last column {@code source} says {@code camera} or {@code rig}.
     *
     * <p>Source: RFC 4180, "Common Format and MIME Type for Comma-Separated Values (CSV) Files".
     *
     * @throws IllegalArgumentException with a candidate outside the take
     */
    public static String csv(TakeInfo take, List<CutCandidate> candidates) {
        // The source column only where a candidate came from a camera: a take without imported clips
        // exports as it always did.
        boolean sources = candidates.stream().anyMatch(CutCandidate::camera);
        StringBuilder out = new StringBuilder(CSV_HEADER);
        if (sources) {
            out.append(",source");
        }
        out.append("\r\n");
        for (CutCandidate c : inTakeOrder(take, candidates)) {
            long nanos = c.onsetNanos();
            Instant onset =
                    Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
            out.append(Csv.text(take.name()))
                    .append(',')
                    .append(c.timecode())
                    .append(',')
                    .append(onset)
                    .append(',')
                    .append(Csv.text(c.rig()))
                    .append(',')
                    .append(Csv.text(c.wearer()))
                    .append(',')
                    .append(c.whipPan() ? "whip-pan" : "head-turn")
                    .append(',')
                    .append(c.direction())
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.1f", c.peakDps()))
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.1f", c.angleDeg()));
            if (sources) {
                out.append(',').append(c.camera() ? "camera" : "rig");
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    /**
     * Real time of {@code frames} frames as FCPXML rational seconds in lowest terms: {@code frames *
     * den / num}, e.g. 685 frames at 25 fps is {@code 137/5s}, 30 frames at 29.97 {@code
     * 1001/1000s}, 0 frames {@code 0s}.
     */
    static String rationalSeconds(long frames, FrameRate rate) {
        long numerator = Math.multiplyExact(frames, rate.denominator());
        long denominator = rate.numerator();
        long gcd = gcd(Math.abs(numerator), denominator);
        numerator /= gcd;
        denominator /= gcd;
        return denominator == 1 ? numerator + "s" : numerator + "/" + denominator + "s";
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a == 0 ? 1 : a;
    }

    /** FCP's 1080p format names; 48 fps has none, FCP then builds a custom format from the rate. */
    static String fcpFormatName(FrameRate rate) {
        switch (rate) {
            case FPS_23_976:
                return "FFVideoFormat1080p2398";
            case FPS_24:
                return "FFVideoFormat1080p24";
            case FPS_25:
                return "FFVideoFormat1080p25";
            case FPS_29_97:
                return "FFVideoFormat1080p2997";
            case FPS_30:
                return "FFVideoFormat1080p30";
            case FPS_50:
                return "FFVideoFormat1080p50";
            case FPS_59_94:
                return "FFVideoFormat1080p5994";
            case FPS_60:
                return "FFVideoFormat1080p60";
            default:
                return null;
        }
    }

    private static List<CutCandidate> inTakeOrder(TakeInfo take, List<CutCandidate> candidates) {
        Objects.requireNonNull(take, "take");
        Objects.requireNonNull(candidates, "candidates");
        for (CutCandidate c : candidates) {
            Objects.requireNonNull(c, "candidate");
            Timecode tc = c.timecode();
            if (tc.rate() != take.rate() || tc.dropFrame() != take.dropFrame()) {
                throw new IllegalArgumentException(
                        "candidate at " + tc + " counts at " + tc.rate().label()
                                + (tc.dropFrame() ? " DF" : "") + ", take " + take.name() + " at "
                                + take.rate().label()
                                + (take.dropFrame() ? " DF" : ""));
            }
            if (!take.contains(tc)) {
                throw new IllegalArgumentException("candidate at " + tc + " is outside take " + take.name() + " ("
                        + take.start() + " to " + take.end() + ")");
            }
        }
        List<CutCandidate> ordered = new ArrayList<>(candidates);
        ordered.sort(Comparator.comparingLong((CutCandidate c) -> take.framesFromStart(c.timecode()))
                .thenComparingLong(CutCandidate::onsetNanos));
        return ordered;
    }

    private static void requireEdlEventCount(List<CutCandidate> candidates) {
        if (candidates.size() > MAX_EDL_EVENTS) {
            throw new IllegalArgumentException("a CMX3600 EDL holds at most " + MAX_EDL_EVENTS + " events, got "
                    + candidates.size() + " candidates");
        }
    }

    private static StringBuilder edlHeader(TakeInfo take) {
        return edlHeader(take.name(), take.dropFrame());
    }

    /** {@code TITLE: <name> cut candidates}, the {@code FCM:} line and an empty line. */
    static StringBuilder edlHeader(String name, boolean dropFrame) {
        return new StringBuilder()
                .append("TITLE: ")
                .append(singleLine(name))
                .append(" cut candidates\n")
                .append(dropFrame ? "FCM: DROP FRAME\n" : "FCM: NON-DROP FRAME\n")
                .append('\n');
    }

    private static String eventLine(int event, TakeInfo take, Timecode in) {
        return eventLine(event, take.reel(), in);
    }

    /** {@code 001  A001     V     C        <src in> <src out> <rec in> <rec out>}, one frame long. */
    static String eventLine(int event, String reel, Timecode in) {
        Timecode out = in.plusFrames(1);
        return String.format(
                Locale.ROOT, "%03d  %-8s %-5s %-4s %3s %s %s %s %s", event, reel, "V", "C", "", in, out, in, out);
    }

    /** The marker name: {@code head turn left}, {@code whip pan right}. */
    static String markerName(CutCandidate c) {
        return c.kind() + " " + c.direction();
    }

    /**
     * The marker comment: {@code head turn left 85deg 240dps rig-03 Dana Brooks}, and {@code camera}
     * after it for a turn from the camera's own gyro.
     */
    static String details(CutCandidate c) {
        String text = String.format(
                Locale.ROOT,
                "%s %ddeg %ddps %s",
                markerName(c),
                Math.round(Math.abs(c.angleDeg())),
                Math.round(c.peakDps()),
                c.rig());
        text = c.wearer().isBlank() ? text : text + " " + c.wearer();
        return c.camera() ? text + " camera" : text;
    }

    private static Colour colour(CutCandidate c) {
        return colour(c.whipPan());
    }

    /** Whip pans red, head turns yellow. */
    static Colour colour(boolean whipPan) {
        return whipPan ? Colour.RED : Colour.YELLOW;
    }

    /** Marker colours, as each editor names them. */
    enum Colour {
        RED("RED", "red", "ResolveColorRed"),
        YELLOW("YELLOW", "yellow", "ResolveColorYellow");

        final String edlName;
        final String avidName;
        final String resolveName;

        Colour(String edlName, String avidName, String resolveName) {
            this.edlName = edlName;
            this.avidName = avidName;
            this.resolveName = resolveName;
        }
    }

    /** Control characters (line breaks, tabs) become spaces: one record per line in line formats. */
    static String singleLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return out.toString();
    }

    /** A Resolve marker field: one line, and no {@code |}, which starts the next field. */
    static String resolveField(String text) {
        return singleLine(text).replace('|', '/');
    }

    /**
     * Escapes text for an XML 1.0 attribute value: markup characters as entities, tab and line
     * breaks as character references (or attribute normalisation would turn them into spaces), and
     * characters XML 1.0 cannot hold (other C0 controls, unpaired surrogates, U+FFFE/U+FFFF) as
     * U+FFFD.
     */
    static String xml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&apos;");
                    break;
                case '\t':
                    out.append("&#9;");
                    break;
                case '\n':
                    out.append("&#10;");
                    break;
                case '\r':
                    out.append("&#13;");
                    break;
                default:
                    boolean allowed = cp >= 0x20
                            && !(cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)
                            && cp != 0xFFFE
                            && cp != 0xFFFF;
                    out.appendCodePoint(allowed ? cp : 0xFFFD);
            }
        });
        return out.toString();
    }
}
