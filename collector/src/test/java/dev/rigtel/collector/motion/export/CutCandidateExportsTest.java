package dev.rigtel.collector.motion.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.motion.export.CutCandidateExports.Format;
import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class CutCandidateExportsTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final LocalDate SHOOTING_DAY = LocalDate.of(2024, 6, 14);
    private static final String AWKWARD_WEARER = "O'Neil, \"Zoë\"";

    // ---- fixtures ----

    private static TakeInfo take(FrameRate rate, boolean df, String start, String end) {
        return new TakeInfo("42A-3", "A001", rate, df, Timecode.parse(start, rate, df), Timecode.parse(end, rate, df));
    }

    /** Onset {@code fraction} of a frame after the start of the frame labelled {@code label}. */
    private static long onset(String label, FrameRate rate, boolean df, double fraction) {
        long frameStart = new DatedTimecode(SHOOTING_DAY, Timecode.parse(label, rate, df)).utcNanos(LONDON);
        return frameStart + Math.round(fraction * rate.frameNanos());
    }

    private static CutCandidate turn(
            String label, FrameRate rate, boolean df, String direction, boolean whipPan, String wearer) {
        return CutCandidate.at(
                onset(label, rate, df, 0.25),
                LONDON,
                rate,
                df,
                direction,
                whipPan ? 412.4 : 240.2,
                whipPan ? -120.3 : 85.4,
                whipPan,
                "rig-03",
                wearer);
    }

    private static Timecode tc(String label, FrameRate rate, boolean df) {
        return Timecode.parse(label, rate, df);
    }

    // ---- a small CMX3600 reader ----

    record EdlEvent(
            int number,
            String reel,
            String track,
            String transition,
            Timecode srcIn,
            Timecode srcOut,
            Timecode recIn,
            Timecode recOut,
            List<String> comments) {}

    record Loc(Timecode timecode, String colour, String text) {}

    record Edl(String title, boolean dropFrame, List<EdlEvent> events) {

        List<Loc> locators(FrameRate rate) {
            List<Loc> locs = new ArrayList<>();
            for (EdlEvent e : events) {
                for (String comment : e.comments()) {
                    Matcher m = LOC.matcher(comment);
                    if (m.matches()) {
                        locs.add(new Loc(Timecode.parse(m.group(1), rate, dropFrame), m.group(2), m.group(3)));
                    }
                }
            }
            return locs;
        }
    }

    /** CMX3600 fixed columns: event 3, 2 spaces, reel 8, track 5, transition 4, duration 3, 4 timecodes. */
    private static final Pattern EVENT =
            Pattern.compile("(\\d{3})  (.{8}) (.{5}) (.{4}) (.{3}) (\\S{11}) (\\S{11}) (\\S{11}) (\\S{11})");

    private static final Pattern LOC = Pattern.compile("\\* LOC: (\\S{11}) ([A-Z]+) +(.*)");

    private static Edl parseEdl(String text, FrameRate rate) {
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).startsWith("TITLE: ");
        String title = lines.get(0).substring("TITLE: ".length());
        boolean df;
        if (lines.get(1).equals("FCM: DROP FRAME")) {
            df = true;
        } else {
            assertThat(lines.get(1)).isEqualTo("FCM: NON-DROP FRAME");
            df = false;
        }
        List<EdlEvent> events = new ArrayList<>();
        List<String> comments = null;
        for (String line : lines.subList(2, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = EVENT.matcher(line);
            if (m.matches()) {
                comments = new ArrayList<>();
                events.add(new EdlEvent(
                        Integer.parseInt(m.group(1)),
                        m.group(2).strip(),
                        m.group(3).strip(),
                        m.group(4).strip(),
                        Timecode.parse(m.group(6), rate, df),
                        Timecode.parse(m.group(7), rate, df),
                        Timecode.parse(m.group(8), rate, df),
                        Timecode.parse(m.group(9), rate, df),
                        comments));
            } else {
                assertThat(comments).as("line before any event: %s", line).isNotNull();
                comments.add(line);
            }
        }
        return new Edl(title, df, events);
    }

    private static void assertOneFrameEvents(Edl edl, TakeInfo take, List<Timecode> expected) {
        assertThat(edl.events()).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            EdlEvent e = edl.events().get(i);
            Timecode at = expected.get(i);
            assertThat(e.number()).isEqualTo(i + 1);
            assertThat(e.reel()).isEqualTo(take.reel());
            assertThat(e.track()).isEqualTo("V");
            assertThat(e.transition()).isEqualTo("C");
            assertThat(e.srcIn()).isEqualTo(at);
            assertThat(e.srcIn().framesUntil(e.srcOut())).isEqualTo(1);
            assertThat(e.recIn()).isEqualTo(e.srcIn());
            assertThat(e.recOut()).isEqualTo(e.srcOut());
        }
    }

    // ---- CMX3600 ----

    @Test
    void cmx3600At25FpsHasOneFrameEventsWithLocatorsInTakeOrder() {
        FrameRate rate = FrameRate.FPS_25;
        TakeInfo take = take(rate, false, "10:00:00:00", "10:05:00:00");
        List<CutCandidate> candidates = List.of(
                turn("10:02:30:24", rate, false, "right", true, "Sam Okafor"),
                turn("10:00:27:10", rate, false, "left", false, "Dana Brooks"));

        String text = CutCandidateExports.cmx3600(take, candidates);
        Edl edl = parseEdl(text, rate);

        assertThat(edl.title()).isEqualTo("42A-3 cut candidates");
        assertThat(edl.dropFrame()).isFalse();
        assertOneFrameEvents(edl, take, List.of(tc("10:00:27:10", rate, false), tc("10:02:30:24", rate, false)));
        assertThat(edl.events().get(1).srcOut()).isEqualTo(tc("10:02:31:00", rate, false));
        assertThat(edl.events().get(0).comments()).contains("* FROM CLIP NAME: 42A-3");
        assertThat(edl.locators(rate))
                .containsExactly(
                        new Loc(
                                tc("10:00:27:10", rate, false),
                                "YELLOW",
                                "head turn left 85deg 240dps rig-03 Dana Brooks"),
                        new Loc(
                                tc("10:02:30:24", rate, false),
                                "RED",
                                "whip pan right 120deg 412dps rig-03 Sam Okafor"));
        assertThat(text).contains("001  A001     V     C        10:00:27:10 10:00:27:11 10:00:27:10 10:00:27:11\n");
        assertThat(text).contains("* LOC: 10:00:27:10 YELLOW  head turn left");
    }

    @Test
    void cmx3600At2997DropFrameCountsAcrossTheMinuteBoundary() {
        FrameRate rate = FrameRate.FPS_29_97;
        TakeInfo take = take(rate, true, "10:00:50;00", "10:10:30;00");
        List<CutCandidate> candidates = List.of(
                turn("10:00:59;29", rate, true, "left", false, "Dana Brooks"),
                turn("10:01:00;02", rate, true, "right", true, "Dana Brooks"),
                turn("10:10:00;00", rate, true, "left", false, "Dana Brooks"));

        String text = CutCandidateExports.cmx3600(take, candidates);
        Edl edl = parseEdl(text, rate);

        assertThat(edl.dropFrame()).isTrue();
        assertOneFrameEvents(
                edl,
                take,
                List.of(tc("10:00:59;29", rate, true), tc("10:01:00;02", rate, true), tc("10:10:00;00", rate, true)));
        // 10:00:59;29 + 1 frame: labels ;00 and ;01 of minute 1 do not exist (SMPTE ST 12-1).
        assertThat(edl.events().get(0).srcOut()).isEqualTo(tc("10:01:00;02", rate, true));
        assertThat(edl.events().get(1).srcOut()).isEqualTo(tc("10:01:00;03", rate, true));
        assertThat(edl.events().get(2).srcOut()).isEqualTo(tc("10:10:00;01", rate, true));
        assertThat(edl.locators(rate))
                .extracting(Loc::timecode)
                .containsExactly(
                        tc("10:00:59;29", rate, true), tc("10:01:00;02", rate, true), tc("10:10:00;00", rate, true));
        assertThat(text).contains("10:01:00;02 10:01:00;03 10:01:00;02 10:01:00;03");
    }

    @Test
    void cmx3600At23976IsNonDropWith24FrameCounting() {
        FrameRate rate = FrameRate.FPS_23_976;
        TakeInfo take = take(rate, false, "14:20:00:00", "14:27:00:00");
        List<CutCandidate> candidates = List.of(
                turn("14:20:01:23", rate, false, "left", false, "Dana Brooks"),
                turn("14:26:59:23", rate, false, "right", false, "Dana Brooks"));

        Edl edl = parseEdl(CutCandidateExports.cmx3600(take, candidates), rate);

        assertThat(edl.dropFrame()).isFalse();
        assertOneFrameEvents(edl, take, List.of(tc("14:20:01:23", rate, false), tc("14:26:59:23", rate, false)));
        assertThat(edl.events().get(0).srcOut()).isEqualTo(tc("14:20:02:00", rate, false));
        assertThat(edl.locators(rate)).hasSize(2);
    }

    @Test
    void edlKeepsCommentsOnOneLine() {
        FrameRate rate = FrameRate.FPS_25;
        TakeInfo take = take(rate, false, "10:00:00:00", "10:01:00:00");
        String text = CutCandidateExports.cmx3600(
                take, List.of(turn("10:00:10:00", rate, false, "left", false, "Dana\nBrooks\t")));

        Edl edl = parseEdl(text, rate);
        assertThat(edl.locators(rate))
                .singleElement()
                .extracting(Loc::text)
                .asString()
                .endsWith("Dana Brooks ");
    }

    @Test
    void edlRefusesMoreEventsThanThreeDigitsNumber() {
        FrameRate rate = FrameRate.FPS_25;
        TakeInfo take = take(rate, false, "10:00:00:00", "11:00:00:00");
        List<CutCandidate> many = new ArrayList<>();
        Timecode at = take.start();
        for (int i = 0; i < 1000; i++) {
            many.add(new CutCandidate(i, at, "left", 200, 80, false, "rig-03", "Dana Brooks"));
            at = at.plusFrames(25);
        }
        assertThatThrownBy(() -> CutCandidateExports.cmx3600(take, many))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("999");
        assertThat(parseEdl(CutCandidateExports.cmx3600(take, many.subList(0, 999)), rate)
                        .events())
                .hasSize(999);
    }

    // ---- Resolve marker EDL ----

    private static final Pattern RESOLVE_MARKER = Pattern.compile("(.*) \\|C:(\\S+) \\|M:(.*) \\|D:(\\d+)");

    record ResolveMarker(Timecode at, String note, String colour, String name, int durationFrames) {}

    private static List<ResolveMarker> parseResolve(String text, FrameRate rate) {
        Edl edl = parseEdl(text, rate);
        List<ResolveMarker> markers = new ArrayList<>();
        for (EdlEvent e : edl.events()) {
            assertThat(e.srcIn().framesUntil(e.srcOut())).isEqualTo(1);
            assertThat(e.comments()).hasSize(1);
            Matcher m = RESOLVE_MARKER.matcher(e.comments().get(0));
            assertThat(m.matches()).as(e.comments().get(0)).isTrue();
            markers.add(new ResolveMarker(e.recIn(), m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4))));
        }
        return markers;
    }

    @Test
    void resolveMarkersParseBackWithNamesAndColours() {
        FrameRate rate = FrameRate.FPS_29_97;
        TakeInfo take = take(rate, true, "10:00:50;00", "10:03:00;02");
        List<CutCandidate> candidates = List.of(
                turn("10:01:00;02", rate, true, "right", true, "Sam | Okafor"),
                turn("10:00:55;10", rate, true, "left", false, AWKWARD_WEARER));

        String text = CutCandidateExports.resolveMarkers(take, candidates);
        List<ResolveMarker> markers = parseResolve(text, rate);

        assertThat(markers)
                .containsExactly(
                        new ResolveMarker(
                                tc("10:00:55;10", rate, true),
                                "head turn left 85deg 240dps rig-03 " + AWKWARD_WEARER,
                                "ResolveColorYellow",
                                "head turn left",
                                1),
                        new ResolveMarker(
                                tc("10:01:00;02", rate, true),
                                "whip pan right 120deg 412dps rig-03 Sam / Okafor",
                                "ResolveColorRed",
                                "whip pan right",
                                1));
    }

    // ---- FCPXML ----

    private static Document parseXml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    /** An FCPXML time ({@code 137/5s}, {@code 5s}) as {numerator, denominator}. */
    private static BigInteger[] rational(String time) {
        assertThat(time).matches("-?\\d+(/\\d+)?s");
        String body = time.substring(0, time.length() - 1);
        int slash = body.indexOf('/');
        return slash < 0
                ? new BigInteger[] {new BigInteger(body), BigInteger.ONE}
                : new BigInteger[] {new BigInteger(body.substring(0, slash)), new BigInteger(body.substring(slash + 1))
                };
    }

    private static int compare(String a, String b) {
        BigInteger[] x = rational(a);
        BigInteger[] y = rational(b);
        return x[0].multiply(y[1]).compareTo(y[0].multiply(x[1]));
    }

    private static String plus(String a, String b) {
        BigInteger[] x = rational(a);
        BigInteger[] y = rational(b);
        return x[0].multiply(y[1]).add(y[0].multiply(x[1])) + "/" + x[1].multiply(y[1]) + "s";
    }

    @Test
    void fcpxmlIsWellFormedWithExactRationalMarkersInsideTheClip() throws Exception {
        FrameRate rate = FrameRate.FPS_29_97;
        TakeInfo take = take(rate, true, "10:00:50;00", "10:03:00;02");
        List<CutCandidate> candidates = List.of(
                turn("10:01:00;02", rate, true, "right", true, "Sam <stunts> & co"),
                turn("10:00:50;00", rate, true, "left", false, AWKWARD_WEARER),
                turn("10:02:59;29", rate, true, "left", false, "Dana Brooks"));

        Document doc = parseXml(CutCandidateExports.fcpxml(take, candidates));

        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("fcpxml");
        assertThat(root.getAttribute("version")).isIn("1.9", "1.10");
        Element format = elements(doc, "format").get(0);
        assertThat(format.getAttribute("frameDuration")).isEqualTo("1001/30000s");
        assertThat(format.getAttribute("name")).isEqualTo("FFVideoFormat1080p2997");
        Element asset = elements(doc, "asset").get(0);
        assertThat(asset.getAttribute("format")).isEqualTo(format.getAttribute("id"));
        assertThat(elements(doc, "media-rep")).singleElement().satisfies(r -> assertThat(r.getAttribute("src"))
                .isNotEmpty());
        assertThat(elements(doc, "sequence").get(0).getAttribute("tcFormat")).isEqualTo("DF");

        Element clip = elements(doc, "asset-clip").get(0);
        assertThat(clip.getParentNode().getNodeName()).isEqualTo("spine");
        assertThat(clip.getAttribute("ref")).isEqualTo(asset.getAttribute("id"));
        // 10:00:50;00 at 29.97 DF is frame 36050 * 30 - 2 * 540 = 1080420; * 1001 / 30000 s = 18025007/500 s.
        assertThat(clip.getAttribute("start")).isEqualTo("18025007/500s");
        // 10:00:50;00 to 10:03:00;02: 130 s and 2 frames of labels less 2 dropped at each of minutes 1, 2, 3.
        assertThat(clip.getAttribute("duration")).isEqualTo(CutCandidateExports.rationalSeconds(3896, rate));
        assertThat(take.durationFrames()).isEqualTo(130 * 30 + 2 - 6);
        String clipEnd = plus(clip.getAttribute("start"), clip.getAttribute("duration"));

        List<Element> markers = elements(doc, "marker");
        assertThat(markers).hasSize(3).allSatisfy(m -> {
            assertThat(m.getParentNode()).isSameAs(clip);
            assertThat(m.getAttribute("duration")).isEqualTo("1001/30000s");
            assertThat(compare(m.getAttribute("start"), clip.getAttribute("start")))
                    .isGreaterThanOrEqualTo(0);
            assertThat(compare(plus(m.getAttribute("start"), m.getAttribute("duration")), clipEnd))
                    .isLessThanOrEqualTo(0);
        });
        List<String> expectedStarts = new ArrayList<>();
        for (String label : List.of("10:00:50;00", "10:01:00;02", "10:02:59;29")) {
            long fn = tc(label, rate, true).frameNumber();
            BigInteger num = BigInteger.valueOf(fn * 1001);
            BigInteger den = BigInteger.valueOf(30000);
            BigInteger g = num.gcd(den);
            expectedStarts.add(num.divide(g) + "/" + den.divide(g) + "s");
        }
        assertThat(markers).extracting(m -> m.getAttribute("start")).containsExactlyElementsOf(expectedStarts);
        assertThat(markers)
                .extracting(m -> m.getAttribute("value"))
                .containsExactly("head turn left", "whip pan right", "head turn left");
        assertThat(markers.get(0).getAttribute("note"))
                .isEqualTo("head turn left 85deg 240dps rig-03 " + AWKWARD_WEARER);
        assertThat(markers.get(1).getAttribute("note")).endsWith("Sam <stunts> & co");
    }

    @Test
    void fcpxmlTimesAreRationalSecondsInLowestTerms() throws Exception {
        FrameRate rate = FrameRate.FPS_25;
        TakeInfo take = take(rate, false, "00:00:20:00", "00:01:00:00");
        Document doc = parseXml(CutCandidateExports.fcpxml(
                take, List.of(turn("00:00:27:10", rate, false, "left", false, "Dana Brooks"))));

        assertThat(elements(doc, "format").get(0).getAttribute("frameDuration")).isEqualTo("1/25s");
        assertThat(elements(doc, "asset-clip").get(0).getAttribute("start")).isEqualTo("20s");
        assertThat(elements(doc, "asset-clip").get(0).getAttribute("duration")).isEqualTo("40s");
        assertThat(elements(doc, "marker").get(0).getAttribute("start")).isEqualTo("137/5s");

        assertThat(CutCandidateExports.rationalSeconds(0, rate)).isEqualTo("0s");
        assertThat(CutCandidateExports.rationalSeconds(30, FrameRate.FPS_29_97)).isEqualTo("1001/1000s");
        assertThat(CutCandidateExports.rationalSeconds(1, FrameRate.FPS_23_976)).isEqualTo("1001/24000s");
    }

    @Test
    void fcpxmlMarkersStayInsideATakeThatRunsPastMidnight() throws Exception {
        FrameRate rate = FrameRate.FPS_25;
        TakeInfo take = take(rate, false, "23:59:00:00", "00:01:00:00");
        Document doc = parseXml(CutCandidateExports.fcpxml(
                take,
                List.of(new CutCandidate(0, tc("00:00:10:00", rate, false), "left", 200, 80, false, "rig-03", ""))));

        Element clip = elements(doc, "asset-clip").get(0);
        assertThat(clip.getAttribute("duration")).isEqualTo("120s");
        // 23:59:00:00 is 86340 s; ten seconds after midnight is 86410 s on the clip's time line.
        assertThat(elements(doc, "marker").get(0).getAttribute("start")).isEqualTo("86410s");
    }

    // ---- Avid locators ----

    @Test
    void avidLocatorLinesHaveSixTabSeparatedFields() {
        FrameRate rate = FrameRate.FPS_23_976;
        TakeInfo take = take(rate, false, "14:20:00:00", "14:27:00:00");
        String text = CutCandidateExports.avidLocators(
                take,
                List.of(
                        turn("14:21:00:05", rate, false, "right", true, "Sam\tOkafor"),
                        turn("14:20:01:23", rate, false, "left", false, AWKWARD_WEARER)));

        List<String[]> lines = text.lines().map(l -> l.split("\t", -1)).toList();
        assertThat(lines).hasSize(2).allSatisfy(f -> {
            assertThat(f).hasSize(6);
            assertThat(f[0]).isEqualTo("rigtel");
            assertThat(f[2]).isEqualTo("V1");
            assertThat(f[5]).isEqualTo("1");
        });
        assertThat(lines.get(0)[1]).isEqualTo("14:20:01:23");
        assertThat(lines.get(0)[3]).isEqualTo("yellow");
        assertThat(lines.get(0)[4]).isEqualTo("head turn left 85deg 240dps rig-03 " + AWKWARD_WEARER);
        assertThat(lines.get(1)[1]).isEqualTo("14:21:00:05");
        assertThat(lines.get(1)[3]).isEqualTo("red");
        assertThat(lines.get(1)[4]).isEqualTo("whip pan right 120deg 412dps rig-03 Sam Okafor");
    }

    @Test
    void avidLocatorsWriteDropFrameWithSemicolons() {
        FrameRate rate = FrameRate.FPS_29_97;
        TakeInfo take = take(rate, true, "10:00:50;00", "10:03:00;02");
        String text = CutCandidateExports.avidLocators(
                take, List.of(turn("10:01:00;02", rate, true, "left", false, "Dana Brooks")));
        assertThat(text.split("\t")[1]).isEqualTo("10:01:00;02");
    }

    // ---- CSV ----

    /** RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                assertThat(field).as("quote inside an unquoted field").isEmpty();
                quoted = true;
            } else if (ch == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (ch == '\r') {
                assertThat(text.charAt(i + 1)).as("CR without LF").isEqualTo('\n');
            } else if (ch == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else {
                field.append(ch);
            }
        }
        assertThat(quoted).as("unterminated quote").isFalse();
        assertThat(record).as("last record ends with CRLF").isEmpty();
        assertThat(field).isEmpty();
        return records;
    }

    @Test
    void csvParsesBackWithQuotedNames() {
        FrameRate rate = FrameRate.FPS_29_97;
        TakeInfo take = take(rate, true, "10:00:50;00", "10:03:00;02");
        CutCandidate awkward = turn("10:00:55;10", rate, true, "left", false, AWKWARD_WEARER);
        CutCandidate multiline = turn("10:01:00;02", rate, true, "right", true, "Sam\r\nOkafor");

        String text = CutCandidateExports.csv(take, List.of(multiline, awkward));
        List<List<String>> rows = parseCsv(text);

        assertThat(text).startsWith("take,timecode,onset_utc,rig,wearer,type,direction,peak_dps,angle_deg\r\n");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0))
                .containsExactly(
                        "take", "timecode", "onset_utc", "rig", "wearer", "type", "direction", "peak_dps", "angle_deg");
        assertThat(rows.get(1))
                .containsExactly(
                        "42A-3",
                        "10:00:55;10",
                        Instant.ofEpochSecond(0, awkward.onsetNanos()).toString(),
                        "rig-03",
                        AWKWARD_WEARER,
                        "head-turn",
                        "left",
                        "240.2",
                        "85.4");
        assertThat(rows.get(2))
                .containsExactly(
                        "42A-3",
                        "10:01:00;02",
                        Instant.ofEpochSecond(0, multiline.onsetNanos()).toString(),
                        "rig-03",
                        "Sam\r\nOkafor",
                        "whip-pan",
                        "right",
                        "412.4",
                        "-120.3");
        assertThat(Instant.parse(rows.get(1).get(2))).isEqualTo(Instant.ofEpochSecond(0, awkward.onsetNanos()));
    }

    @Test
    void candidatesFromTheCameraAreMarkedInCommentsAndInASourceColumn() {
        FrameRate rate = FrameRate.FPS_25;
        TakeInfo take = take(rate, false, "14:20:00:00", "14:27:00:00");
        CutCandidate board = turn("14:20:01:10", rate, false, "left", false, "Dana");
        CutCandidate camera =
                turn("14:20:01:12", rate, false, "left", false, "Dana").fromCamera();

        String avid = CutCandidateExports.avidLocators(take, List.of(camera, board));
        List<String[]> lines = avid.lines().map(l -> l.split("\t", -1)).toList();
        assertThat(lines.get(0)[4]).isEqualTo("head turn left 85deg 240dps rig-03 Dana");
        assertThat(lines.get(1)[4]).isEqualTo("head turn left 85deg 240dps rig-03 Dana camera");
        assertThat(CutCandidateExports.resolveMarkers(take, List.of(camera))).contains("rig-03 Dana camera");

        List<List<String>> rows = parseCsv(CutCandidateExports.csv(take, List.of(board, camera)));
        assertThat(rows.get(0))
                .containsExactly(
                        "take",
                        "timecode",
                        "onset_utc",
                        "rig",
                        "wearer",
                        "type",
                        "direction",
                        "peak_dps",
                        "angle_deg",
                        "source");
        assertThat(rows.get(1)).last().isEqualTo("rig");
        assertThat(rows.get(2)).last().isEqualTo("camera");
        // Without a camera's candidate the file is as it always was.
        assertThat(CutCandidateExports.csv(take, List.of(board)))
                .startsWith("take,timecode,onset_utc,rig,wearer,type,direction,peak_dps,angle_deg\r\n")
                .doesNotContain("source");
    }

    @Test
    void csvNeverStartsATextFieldLikeASpreadsheetFormula() {
        FrameRate rate = FrameRate.FPS_25;
        TakeInfo take = new TakeInfo(
                "=1+1", "A001", rate, false, tc("10:00:00:00", rate, false), tc("10:01:00:00", rate, false));
        CutCandidate hyperlink = CutCandidate.at(
                onset("10:00:10:00", rate, false, 0.25),
                LONDON,
                rate,
                false,
                "left",
                240.2,
                -85.4,
                false,
                "@rig",
                "=HYPERLINK(\"http://x\",\"click\")");
        CutCandidate plus = CutCandidate.at(
                onset("10:00:20:00", rate, false, 0.25),
                LONDON,
                rate,
                false,
                "right",
                240.2,
                85.4,
                false,
                "rig-03",
                "+Dana");

        List<List<String>> rows = parseCsv(CutCandidateExports.csv(take, List.of(hyperlink, plus)));

        assertThat(rows.get(1).get(0)).isEqualTo("'=1+1");
        assertThat(rows.get(1).get(3)).isEqualTo("'@rig");
        assertThat(rows.get(1).get(4)).isEqualTo("'=HYPERLINK(\"http://x\",\"click\")");
        assertThat(rows.get(2).get(4)).isEqualTo("'+Dana");
        // Numbers are ours, not text from people: a negative angle stays a number.
        assertThat(rows.get(1).get(8)).isEqualTo("-85.4");
    }

    // ---- rounding ----

    @Test
    void onsetRoundsToTheNearestFrameStart() {
        for (FrameRate rate : List.of(FrameRate.FPS_29_97, FrameRate.FPS_25, FrameRate.FPS_23_976)) {
            boolean df = rate.dropFrameAllowed();
            String label = df ? "10:00:59;29" : "10:00:59:" + (rate.countingBase() - 1);
            Timecode frame = tc(label, rate, df);
            Timecode next = frame.plusFrames(1);

            assertThat(at(onset(label, rate, df, 0.0), rate, df)).isEqualTo(frame);
            assertThat(at(onset(label, rate, df, 0.4), rate, df))
                    .as(rate.label())
                    .isEqualTo(frame);
            assertThat(at(onset(label, rate, df, 0.6), rate, df))
                    .as(rate.label())
                    .isEqualTo(next);
            assertThat(at(onset(label, rate, df, -0.4), rate, df)).isEqualTo(frame);
            assertThat(at(onset(label, rate, df, -0.6), rate, df)).isEqualTo(frame.plusFrames(-1));
        }
        // At 29.97 DF rounding up from 10:00:59;29 lands on 10:01:00;02: labels ;00 and ;01 do not exist.
        assertThat(at(onset("10:00:59;29", FrameRate.FPS_29_97, true, 0.6), FrameRate.FPS_29_97, true))
                .hasToString("10:01:00;02");
    }

    @Test
    void halfAFrameComesFromTheExactRationalRate() {
        assertThat(CutCandidate.halfFrameNanos(FrameRate.FPS_29_97)).isEqualTo(16_683_333L);
        assertThat(CutCandidate.halfFrameNanos(FrameRate.FPS_25)).isEqualTo(20_000_000L);
        assertThat(CutCandidate.halfFrameNanos(FrameRate.FPS_23_976)).isEqualTo(20_854_167L);
    }

    @Test
    void roundingUpFromTheLastFrameOfTheDayMovesToMidnight() {
        FrameRate rate = FrameRate.FPS_25;
        long lastFrameStart = new DatedTimecode(SHOOTING_DAY, tc("23:59:59:24", rate, false)).utcNanos(LONDON);
        CutCandidate c = CutCandidate.at(
                lastFrameStart + 30_000_000L, LONDON, rate, false, "left", 200, 80, false, "rig-03", "");
        assertThat(c.timecode()).isEqualTo(tc("00:00:00:00", rate, false));
        assertThat(c.onsetNanos()).isEqualTo(lastFrameStart + 30_000_000L);
    }

    private static Timecode at(long onsetNanos, FrameRate rate, boolean df) {
        return CutCandidate.at(onsetNanos, LONDON, rate, df, "left", 200, 80, false, "rig-03", "Dana Brooks")
                .timecode();
    }

    // ---- empty lists, validation, formats ----

    @Test
    void noCandidatesGiveValidFiles() throws Exception {
        FrameRate rate = FrameRate.FPS_29_97;
        TakeInfo take = take(rate, true, "10:00:50;00", "10:03:00;02");
        List<CutCandidate> none = List.of();

        Edl edl = parseEdl(CutCandidateExports.cmx3600(take, none), rate);
        assertThat(edl.title()).isEqualTo("42A-3 cut candidates");
        assertThat(edl.dropFrame()).isTrue();
        assertThat(edl.events()).isEmpty();
        assertThat(parseResolve(CutCandidateExports.resolveMarkers(take, none), rate))
                .isEmpty();

        Document doc = parseXml(CutCandidateExports.fcpxml(take, none));
        assertThat(elements(doc, "asset-clip")).hasSize(1);
        assertThat(elements(doc, "marker")).isEmpty();

        assertThat(CutCandidateExports.avidLocators(take, none)).isEmpty();
        assertThat(parseCsv(CutCandidateExports.csv(take, none))).hasSize(1);
    }

    @Test
    void refusesCandidatesOutsideTheTakeOrAtAnotherRate() {
        FrameRate rate = FrameRate.FPS_25;
        TakeInfo take = take(rate, false, "10:00:00:00", "10:01:00:00");
        CutCandidate atEnd = new CutCandidate(0, take.end(), "left", 200, 80, false, "rig-03", "");
        CutCandidate before = new CutCandidate(0, tc("09:59:59:24", rate, false), "left", 200, 80, false, "rig-03", "");
        CutCandidate otherRate =
                new CutCandidate(0, tc("10:00:10;00", FrameRate.FPS_29_97, true), "left", 200, 80, false, "rig-03", "");

        for (Format format : Format.values()) {
            assertThatThrownBy(() -> CutCandidateExports.export(format, take, List.of(atEnd)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside take 42A-3");
            assertThatThrownBy(() -> CutCandidateExports.export(format, take, List.of(before)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> CutCandidateExports.export(format, take, List.of(otherRate)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("29.97 DF");
        }
        assertThat(take.contains(take.start())).isTrue();
        assertThat(take.contains(take.end())).isFalse();
    }

    @Test
    void takeInfoRejectsReelsThatBreakEdlColumns() {
        FrameRate rate = FrameRate.FPS_25;
        Timecode start = tc("10:00:00:00", rate, false);
        Timecode end = tc("10:01:00:00", rate, false);
        assertThatThrownBy(() -> new TakeInfo("42A-3", "A001_CAM_B", rate, false, start, end))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reel");
        assertThatThrownBy(() -> new TakeInfo("42A-3", "A 001", rate, false, start, end))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TakeInfo("42A-3", "A001", rate, false, start, start))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TakeInfo("42A-3", "A001", FrameRate.FPS_24, false, start, end))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void candidateRejectsUnknownDirections() {
        Timecode at = tc("10:00:00:00", FrameRate.FPS_25, false);
        assertThatThrownBy(() -> new CutCandidate(0, at, "up", 200, 80, false, "rig-03", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("left");
        assertThatThrownBy(() -> new CutCandidate(0, at, "left", Double.NaN, 80, false, "rig-03", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsNameTheirExtensionAndMimeTypeAndDispatch() {
        assertThat(Format.EDL.fileExtension()).isEqualTo("edl");
        assertThat(Format.EDL.mimeType()).isEqualTo("text/plain");
        assertThat(Format.RESOLVE_EDL.fileExtension()).isEqualTo("edl");
        assertThat(Format.FCPXML.fileExtension()).isEqualTo("fcpxml");
        assertThat(Format.FCPXML.mimeType()).isEqualTo("application/xml");
        assertThat(Format.AVID_LOCATORS.fileExtension()).isEqualTo("txt");
        assertThat(Format.CSV.fileExtension()).isEqualTo("csv");
        assertThat(Format.CSV.mimeType()).isEqualTo("text/csv");

        FrameRate rate = FrameRate.FPS_25;
        TakeInfo take = take(rate, false, "10:00:00:00", "10:01:00:00");
        List<CutCandidate> one = List.of(turn("10:00:10:00", rate, false, "left", false, "Dana Brooks"));
        assertThat(CutCandidateExports.export(Format.EDL, take, one)).isEqualTo(CutCandidateExports.cmx3600(take, one));
        assertThat(CutCandidateExports.export(Format.RESOLVE_EDL, take, one))
                .isEqualTo(CutCandidateExports.resolveMarkers(take, one));
        assertThat(CutCandidateExports.export(Format.FCPXML, take, one))
                .isEqualTo(CutCandidateExports.fcpxml(take, one));
        assertThat(CutCandidateExports.export(Format.AVID_LOCATORS, take, one))
                .isEqualTo(CutCandidateExports.avidLocators(take, one));
        assertThat(CutCandidateExports.export(Format.CSV, take, one)).isEqualTo(CutCandidateExports.csv(take, one));
    }

    @Test
    void xmlEscapingKeepsLineBreaksAndDropsCharactersXmlCannotHold() throws Exception {
        assertThat(CutCandidateExports.xml("a\u0001b\uD800c")).isEqualTo("a\uFFFDb\uFFFDc");
        FrameRate rate = FrameRate.FPS_25;
        TakeInfo take = take(rate, false, "10:00:00:00", "10:01:00:00");
        Document doc = parseXml(CutCandidateExports.fcpxml(
                take, List.of(turn("10:00:10:00", rate, false, "left", false, "Dana\nBrooks\u0007"))));
        assertThat(elements(doc, "marker").get(0).getAttribute("note")).endsWith("Dana\nBrooks\uFFFD");
    }
}
