package dev.rigtel.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds the one-way dependencies of HOUSE-STYLE (mqtt -> ingest -> {timecode, ...} -> store), and
 * that InfluxDB is spoken from {@code store} alone.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/dev/rigtel/collector");

    private static List<String> offendingImports(String pkg, String... forbiddenPrefixes) throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    for (String prefix : forbiddenPrefixes) {
                        if (line.startsWith("import " + prefix) || line.startsWith("import static " + prefix)) {
                            offenders.add(file.getFileName() + ": " + line);
                        }
                    }
                }
            }
        }
        return offenders;
    }

    @Test
    void plainJavaPackagesNeverImportNetty() throws IOException {
        for (String pkg : List.of(
                "ingest",
                "imports",
                "live",
                "timecode",
                "takes",
                "motion",
                "api",
                "store",
                "auth",
                "config",
                "metrics",
                "commands",
                "broker",
                "csv",
                "source")) {
            assertThat(offendingImports(pkg, "io.netty")).as(pkg).isEmpty();
        }
    }

    @Test
    void dependenciesRunOneWay() throws IOException {
        assertThat(offendingImports(
                        "store",
                        "dev.rigtel.collector.ingest",
                        "dev.rigtel.collector.timecode",
                        "dev.rigtel.collector.mqtt",
                        "dev.rigtel.collector.auth",
                        "dev.rigtel.collector.commands"))
                .isEmpty();
        assertThat(offendingImports(
                        "timecode",
                        "dev.rigtel.collector.ingest",
                        "dev.rigtel.collector.store",
                        "dev.rigtel.collector.mqtt"))
                .isEmpty();
        assertThat(offendingImports(
                        "ingest",
                        "dev.rigtel.collector.mqtt",
                        "dev.rigtel.collector.http",
                        "dev.rigtel.collector.broker"))
                .isEmpty();
        // The broker core knows nothing of rigs, telemetry or the transport: rights are checked by mqtt.
        assertThat(offendingImports(
                        "broker",
                        "dev.rigtel.collector.mqtt",
                        "dev.rigtel.collector.ingest",
                        "dev.rigtel.collector.auth",
                        "dev.rigtel.collector.commands"))
                .isEmpty();
        // motion (and its exports) sits below the API: shared rules such as CSV fields live in csv.
        assertThat(offendingImports(
                        "motion",
                        "dev.rigtel.collector.api",
                        "dev.rigtel.collector.http",
                        "dev.rigtel.collector.mqtt",
                        "dev.rigtel.collector.ingest",
                        "dev.rigtel.collector.store"))
                .isEmpty();
        assertThat(offendingImports("csv", "dev.rigtel.collector")).isEmpty();
        // Ingest tells what it derives to an output interface (IngestEvents); the live topics
        // implement it and publish through a LiveOutlet, knowing nothing of the transport.
        assertThat(offendingImports("ingest", "dev.rigtel.collector.live")).isEmpty();
        assertThat(offendingImports(
                        "live",
                        "dev.rigtel.collector.mqtt",
                        "dev.rigtel.collector.http",
                        "dev.rigtel.collector.broker",
                        "dev.rigtel.collector.api",
                        "org.eclipse.paho"))
                .isEmpty();
        assertThat(offendingImports(
                        "commands",
                        "dev.rigtel.collector.mqtt",
                        "dev.rigtel.collector.broker",
                        "dev.rigtel.collector.http",
                        "dev.rigtel.collector.api"))
                .isEmpty();
    }

    /**
     * Consumer mode's MQTT client stays in {@code source}, on the transport side like {@code mqtt}:
     * no other package imports Paho, and nothing below the intake knows there is a source.
     */
    @Test
    void onlySourceImportsPaho() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> packages = Files.list(MAIN)) {
            for (Path pkg : packages.filter(Files::isDirectory).toList()) {
                String name = pkg.getFileName().toString();
                if (!name.equals("source")) {
                    offenders.addAll(offendingImports(name, "org.eclipse.paho"));
                }
            }
        }
        try (Stream<Path> files = Files.list(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("import org.eclipse.paho")) {
                        offenders.add(file.getFileName() + ": " + line);
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
        for (String pkg : List.of("ingest", "store", "takes", "motion", "timecode", "live", "commands")) {
            assertThat(offendingImports(pkg, "dev.rigtel.collector.source"))
                    .as(pkg)
                    .isEmpty();
        }
    }

    /**
     * What the collector stores goes through the typed write port ({@code store.StoreWrites}): the
     * code that writes never sees line protocol, the schema, the write buffer or InfluxDB.
     */
    @Test
    void writersUseTheTypedWritePortOnly() throws IOException {
        String[] storeInternals = {
            "dev.rigtel.collector.store.Schema",
            "dev.rigtel.collector.store.LineProtocol",
            "dev.rigtel.collector.store.LineEncoder",
            "dev.rigtel.collector.store.Measurements",
            "dev.rigtel.collector.store.WriteBuffer;",
            "dev.rigtel.collector.store.Influx",
            "org.influxdb"
        };
        for (String writer : List.of("live", "motion", "timecode", "ingest", "commands", "takes", "api")) {
            assertThat(offendingImports(writer, storeInternals)).as(writer).isEmpty();
        }
    }

    /** What speaks InfluxDB: its client, its schema, its line protocol and query text, its adapters. */
    private static final List<String> INFLUX_ONLY = List.of(
            "org.influxdb",
            "dev.rigtel.collector.store.Schema",
            "dev.rigtel.collector.store.LineProtocol",
            "dev.rigtel.collector.store.LineEncoder",
            "dev.rigtel.collector.store.Measurements",
            "dev.rigtel.collector.store.Influxql",
            "dev.rigtel.collector.store.InfluxStore",
            "dev.rigtel.collector.store.InfluxReads");

    /**
     * Files outside {@code store} allowed some of {@link #INFLUX_ONLY}, by file and import: the
     * composition root builds the InfluxDB adapters and hands out the ports.
     */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "Collector.java",
            Set.of("dev.rigtel.collector.store.InfluxStore", "dev.rigtel.collector.store.InfluxReads"));

    @Test
    void onlyStoreSpeaksInfluxDb() throws IOException {
        assertThat(influxOffenders(MAIN)).isEmpty();
    }

    @Test
    void theInfluxDbRuleCatchesImportsAndQualifiedNamesOutsideStore(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("api"));
        Files.createDirectories(root.resolve("store"));
        Files.writeString(
                root.resolve("api/Reads.java"),
                "package x;\nimport org.influxdb.dto.QueryResult;\nimport dev.rigtel.collector.store.Schema;\n"
                        + "import dev.rigtel.collector.store.StoreReads;\nclass Reads {\n"
                        + "    Object q = new org.influxdb.dto.Query(\"SELECT 1\");\n}\n");
        Files.writeString(
                root.resolve("store/Fine.java"), "package x;\nimport org.influxdb.dto.QueryResult;\nclass Fine {}\n");
        Files.writeString(
                root.resolve("Collector.java"), "package x;\nimport dev.rigtel.collector.store.InfluxStore;\n");

        assertThat(influxOffenders(root))
                .containsExactlyInAnyOrder(
                        "api/Reads.java: import org.influxdb.dto.QueryResult;",
                        "api/Reads.java: import dev.rigtel.collector.store.Schema;",
                        "api/Reads.java: Object q = new org.influxdb.dto.Query(\"SELECT 1\");");
    }

    private static List<String> influxOffenders(Path main) throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (file.startsWith(main.resolve("store"))) {
                    continue;
                }
                Set<String> allowed = ALLOWED.getOrDefault(file.getFileName().toString(), Set.of());
                for (String line : Files.readAllLines(file)) {
                    String code = line.strip();
                    for (String name : INFLUX_ONLY) {
                        boolean imported = code.startsWith("import " + name + ".")
                                || code.startsWith("import " + name + ";")
                                || code.startsWith("import static " + name + ".");
                        // A fully qualified use in the code itself, e.g. new org.influxdb.dto.Query(...).
                        boolean qualified = !code.startsWith("import ")
                                && !code.startsWith("*")
                                && !code.startsWith("/")
                                && code.contains(name + ".");
                        if ((imported || qualified) && !allowed.contains(name)) {
                            offenders.add(main.relativize(file).toString().replace('\\', '/') + ": " + code);
                        }
                    }
                }
            }
        }
        return offenders;
    }
}
