package dev.rigtel.gopro.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoproFilesTest {

    @TempDir
    Path card;

    private Path touch(String name) throws Exception {
        Path dir = card.resolve("DCIM/100GOPRO");
        Files.createDirectories(dir);
        return Files.createFile(dir.resolve(name));
    }

    @Test
    void groupsChaptersByGoproNamingRules() throws Exception {
        Path gx1 = touch("GX010123.MP4");
        Path gx2 = touch("GX020123.MP4");
        Path gx3 = touch("GX030123.MP4");
        Path gh = touch("GH010124.MP4");
        Path gopr = touch("GOPR0200.MP4");
        Path gp1 = touch("GP010200.MP4");
        Path gp2 = touch("GP020200.MP4");
        Path gs1 = touch("GS010300.360");
        Path gs2 = touch("GS020300.360");
        Path other = touch("max-heromode.mp4");
        touch("GX010123.LRV");
        touch("GX010123.THM");

        List<GoproFiles.Clip> clips = GoproFiles.clips(List.of(card));

        assertThat(clips)
                .extracting(GoproFiles.Clip::name, GoproFiles.Clip::chapters)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("GX010123", List.of(gx1, gx2, gx3)),
                        org.assertj.core.groups.Tuple.tuple("GH010124", List.of(gh)),
                        org.assertj.core.groups.Tuple.tuple("GOPR0200", List.of(gopr, gp1, gp2)),
                        org.assertj.core.groups.Tuple.tuple("GS010300", List.of(gs1, gs2)),
                        org.assertj.core.groups.Tuple.tuple("max-heromode", List.of(other)));
    }

    @Test
    void keepsSameNumbersOfDifferentEncodingsAndFoldersApart() throws Exception {
        Path gx = touch("GX010001.MP4");
        Path gh = touch("GH010001.MP4");
        Path elsewhere = Files.createDirectories(card.resolve("DCIM/101GOPRO")).resolve("GX020001.MP4");
        Files.createFile(elsewhere);

        List<GoproFiles.Clip> clips = GoproFiles.clips(List.of(card));

        assertThat(clips)
                .extracting(GoproFiles.Clip::chapters)
                .containsExactlyInAnyOrder(List.of(gx), List.of(gh), List.of(elsewhere));
    }
}
