package dev.rigtel.gopro.clip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the clips on a card: groups chapter files into recordings by GoPro's file naming.
 *
 * <table>
 *   <caption>GoPro file names (DCIM/100GOPRO)</caption>
 *   <tr><th>camera</th><th>first chapter</th><th>next chapters</th></tr>
 *   <tr><td>HERO6 and later (H.264 / HEVC)</td><td>{@code GH010123.MP4} / {@code GX010123.MP4}</td>
 *       <td>{@code GH020123.MP4}, {@code GH030123.MP4}, ...</td></tr>
 *   <tr><td>HERO5 and earlier</td><td>{@code GOPR0123.MP4}</td><td>{@code GP010123.MP4}, {@code
 *       GP020123.MP4}, ...</td></tr>
 *   <tr><td>MAX (360)</td><td>{@code GS010123.360}</td><td>{@code GS020123.360}, ...</td></tr>
 * </table>
 *
 * Chapters of one recording share the prefix, the four-digit file number and the folder. Other
 * {@code .MP4}, {@code .MOV} and {@code .360} files are a clip each; {@code .LRV} proxies and {@code .THM}
 * thumbnails are skipped. Whether the chapters really continue each other (same camera, {@code TSMP}
 * running on) is checked when they are read.
 */
public final class GoproFiles {

    private static final Pattern HERO6 =
            Pattern.compile("(G[HXS])(\\d\\d)(\\d{4})\\.(MP4|360)", Pattern.CASE_INSENSITIVE);
    private static final Pattern HERO5_FIRST = Pattern.compile("GOPR(\\d{4})\\.MP4", Pattern.CASE_INSENSITIVE);
    private static final Pattern HERO5_NEXT = Pattern.compile("GP(\\d\\d)(\\d{4})\\.MP4", Pattern.CASE_INSENSITIVE);
    private static final Pattern VIDEO = Pattern.compile(".*\\.(MP4|MOV|360)", Pattern.CASE_INSENSITIVE);

    /**
     * One recording.
     *
     * @param name the first chapter's file name without extension
     * @param chapters the chapter files in recording order
     */
    public record Clip(String name, List<Path> chapters) {
        public Clip {
            chapters = List.copyOf(chapters);
        }
    }

    private GoproFiles() {}

    /**
     * The clips among {@code filesOrDirs}: files as given, folders walked (all levels), ordered by
     * folder and name.
     */
    public static List<Clip> clips(List<Path> filesOrDirs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : filesOrDirs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        Map<String, TreeMap<Integer, Path>> groups = new TreeMap<>();
        for (Path file :
                files.stream().sorted(Comparator.comparing(Path::toString)).toList()) {
            String fileName = file.getFileName().toString();
            if (!VIDEO.matcher(fileName).matches()) {
                continue;
            }
            String dir = String.valueOf(file.toAbsolutePath().getParent());
            Matcher m;
            String key;
            int chapter;
            if ((m = HERO6.matcher(fileName)).matches()) {
                key = m.group(1).toUpperCase(Locale.ROOT) + m.group(3);
                chapter = Integer.parseInt(m.group(2));
            } else if ((m = HERO5_FIRST.matcher(fileName)).matches()) {
                key = "GOPR" + m.group(1);
                chapter = 0;
            } else if ((m = HERO5_NEXT.matcher(fileName)).matches()) {
                key = "GOPR" + m.group(2);
                chapter = Integer.parseInt(m.group(1));
            } else {
                key = "=" + fileName;
                chapter = 0;
            }
            TreeMap<Integer, Path> chapters = groups.computeIfAbsent(dir + "/" + key, k -> new TreeMap<>());
            chapters.putIfAbsent(chapter, file);
        }
        List<Clip> clips = new ArrayList<>();
        for (TreeMap<Integer, Path> chapters : groups.values()) {
            List<Path> ordered = new ArrayList<>(chapters.values());
            clips.add(new Clip(stem(ordered.get(0)), ordered));
        }
        return clips;
    }

    /** The file name without its extension. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
