package dev.rigtel.gopro.markers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.gopro.Fixtures;
import dev.rigtel.gopro.mp4.SyntheticGoproFile.Spec;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class MarkersMainTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return MarkersMain.execute(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void writesEveryFormatPerClipAndPrintsALinePerClip() throws Exception {
        Path card = Files.createDirectories(dir.resolve("card"));
        ClipMarkersTest.clipWith(
                card, "GX010001.MP4", Spec.of(ClipMarkersTest.payloads(4, ClipMarkersTest.turn(300, 300, 200))));
        ClipMarkersTest.clipWith(
                card,
                "GX010002.MP4",
                Spec.of(ClipMarkersTest.payloads(2, k -> 0)).withTimecode(OptionalLong.empty(), false));
        Path outDir = dir.resolve("markers");

        int status = run(card.toString(), "--out", outDir.toString(), "--format", "edl,cmx,fcpxml,avid,csv");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString().lines().toList())
                .containsExactly(
                        "GX010001  15:44:35:10  1 candidate, first 15:44:36:25  GX010001.edl GX010001.cmx.edl"
                                + " GX010001.fcpxml GX010001.avid.txt GX010001.csv",
                        "GX010002  00:00:00:00 (record run)  0 candidates  GX010002.edl GX010002.cmx.edl"
                                + " GX010002.fcpxml GX010002.avid.txt GX010002.csv");
        assertThat(err.toString()).contains("warning: GX010002: no timecode track");

        List<String> edl = Files.readAllLines(outDir.resolve("GX010001.edl"));
        assertThat(edl.get(3))
                .isEqualTo("001  GX010001 V     C        15:44:36:25 15:44:36:26 15:44:36:25 15:44:36:26");
        assertThat(edl.get(4)).endsWith(" |C:ResolveColorYellow |M:head turn left |D:1");
        assertThat(Files.readString(outDir.resolve("GX010001.cmx.edl"))).contains("* FROM CLIP NAME: GX010001.MP4");
        String[] locator =
                Files.readString(outDir.resolve("GX010001.avid.txt")).strip().split("\t", -1);
        assertThat(locator).hasSize(6);
        assertThat(locator[1]).isEqualTo("15:44:36:25");
        assertThat(locator[4]).startsWith("head turn left ").endsWith(" GX010001");
        assertThat(Files.readAllLines(outDir.resolve("GX010001.csv")).get(1))
                .startsWith("GX010001,GX010001.MP4,15:44:36:25,");

        Document fcpxml = parseXml(Files.readString(outDir.resolve("GX010001.fcpxml")));
        Element asset = (Element) fcpxml.getElementsByTagName("asset").item(0);
        assertThat(asset.getAttribute("name")).isEqualTo("GX010001");
        assertThat(asset.getAttribute("start")).isEqualTo("85098013/1500s"); // 15:44:35:10
        assertThat(fcpxml.getElementsByTagName("marker").getLength()).isEqualTo(1);
        Element empty = (Element) parseXml(Files.readString(outDir.resolve("GX010002.fcpxml")))
                .getElementsByTagName("asset")
                .item(0);
        assertThat(empty.getAttribute("start")).isEqualTo("0s");
        try (var files = Files.list(outDir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".partial"))).isEmpty();
        }
    }

    @Test
    void writesTheDefaultFormatsForTheMaxFixture() throws Exception {
        Path outDir = dir.resolve("out");

        int status = run(Fixtures.path("max-heromode.mp4").toString(), "--out", outDir.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString())
                .isEqualTo("max-heromode  15:44:35:10  0 candidates  max-heromode.edl max-heromode.fcpxml"
                        + " max-heromode.avid.txt max-heromode.csv" + System.lineSeparator());
        assertThat(Files.readAllLines(outDir.resolve("max-heromode.edl")))
                .containsExactly("TITLE: max-heromode cut candidates", "FCM: NON-DROP FRAME", "");
    }

    @Test
    void twoClipsOfTheSameNameFromTwoCardsGetTwoNames() throws Exception {
        for (String card : List.of("a", "b")) {
            ClipMarkersTest.clipWith(
                    Files.createDirectories(dir.resolve(card)),
                    "GX010001.MP4",
                    Spec.of(ClipMarkersTest.payloads(2, k -> 0)));
        }

        assertThat(run(
                        dir.resolve("a").toString(),
                        dir.resolve("b").toString(),
                        "--out",
                        dir.resolve("o").toString(),
                        "--format",
                        "csv"))
                .isZero();

        assertThat(dir.resolve("o/GX010001.csv")).exists();
        assertThat(dir.resolve("o/GX010001-2.csv")).exists();
    }

    @Test
    void badOptionsExitWithTwo() {
        assertThat(run(dir.toString(), "--out", dir.toString(), "--format", "edl,premiere"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("unknown marker format 'premiere'");
        assertThat(run(dir.toString())).isEqualTo(2);
        assertThat(run(dir.resolve("missing").toString(), "--out", dir.toString()))
                .isEqualTo(2);
    }

    private static Document parseXml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
