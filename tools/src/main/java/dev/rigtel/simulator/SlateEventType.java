package dev.rigtel.simulator;

/** The kinds of slate event of wire contract v1 ({@code rigtel/v1/slate}, field {@code type}). */
public enum SlateEventType {
    /** A take starts rolling; names scene, shot and take. */
    ROLL("roll"),
    /** The rolling take ends. */
    CUT("cut"),
    /** A take is marked good, no good or circled. */
    MARK("mark"),
    /** Someone wears a rig from now on. */
    ASSIGN("assign");

    private final String label;

    SlateEventType(String label) {
        this.label = label;
    }

    /** The wire form: {@code roll}, {@code cut}, {@code mark} or {@code assign}. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
