package dev.rigtel.dashboard.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The web UI's files, read once at start from the class path folder {@code web/} (a directory
 * in development, the jar in production) and held in memory with their content type and a
 * content hash for {@code ETag}. Serving one never touches the disk: nothing blocks an event loop.
 */
public final class StaticFiles {

    /** One file as served. */
    public record File(String path, String contentType, byte[] body, String etag) {}

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/plain; charset=utf-8"));

    private final Map<String, File> files;

    private StaticFiles(Map<String, File> files) {
        this.files = Map.copyOf(files);
    }

    /**
     * Loads every file under the class path folder {@code root} (e.g. {@code web}), found from
     * {@code root/index.html}.
     *
     * @throws IllegalStateException if there is no {@code index.html}
     */
    public static StaticFiles load(String root) {
        URL index = StaticFiles.class.getClassLoader().getResource(root + "/index.html");
        if (index == null) {
            throw new IllegalStateException("no " + root + "/index.html on the class path: the web UI is missing");
        }
        try {
            URI uri = index.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return new StaticFiles(read(jar.getPath("/" + root)));
                }
            }
            return new StaticFiles(read(Path.of(uri).getParent()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read the web UI at " + index, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web UI at " + index, e);
        }
    }

    /** From files in memory, keyed by path without a leading slash (tests). */
    public static StaticFiles of(Map<String, byte[]> contents) {
        Map<String, File> files = new HashMap<>();
        contents.forEach((path, body) -> files.put(path, file(path, body)));
        return new StaticFiles(files);
    }

    private static Map<String, File> read(Path root) throws IOException {
        Map<String, File> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(path).toString().replace('\\', '/');
                files.put(relative, file(relative, Files.readAllBytes(path)));
            }
        }
        return files;
    }

    private static File file(String path, byte[] body) {
        int dot = path.lastIndexOf('.');
        String type = TYPES.getOrDefault(dot < 0 ? "" : path.substring(dot + 1), "application/octet-stream");
        return new File(path, type, body, '"' + sha256(body).substring(0, 32) + '"');
    }

    /**
     * The file for a request path: {@code /} is {@code index.html}; a path with a dot segment
     * finds nothing.
     */
    public Optional<File> find(String requestPath) {
        String path = requestPath.startsWith("/") ? requestPath.substring(1) : requestPath;
        if (path.isEmpty()) {
            path = "index.html";
        }
        return Optional.ofNullable(files.get(path));
    }

    /** Every path held, without a leading slash. */
    public List<String> paths() {
        return files.keySet().stream().sorted().toList();
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
