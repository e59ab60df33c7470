package dev.rigtel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.CollectorMain;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchTest {

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("--influx-db", "bench_latency_10x");
        values.put("--max-connections", "1000");
        return values;
    }

    /** Parses the command line as the collector does, so an option it does not know fails here. */
    private static CommandLine.ParseResult parsed(List<String> args) {
        return new CommandLine(new CollectorMain()).parseArgs(args.toArray(String[]::new));
    }

    @Test
    void letsEveryBenchRigConnectFromLoopback() {
        // The 10x latency run connects 130 rigs from 127.0.0.1, more than the collector's default
        // per-address limit of 100: without the raised limit the 100th rig's connection is closed.
        CommandLine.ParseResult args = parsed(Bench.collectorOptions(DEFAULTS, List.of(), List.of()));

        assertThat(args.matchedOptionValue("--max-connections-per-address", 0)).isEqualTo(1000);
        assertThat(args.matchedOptionValue("--allow-anonymous", false)).isTrue();
    }

    @Test
    void thePerAddressLimitFollowsAPartsOwnConnectionLimit() {
        // The connections part holds 10,000 rigs, all from 127.0.0.1.
        CommandLine.ParseResult args =
                parsed(Bench.collectorOptions(DEFAULTS, List.of("--max-connections", "10100"), List.of()));

        assertThat(args.matchedOptionValue("--max-connections", 0)).isEqualTo(10100);
        assertThat(args.matchedOptionValue("--max-connections-per-address", 0)).isEqualTo(10100);
    }

    @Test
    void collectorArgsReplaceTheBenchsAndMayBeFlags() {
        List<String> args = Bench.collectorOptions(
                DEFAULTS,
                List.of("--influx-db", "bench_connections"),
                List.of(
                        "--max-connections-per-address",
                        "5",
                        "--open-reads",
                        "--spool-fsync",
                        "none",
                        "--influx-db",
                        "mine"));

        CommandLine.ParseResult parsed = parsed(args);
        assertThat(parsed.matchedOptionValue("--max-connections-per-address", 0))
                .isEqualTo(5);
        assertThat(parsed.matchedOptionValue("--influx-db", "")).isEqualTo("mine");
        assertThat(parsed.matchedOptionValue("--open-reads", false)).isTrue();
        assertThat(args).containsSubsequence("--open-reads", "--spool-fsync", "none");
        assertThat(args).filteredOn("--influx-db"::equals).hasSize(1);
    }
}
