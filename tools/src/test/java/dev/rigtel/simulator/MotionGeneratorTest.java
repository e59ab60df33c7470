package dev.rigtel.simulator;

import static dev.rigtel.simulator.MotionGenerator.STANDARD_GRAVITY_MPS2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MotionGeneratorTest {

    private static final long ONE_KHZ_NANOS = 1_000_000;
    private static final int SECONDS = 1000;
    private static final double G = STANDARD_GRAVITY_MPS2;

    private static List<double[]> samples(MotionProfile profile, int rig, long count, long intervalNanos) {
        MotionGenerator generator = new MotionGenerator(42, rig, profile, intervalNanos);
        List<double[]> samples = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            samples.add(generator.sample(i));
        }
        return samples;
    }

    private static double accelMagnitude(double[] s) {
        return Math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
    }

    private static double maxAbs(List<double[]> samples, int axis) {
        return samples.stream().mapToDouble(s -> Math.abs(s[axis])).max().orElseThrow();
    }

    @Test
    void standingReadsOneGOnTheYAxisWithLittleRotation() {
        List<double[]> samples = samples(MotionProfile.STANDING, 1, 20 * SECONDS, ONE_KHZ_NANOS);

        for (double[] s : samples) {
            assertThat(accelMagnitude(s)).isCloseTo(G, within(0.3));
            assertThat(s[1]).isCloseTo(G, within(0.2));
            assertThat(Math.abs(s[3]) + Math.abs(s[4]) + Math.abs(s[5])).isLessThan(8.0);
        }
        double meanAy = samples.stream().mapToDouble(s -> s[1]).average().orElseThrow();
        assertThat(meanAy).isCloseTo(G, within(0.01));
    }

    @Test
    void noiseIsAboutWhatARealSensorShows() {
        MotionGenerator generator = new MotionGenerator(42, 1, MotionProfile.STANDING, ONE_KHZ_NANOS);
        double[] clean = new double[6];
        double sumSquaresAccel = 0;
        double sumSquaresGyro = 0;
        int n = 20_000;
        double[] bias = generator.gyroBiasDps();
        for (int i = 0; i < n; i++) {
            double[] s = generator.sample(i);
            generator.motion(i * ONE_KHZ_NANOS, clean);
            sumSquaresAccel += Math.pow(s[0] - clean[0], 2);
            sumSquaresGyro += Math.pow(s[3] - clean[3] - bias[0], 2);
        }
        assertThat(Math.sqrt(sumSquaresAccel / n)).isCloseTo(MotionGenerator.ACCEL_NOISE_MPS2, within(0.003));
        assertThat(Math.sqrt(sumSquaresGyro / n)).isCloseTo(MotionGenerator.GYRO_NOISE_DPS, within(0.01));
        for (double b : bias) {
            assertThat(Math.abs(b)).isLessThanOrEqualTo(1.0);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MotionProfile.class,
            names = {"WALKING", "RUNNING"})
    void gaitKeepsHeadYawUnder90DegreesPerSecond(MotionProfile profile) {
        for (int rig = 1; rig <= 13; rig++) {
            List<double[]> samples = samples(profile, rig, 30 * SECONDS, ONE_KHZ_NANOS);
            assertThat(maxAbs(samples, 4))
                    .as("peak yaw rate of rig %d", rig)
                    .isLessThan(90.0)
                    .isGreaterThan(20.0);
        }
    }

    @Test
    void walkingBouncesAboutTwoAndRunningAboutSixMetresPerSecondSquared() {
        List<double[]> walking = samples(MotionProfile.WALKING, 3, 10 * SECONDS, ONE_KHZ_NANOS);
        List<double[]> running = samples(MotionProfile.RUNNING, 3, 10 * SECONDS, ONE_KHZ_NANOS);

        assertThat(walking.stream().mapToDouble(s -> s[1] - G).max().orElseThrow())
                .isCloseTo(2.0, within(0.15));
        assertThat(walking.stream().mapToDouble(s -> s[1] - G).min().orElseThrow())
                .isCloseTo(-2.0, within(0.15));
        assertThat(running.stream().mapToDouble(s -> s[1] - G).max().orElseThrow())
                .isCloseTo(6.0, within(0.15));
        assertThat(running.stream().mapToDouble(s -> s[1] - G).min().orElseThrow())
                .isCloseTo(-6.0, within(0.15));
    }

    @Test
    void walkingStepsAtAbout1Point8Hz() {
        List<double[]> walking = samples(MotionProfile.WALKING, 5, 20 * SECONDS, ONE_KHZ_NANOS);
        int steps = 0;
        boolean low = false;
        for (double[] s : walking) {
            // Hysteresis against noise: a step is a rise above +1 m/s^2 after a dip below -1 m/s^2.
            if (s[1] - G < -1) {
                low = true;
            } else if (low && s[1] - G > 1) {
                steps++;
                low = false;
            }
        }
        assertThat(steps / 20.0).isBetween(1.65, 1.95);
    }

    @Test
    void whipPansPeakAbove300DegreesPerSecondInBothDirectionsFor150To300Ms() {
        for (int rig = 1; rig <= 5; rig++) {
            List<double[]> samples = samples(MotionProfile.WHIP_PAN, rig, 20 * SECONDS, ONE_KHZ_NANOS);
            double maxYaw = samples.stream().mapToDouble(s -> s[4]).max().orElseThrow();
            double minYaw = samples.stream().mapToDouble(s -> s[4]).min().orElseThrow();
            assertThat(maxYaw).as("rig %d pans left", rig).isGreaterThan(300);
            assertThat(minYaw).as("rig %d pans right", rig).isLessThan(-300);

            List<Integer> pansMillis = runsAbove(samples, 4, 50);
            assertThat(pansMillis).hasSize(10);
            assertThat(pansMillis).allSatisfy(ms -> assertThat(ms).isBetween(100, 300));
        }
    }

    /** Lengths in samples of the runs where |value| exceeds the threshold. */
    private static List<Integer> runsAbove(List<double[]> samples, int axis, double threshold) {
        List<Integer> runs = new ArrayList<>();
        int run = 0;
        for (double[] s : samples) {
            if (Math.abs(s[axis]) > threshold) {
                run++;
            } else if (run > 0) {
                runs.add(run);
                run = 0;
            }
        }
        if (run > 0) {
            runs.add(run);
        }
        return runs;
    }

    @Test
    void fallHasAnImpactOver10gThenLiesWithGravityOnAnotherAxis() {
        for (int rig = 1; rig <= 5; rig++) {
            List<double[]> samples = samples(MotionProfile.FALL, rig, 10 * SECONDS, ONE_KHZ_NANOS);
            double peakG = samples.stream()
                            .mapToDouble(MotionGeneratorTest::accelMagnitude)
                            .max()
                            .orElseThrow()
                    / G;
            assertThat(peakG).as("impact peak of rig %d", rig).isBetween(10.0, 24.0);

            double[] lying = samples.get(5 * SECONDS);
            assertThat(lying[2]).isCloseTo(-G, within(0.3));
            assertThat(lying[1]).isCloseTo(0.0, within(0.3));
            double[] standingAgain = samples.get(9 * SECONDS + 500);
            assertThat(standingAgain[1]).isCloseTo(G, within(0.3));
        }
    }

    @Test
    void impactHalfSineLastsAbout10Ms() {
        List<double[]> samples = samples(MotionProfile.FALL, 2, 3 * SECONDS, ONE_KHZ_NANOS);
        List<Integer> over5g = new ArrayList<>();
        int run = 0;
        for (double[] s : samples) {
            if (accelMagnitude(s) > 5 * G) {
                run++;
            } else if (run > 0) {
                over5g.add(run);
                run = 0;
            }
        }
        assertThat(over5g).hasSize(1);
        assertThat(over5g.get(0)).isBetween(5, 10);
    }

    @Test
    void fightingHasHeadTurnsOf150To300DegreesPerSecondAndJoltsOf2To10g() {
        for (int rig = 1; rig <= 5; rig++) {
            List<double[]> samples = samples(MotionProfile.FIGHTING, rig, 10 * SECONDS, ONE_KHZ_NANOS);
            double peakRate = samples.stream()
                    .mapToDouble(s -> Math.max(Math.abs(s[3]), Math.max(Math.abs(s[4]), Math.abs(s[5]))))
                    .max()
                    .orElseThrow();
            assertThat(peakRate).isBetween(150.0, 310.0);
            List<Integer> turns = new ArrayList<>();
            for (int axis = 3; axis < 6; axis++) {
                turns.addAll(runsAbove(samples, axis, 100));
            }
            assertThat(turns).as("a head turn in every second").hasSize(10);
            double peakJoltG = samples.stream()
                            .mapToDouble(s -> Math.sqrt(s[0] * s[0] + Math.pow(s[1] - G, 2) + s[2] * s[2]))
                            .max()
                            .orElseThrow()
                    / G;
            assertThat(peakJoltG).isBetween(1.5, 11.0);
        }
    }

    @Test
    void aFightIsMostly2To6gWithAnOccasionalHitUpTo10gAndNoImpactOverIt() {
        List<Double> jolts = new ArrayList<>();
        for (int rig = 1; rig <= 4; rig++) {
            List<double[]> samples = samples(MotionProfile.FIGHTING, rig, 300 * SECONDS, ONE_KHZ_NANOS);
            // The peak of each odd second: that second's jolt.
            for (int second = 1; second < 300; second += 2) {
                double peak = 0;
                for (int i = second * SECONDS; i < (second + 1) * SECONDS; i++) {
                    double[] s = samples.get(i);
                    peak = Math.max(peak, Math.sqrt(s[0] * s[0] + Math.pow(s[1] - G, 2) + s[2] * s[2]) / G);
                }
                jolts.add(peak);
            }
        }
        long hits = jolts.stream().filter(g -> g > 6.5).count();
        assertThat(jolts).hasSize(600).allSatisfy(g -> assertThat(g).isBetween(1.5, 10.8));
        assertThat(hits).as("occasional hits over 6.5 g").isBetween(5L, 90L);
        assertThat(jolts.stream().filter(g -> g < 6.5).count()).isGreaterThan(500L);
        assertThat(jolts.stream().filter(g -> g > 10).count())
                .as("no impact for the 10 g detector")
                .isLessThan(10L);
    }

    @ParameterizedTest
    @EnumSource(MotionProfile.class)
    void everyValueIsWithinSensorRangeAndResolution(MotionProfile profile) {
        for (int rig = 1; rig <= 3; rig++) {
            for (double[] s : samples(profile, rig, 60 * SECONDS, ONE_KHZ_NANOS)) {
                for (int k = 0; k < 3; k++) {
                    assertThat(Math.abs(s[k])).isLessThanOrEqualTo(16 * G);
                    assertThat(s[k] * 1e4).isCloseTo(Math.rint(s[k] * 1e4), within(1e-6));
                }
                for (int k = 3; k < 6; k++) {
                    assertThat(Math.abs(s[k])).isLessThanOrEqualTo(2000.0);
                    assertThat(s[k] * 1e3).isCloseTo(Math.rint(s[k] * 1e3), within(1e-6));
                }
            }
        }
    }

    @Test
    void sameSeedRigAndIndexGiveTheSameSample() {
        MotionGenerator a = new MotionGenerator(7, 3, MotionProfile.MIXED, ONE_KHZ_NANOS);
        MotionGenerator b = new MotionGenerator(7, 3, MotionProfile.MIXED, ONE_KHZ_NANOS);
        for (long i : new long[] {0, 1, 12_345, 59_999, 1_000_000}) {
            assertThat(b.sample(i)).containsExactly(a.sample(i));
        }
        assertThat(new MotionGenerator(8, 3, MotionProfile.MIXED, ONE_KHZ_NANOS).sample(5))
                .isNotEqualTo(a.sample(5));
        assertThat(new MotionGenerator(7, 4, MotionProfile.MIXED, ONE_KHZ_NANOS).sample(5))
                .isNotEqualTo(a.sample(5));
    }

    @Test
    void mixedGivesEachRigTheProfilesInTurnOffsetFromEachOther() {
        long segment = MotionGenerator.SEGMENT_NANOS;
        MotionGenerator rig1 = new MotionGenerator(42, 1, MotionProfile.MIXED, ONE_KHZ_NANOS);
        MotionGenerator rig2 = new MotionGenerator(42, 2, MotionProfile.MIXED, ONE_KHZ_NANOS);

        assertThat(rig1.profileAt(0)).isEqualTo(MotionProfile.STANDING);
        assertThat(rig1.profileAt(segment)).isEqualTo(MotionProfile.WALKING);
        assertThat(rig2.profileAt(0)).isEqualTo(MotionProfile.WALKING);
        List<MotionProfile> seen = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            seen.add(rig1.profileAt(k * segment + 1));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(MotionProfile.CYCLE);
        assertThat(rig1.profileAt(6 * segment)).isEqualTo(MotionProfile.STANDING);
        assertThat(new MotionGenerator(42, 1, MotionProfile.RUNNING, ONE_KHZ_NANOS).profileAt(segment * 3))
                .isEqualTo(MotionProfile.RUNNING);
    }

    @Test
    void labelsParseForgivingly() {
        assertThat(MotionProfile.fromLabel("whip-pan")).contains(MotionProfile.WHIP_PAN);
        assertThat(MotionProfile.fromLabel("WHIP_PAN")).contains(MotionProfile.WHIP_PAN);
        assertThat(MotionProfile.fromLabel("dancing")).isEmpty();
    }
}
