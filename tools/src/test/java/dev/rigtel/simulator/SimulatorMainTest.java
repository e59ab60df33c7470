package dev.rigtel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.config.ConfigSources;
import dev.rigtel.collector.timecode.FrameRate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulatorMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return SimulatorMain.commandLine(args, env, new PrintWriter(out), new PrintWriter(err));
    }

    private static SimulatorOptions parse(Map<String, String> env, String... args) {
        SimulatorMain main = new SimulatorMain();
        CommandLine cl = new CommandLine(main);
        ConfigSources sources = ConfigSources.from(args, env);
        cl.setDefaultValueProvider(sources);
        sources.checkFileKeys(cl.getCommandSpec());
        cl.parseArgs(args);
        return main.options();
    }

    @Test
    void helpListsEveryOptionWithDefaultsAndTheEnvironmentForm() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--broker",
                        "tcp://127.0.0.1",
                        "--rigs",
                        "default: 13",
                        "--rate",
                        "1000 Hz",
                        "--batch-ms",
                        "--duration",
                        "--qos",
                        "--username",
                        "rig-{n}",
                        "--password",
                        "--encoding",
                        "json, cbor",
                        "--profile",
                        "whip-pan",
                        "--seed",
                        "--inflight",
                        "--status-interval",
                        "--tc-rate",
                        "29.97",
                        "--tc-drop-frame",
                        "--tc-interval-ms",
                        "--tc-frames",
                        "--json",
                        "--keep-alive",
                        "--connect-timeout",
                        "--clock-drift-ppm",
                        "default: 0 ppm",
                        "--clock-jitter-us",
                        "default: 0 us",
                        "--slate-username",
                        "--slate-password",
                        "--day",
                        "default: 0 takes",
                        "--take-seconds",
                        "default: 20 s",
                        "--between-takes-seconds",
                        "default: 5 s",
                        "--day-missing-cut",
                        "RIGTEL_<OPTION>");
    }

    @Test
    void parsesOptionsIntoSimulatorOptions() {
        SimulatorOptions options = parse(
                Map.of(),
                "--rigs",
                "2",
                "--rate",
                "200",
                "--batch-ms",
                "20",
                "--duration",
                "0",
                "--qos",
                "0",
                "--encoding",
                "cbor",
                "--profile",
                "whip-pan",
                "--tc-rate",
                "29.97",
                "--tc-drop-frame",
                "--tc-interval-ms",
                "250",
                "--tc-frames",
                "7",
                "--password",
                "pw-{n}");

        assertThat(options.rigs()).isEqualTo(2);
        assertThat(options.sampleRateHz()).isEqualTo(200);
        assertThat(options.batchLength()).isEqualTo(Duration.ofMillis(20));
        assertThat(options.duration()).isZero();
        assertThat(options.qos()).isZero();
        assertThat(options.encoding()).isEqualTo(PayloadEncoding.CBOR);
        assertThat(options.profile()).isEqualTo(MotionProfile.WHIP_PAN);
        assertThat(options.timecodeRate()).isEqualTo(FrameRate.FPS_29_97);
        assertThat(options.timecodeDropFrame()).isTrue();
        assertThat(options.timecodeInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.timecodeFrames()).isEqualTo(7);
        assertThat(options.password(2)).isEqualTo("pw-02");
    }

    @Test
    void parsesTheClockAndShootingDayOptions() {
        SimulatorOptions options = parse(
                Map.of(),
                "--clock-drift-ppm",
                "12.5",
                "--clock-jitter-us",
                "40",
                "--slate-username",
                "slate",
                "--slate-password",
                "s3cret",
                "--day",
                "8",
                "--take-seconds",
                "3",
                "--between-takes-seconds",
                "2",
                "--day-missing-cut",
                "5",
                "--duration",
                "0");

        assertThat(options.clockDriftPpm()).isEqualTo(12.5);
        assertThat(options.clockJitterMicros()).isEqualTo(40.0);
        assertThat(options.slateUsername()).isEqualTo("slate");
        assertThat(options.slatePassword()).isEqualTo("s3cret");
        assertThat(options.dayTakes()).isEqualTo(8);
        assertThat(options.takeLength()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.betweenTakes()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.dayMissingCut()).isEqualTo(5);
        assertThat(options.runDuration()).isEqualTo(ShootingDay.scriptLength(options));
    }

    @Test
    void clockAndDayOptionsDefaultToOff() {
        SimulatorOptions options = parse(Map.of());

        assertThat(options.clockDriftPpm()).isZero();
        assertThat(options.clockJitterMicros()).isZero();
        assertThat(options.slateUsername()).isEmpty();
        assertThat(options.hasDay()).isFalse();
        assertThat(options.takeLength()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.betweenTakes()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.timecodeInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.timecodeFrames()).isEqualTo(1);
        assertThat(options.runDuration()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void takesDefaultsFromTheEnvironmentAndTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sim.properties");
        Files.writeString(file, "rigs=4\nrate=500\n");

        SimulatorOptions options = parse(Map.of("RIGTEL_RATE", "250", "RIGTEL_CONFIG", file.toString()));

        assertThat(options.rigs()).isEqualTo(4);
        assertThat(options.sampleRateHz()).isEqualTo(250);
    }

    @Test
    void badOptionsExitWith2AndSayWhy(@TempDir Path dir) throws Exception {
        assertThat(run(Map.of(), "--rate", "5000")).isEqualTo(2);
        assertThat(err.toString()).contains("rate must be 1..4000");

        assertThat(run(Map.of(), "--profile", "dancing")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown profile 'dancing'");

        assertThat(run(Map.of(), "--tc-rate", "25", "--tc-drop-frame")).isEqualTo(2);
        assertThat(err.toString()).contains("drop-frame");

        assertThat(run(Map.of(), "--day", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("--slate-username");

        assertThat(run(Map.of(), "--clock-drift-ppm", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("clock-drift-ppm must be 0..1000 ppm");

        assertThat(run(Map.of(), "--tc-frames", "6", "--tc-interval-ms", "200")).isEqualTo(2);
        assertThat(err.toString())
                .contains("tc-frames 6 at 25 fps last 240.000 ms, longer than tc-interval-ms 200")
                .contains("repeat frames");

        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "rigz=4\n");
        assertThat(run(Map.of(), "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown key 'rigz'");
        assertThat(out.toString()).isEmpty();
    }
}
