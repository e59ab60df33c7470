package dev.rigtel.collector.motion.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.motion.export.CutCandidateExports.Format;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ClipMarkerExportsTest {

    /** CMX3600 fixed columns: event 3, 2 spaces, reel 8, track 5, transition 4, duration 3, 4 timecodes. */
    private static final Pattern EVENT =
            Pattern.compile("(\\d{3})  (.{8}) (.{5}) (.{4}) (.{3}) (\\S{11}) (\\S{11}) (\\S{11}) (\\S{11})");

    private static final Pattern RESOLVE = Pattern.compile("(.*) \\|C:(\\w+) \\|M:(.*) \\|D:(\\d+)");

    private static final FrameRate RATE = FrameRate.FPS_29_97;

    /** GX010123, 15:44:35:10 at 29.97 NDF, 315 frames (10.51 s), as the MAX fixture. */
    private static ClipInfo clip(String name, boolean df) {
        Timecode start = Timecode.parse(df ? "15:44:35;10" : "15:44:35:10", RATE, df);
        return new ClipInfo(name, name + ".MP4", ClipInfo.reelFor(name), RATE, df, start, 315, false);
    }

    private static List<ClipCandidate> turns(ClipInfo clip) {
        return List.of(
                ClipCandidate.at(clip, 7_000_000_000L, "right", 412.4, -120.3, true),
                ClipCandidate.at(clip, 1_510_000_000L, "left", 240.2, 85.4, false));
    }

    @Test
    void candidateLandsOnTheNearestFrameOfTheClipsSourceTimecode() {
        ClipInfo clip = clip("GX010123", false);
        // 1.51 s is 45.25 frames at 29.97: frame 45 after 15:44:35:10
        assertThat(ClipCandidate.at(clip, 1_510_000_000L, "left", 200, 60, false)
                        .timecode())
                .hasToString("15:44:36:25");
        // half a frame (16683333.3 ns) rounds up, just under it rounds down
        assertThat(ClipCandidate.nearestFrame(clip, 16_683_334L)).isEqualTo(1);
        assertThat(ClipCandidate.nearestFrame(clip, 16_683_333L)).isZero();
        assertThat(ClipCandidate.nearestFrame(clip, -5_000_000L)).isZero();
        assertThat(ClipCandidate.nearestFrame(clip, -20_000_000L)).isEqualTo(-1);
    }

    @Test
    void resolveMarkerEdlHasOneFrameEventsOnTheClipsReel() {
        ClipInfo clip = clip("GX010123", false);
        List<String> lines =
                ClipMarkerExports.resolveMarkers(clip, turns(clip)).lines().toList();

        assertThat(lines.subList(0, 3)).containsExactly("TITLE: GX010123 cut candidates", "FCM: NON-DROP FRAME", "");
        assertThat(lines).hasSize(7);
        Matcher first = EVENT.matcher(lines.get(3));
        assertThat(first.matches()).as(lines.get(3)).isTrue();
        assertThat(first.group(1)).isEqualTo("001");
        assertThat(first.group(2)).isEqualTo("GX010123");
        assertThat(first.group(3).strip()).isEqualTo("V");
        assertThat(first.group(4).strip()).isEqualTo("C");
        assertThat(first.group(6)).isEqualTo("15:44:36:25");
        assertThat(first.group(7)).isEqualTo("15:44:36:26");
        assertThat(first.group(8)).isEqualTo(first.group(6));
        assertThat(first.group(9)).isEqualTo(first.group(7));
        Matcher marker = RESOLVE.matcher(lines.get(4));
        assertThat(marker.matches()).as(lines.get(4)).isTrue();
        assertThat(marker.group(1)).isEqualTo("head turn left 85deg 240dps GX010123");
        assertThat(marker.group(2)).isEqualTo("ResolveColorYellow");
        assertThat(marker.group(3)).isEqualTo("head turn left");
        assertThat(marker.group(4)).isEqualTo("1");
        Matcher second = EVENT.matcher(lines.get(5));
        assertThat(second.matches()).isTrue();
        assertThat(second.group(1)).isEqualTo("002");
        // 7 s = 209.79 frames: 210 after 15:44:35:10
        assertThat(second.group(6)).isEqualTo("15:44:42:10");
        assertThat(lines.get(6))
                .isEqualTo("whip pan right 120deg 412dps GX010123 |C:ResolveColorRed |M:whip pan right |D:1");
    }

    @Test
    void cmx3600NamesTheClipFileAndCarriesLocators() {
        ClipInfo clip = clip("GX010123", true);
        List<String> lines =
                ClipMarkerExports.cmx3600(clip, turns(clip)).lines().toList();

        assertThat(lines.get(1)).isEqualTo("FCM: DROP FRAME");
        assertThat(EVENT.matcher(lines.get(3)).matches()).isTrue();
        assertThat(lines.get(3)).contains("15:44:36;25 15:44:36;26");
        assertThat(lines.get(4)).isEqualTo("* FROM CLIP NAME: GX010123.MP4");
        assertThat(lines.get(5)).isEqualTo("* LOC: 15:44:36;25 YELLOW  head turn left 85deg 240dps GX010123");
    }

    @Test
    void fcpxmlPutsTheMarkersOnTheClipsAssetAtItsTimecodeStart() throws Exception {
        ClipInfo clip = clip("GX010123", false);
        Document doc = parseXml(ClipMarkerExports.fcpxml(clip, turns(clip)));

        Element asset = only(doc, "asset");
        assertThat(asset.getAttribute("name")).isEqualTo("GX010123");
        // 15:44:35:10 is frame 1700260; x 1001/30000 s = 85098013/1500 s
        assertThat(asset.getAttribute("start")).isEqualTo("85098013/1500s");
        assertThat(asset.getAttribute("duration")).isEqualTo("21021/2000s"); // 315 frames
        assertThat(only(doc, "media-rep").getAttribute("src")).isEqualTo("file:./GX010123.MP4");
        Element assetClip = only(doc, "asset-clip");
        assertThat(assetClip.getAttribute("ref")).isEqualTo(asset.getAttribute("id"));
        assertThat(assetClip.getAttribute("start")).isEqualTo(asset.getAttribute("start"));
        assertThat(assetClip.getParentNode().getNodeName()).isEqualTo("event");
        assertThat(doc.getElementsByTagName("project").getLength()).isZero();
        NodeList markers = assetClip.getElementsByTagName("marker");
        assertThat(markers.getLength()).isEqualTo(2);
        Element first = (Element) markers.item(0);
        // frame 1700260 + 45 = 1700305, x 1001/30000 s
        assertThat(first.getAttribute("start")).isEqualTo(CutCandidateExports.rationalSeconds(1_700_305, RATE));
        assertThat(first.getAttribute("duration")).isEqualTo("1001/30000s");
        assertThat(first.getAttribute("value")).isEqualTo("head turn left");
        assertThat(first.getAttribute("note")).isEqualTo("head turn left 85deg 240dps GX010123");
    }

    @Test
    void fcpxmlEscapesTheFileNameAsAUriAndTheNameAsXml() throws Exception {
        Timecode start = Timecode.parse("00:00:00:00", FrameRate.FPS_25, false);
        ClipInfo clip = new ClipInfo("A&B clip", "A&B clip.MP4", "AX", FrameRate.FPS_25, false, start, 50, true);
        Document doc = parseXml(ClipMarkerExports.fcpxml(clip, List.of()));

        assertThat(only(doc, "asset").getAttribute("name")).isEqualTo("A&B clip");
        assertThat(only(doc, "asset").getAttribute("start")).isEqualTo("0s");
        assertThat(only(doc, "media-rep").getAttribute("src")).isEqualTo("file:./A%26B%20clip.MP4");
    }

    @Test
    void avidLocatorsAreSixTabSeparatedFieldsNamingTheClip() {
        ClipInfo clip = clip("GX010123", false);
        List<String[]> lines = ClipMarkerExports.avidLocators(clip, turns(clip))
                .lines()
                .map(l -> l.split("\t", -1))
                .toList();

        assertThat(lines).hasSize(2).allSatisfy(f -> {
            assertThat(f).hasSize(6);
            assertThat(f[0]).isEqualTo("rigtel");
            assertThat(f[2]).isEqualTo("V1");
            assertThat(f[4]).endsWith(" GX010123");
            assertThat(f[5]).isEqualTo("1");
        });
        assertThat(lines.get(0)[1]).isEqualTo("15:44:36:25");
        assertThat(lines.get(0)[3]).isEqualTo("yellow");
        assertThat(lines.get(1)[1]).isEqualTo("15:44:42:10");
        assertThat(lines.get(1)[3]).isEqualTo("red");
    }

    @Test
    void csvGuardsClipNamesThatStartLikeAFormula() {
        Timecode start = Timecode.parse("15:44:35:10", RATE, false);
        ClipInfo clip =
                new ClipInfo("=HYPERLINK(\"x\",1)", "=HYPERLINK(\"x\",1).MP4", "AX", RATE, false, start, 315, false);
        String text =
                ClipMarkerExports.csv(clip, List.of(ClipCandidate.at(clip, 1_510_000_000L, "left", 200, 60, false)));

        List<String> lines = List.of(text.split("\r\n"));
        assertThat(text).endsWith("\r\n");
        assertThat(lines.get(0)).isEqualTo("clip,file,timecode,offset_s,type,direction,peak_dps,angle_deg");
        assertThat(lines.get(1))
                .isEqualTo("\"'=HYPERLINK(\"\"x\"\",1)\",\"'=HYPERLINK(\"\"x\"\",1).MP4\",15:44:36:25,1.510,head-turn,"
                        + "left,200.0,60.0");
    }

    @Test
    void refusesCandidatesOutsideTheClipOrAtAnotherRate() {
        ClipInfo clip = clip("GX010123", false);
        ClipCandidate late = ClipCandidate.at(clip, 11_000_000_000L, "left", 200, 60, false);
        assertThatThrownBy(() -> ClipMarkerExports.resolveMarkers(clip, List.of(late)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside clip GX010123");
        ClipCandidate pal =
                new ClipCandidate(0, Timecode.parse("15:44:36:00", FrameRate.FPS_25, false), "left", 200, 60, false);
        assertThatThrownBy(() -> ClipMarkerExports.csv(clip, List.of(pal)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counts at 25");
    }

    @Test
    void noCandidatesGiveValidEmptyFilesInEveryFormat() throws Exception {
        ClipInfo clip = clip("GX010123", false);
        for (Format format : Format.values()) {
            assertThat(ClipMarkerExports.export(format, clip, List.of()))
                    .as(format.name())
                    .isNotNull();
        }
        assertThat(ClipMarkerExports.avidLocators(clip, List.of())).isEmpty();
        assertThat(only(parseXml(ClipMarkerExports.fcpxml(clip, List.of())), "asset-clip")
                        .getElementsByTagName("marker")
                        .getLength())
                .isZero();
    }

    @Test
    void reelIsTheClipNameWhenItFitsTheColumn() {
        assertThat(ClipInfo.reelFor("GX010123")).isEqualTo("GX010123");
        assertThat(ClipInfo.reelFor("GOPR0123")).isEqualTo("GOPR0123");
        assertThat(ClipInfo.reelFor("max-heromode")).isEqualTo("max-hero");
        assertThat(ClipInfo.reelFor("a b")).isEqualTo("a_b");
        assertThat(ClipInfo.reelFor("")).isEqualTo("AX");
    }

    @Test
    void clipThatRunsPastMidnightKeepsItsMarkersInside() throws Exception {
        Timecode start = Timecode.parse("23:59:59:00", FrameRate.FPS_25, false);
        ClipInfo clip =
                new ClipInfo("GX010124", "GX010124.MP4", "GX010124", FrameRate.FPS_25, false, start, 100, false);
        ClipCandidate after = ClipCandidate.at(clip, 2_000_000_000L, "left", 200, 60, false);
        assertThat(after.timecode()).hasToString("00:00:01:00");

        Element marker = only(parseXml(ClipMarkerExports.fcpxml(clip, List.of(after))), "marker");
        // 86399 s + 2 s into the asset's local time, past 24 h
        assertThat(marker.getAttribute("start")).isEqualTo("86401s");
    }

    private static Document parseXml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element only(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        assertThat(list).as(tag).hasSize(1);
        return list.get(0);
    }
}
