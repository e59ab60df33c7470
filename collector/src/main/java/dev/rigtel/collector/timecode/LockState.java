package dev.rigtel.collector.timecode;

/** How far a rig's device clock is tied to timecode; see {@link ClockAligner}. */
public enum LockState {
    /** Timecode reports arrive and the fit holds enough pairs: the mapping follows the reports. */
    LOCKED,
    /** No report for {@link AlignerOptions#lossTimeout()}: the mapping extrapolates the last fit. */
    HOLDOVER,
    /**
     * Never locked yet, or no report for {@link AlignerOptions#holdoverLimit()}: the mapping (if a fit
     * was ever made) is an extrapolation too old to trust for frame-accurate work.
     */
    UNLOCKED
}
