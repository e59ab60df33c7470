package dev.rigtel.simulator;

/** A simulation could not run, e.g. a rig could not connect; the message says which and why. */
public final class SimulationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulationException(String message, Throwable cause) {
        super(message, cause);
    }
}
