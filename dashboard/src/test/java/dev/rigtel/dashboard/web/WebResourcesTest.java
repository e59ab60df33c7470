package dev.rigtel.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.dashboard.http.StaticFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The web UI as packaged: complete, self-contained (no CDN), uPlot vendored with its licence. */
class WebResourcesTest {

    private final StaticFiles files = StaticFiles.load("web");

    private String text(String path) {
        return new String(
                files.find(path)
                        .orElseThrow(() -> new AssertionError("missing web/" + path))
                        .body(),
                StandardCharsets.UTF_8);
    }

    @Test
    void holdsThePagesAndTheVendoredUplotWithItsLicence() {
        assertThat(files.paths())
                .contains(
                        "index.html",
                        "review.html",
                        "take.html",
                        "report.html",
                        "css/dashboard.css",
                        "css/shoot.css",
                        "vendor/uplot/uPlot.iife.min.js",
                        "vendor/uplot/uPlot.min.css",
                        "vendor/uplot/LICENSE");
        assertThat(text("vendor/uplot/uPlot.iife.min.js"))
                .startsWith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */");
        assertThat(text("vendor/uplot/LICENSE")).contains("The MIT License", "Leon Sorokin");
    }

    @Test
    void everyPageLoadsOnlyFilesTheDashboardServes() {
        Pattern reference = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
        for (String page : List.of("index.html", "review.html", "take.html", "report.html")) {
            Matcher m = reference.matcher(text(page));
            while (m.find()) {
                String target = m.group(1);
                assertThat(target).as(page + " must not load from elsewhere").doesNotContain("//");
                if (target.startsWith("/")
                        && !target.contains("?")
                        && !target.endsWith(".html")
                        && !target.equals("/")) {
                    assertThat(files.find(target)).as(page + " loads " + target).isPresent();
                }
            }
        }
    }

    @Test
    void everyModuleImportResolves() {
        Pattern from = Pattern.compile("from '\\./([^']+)'");
        List<String> modules = new ArrayList<>();
        for (String path : files.paths()) {
            if (path.startsWith("js/")) {
                modules.add(path);
            }
        }
        assertThat(modules)
                .contains(
                        "js/live.js",
                        "js/review.js",
                        "js/take.js",
                        "js/common.js",
                        "js/charts.js",
                        "js/shoot.js",
                        "js/report.js");
        for (String module : modules) {
            String source = text(module);
            assertThat(source).as(module).doesNotContain("http://", "https://");
            Matcher m = from.matcher(source);
            while (m.find()) {
                assertThat(files.find("js/" + m.group(1)))
                        .as(module + " imports " + m.group(1))
                        .isPresent();
            }
        }
    }
}
