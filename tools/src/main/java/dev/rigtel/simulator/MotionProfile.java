package dev.rigtel.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the wearer of a simulated rig is doing. Each profile is a 10 s pattern that repeats with
 * new, seeded event parameters in every 10 s segment; {@link #MIXED} steps through the others,
 * one segment each, with every rig starting at a different profile.
 */
public enum MotionProfile {
    /** Each rig cycles through the profiles below, 10 s each, rigs offset from each other. */
    MIXED("mixed"),
    /** Standing still: a slow body sway of a few centimetres and a few deg/s. */
    STANDING("standing"),
    /** Walking at about 1.8 steps/s: +-2 m/s^2 vertical bounce, head yaw under 90 deg/s. */
    WALKING("walking"),
    /** Running at about 2.8 steps/s: +-6 m/s^2 bounce, head yaw under 90 deg/s. */
    RUNNING("running"),
    /**
     * A rehearsed fight scene: a head turn of 150-300 deg/s every second, jolts every other second of
     * mostly 2-6 g, with an occasional landed hit of 6-10 g.
     */
    FIGHTING("fighting"),
    /** A forward fall with an impact peak of 12-20 g (10 ms half-sine), lying still, getting up. */
    FALL("fall"),
    /** Whip pans: yaw turns peaking at 320-600 deg/s, 150-300 ms long, left and right. */
    WHIP_PAN("whip-pan");

    /** The order {@link #MIXED} steps through. */
    static final List<MotionProfile> CYCLE = List.of(STANDING, WALKING, RUNNING, FIGHTING, WHIP_PAN, FALL);

    private final String label;

    MotionProfile(String label) {
        this.label = label;
    }

    /** The name used on the command line and in the summary: {@code whip-pan}. */
    public String label() {
        return label;
    }

    /** Parses a label ({@code whip-pan}; case and {@code _} for {@code -} are forgiven). */
    public static Optional<MotionProfile> fromLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String normalized = label.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(p -> p.label.equals(normalized)).findFirst();
    }

    /** Every label, comma separated, for messages. */
    public static String labels() {
        return Arrays.stream(values()).map(MotionProfile::label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label;
    }
}
