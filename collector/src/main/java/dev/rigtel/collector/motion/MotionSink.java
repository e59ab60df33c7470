package dev.rigtel.collector.motion;

/**
 * Receives what a {@link RigMotion} derives from one rig's samples, on the thread that feeds it.
 * Calls arrive in stream order; an implementation must not call back into the same {@link RigMotion}.
 */
public interface MotionSink {

    /** One closed UTC second of the rig's stream. */
    void rollup(Rollup r);

    /** One completed event: impact, head turn, whip pan, clipping run or dropout. */
    void event(MotionEvent e);
}
