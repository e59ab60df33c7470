package dev.rigtel.collector.takes;

import java.time.LocalDate;

/**
 * Something the slate said, placed on the production timeline by its timecode. Events are stored
 * as they come and every take is derived from them, sorted by {@link #atNanos()}: the order they
 * arrived in never matters.
 */
public sealed interface SlateEvent {

    /** Unique per event; a re-sent event with the same id replaces itself. */
    String id();

    /** Production time (UTC nanoseconds of the shooting date's timecode) at which it happened. */
    long atNanos();

    /** The timecode label as the slate wrote it, with its rate. */
    String label();

    String rate();

    LocalDate date();

    String type();

    /**
     * Camera starts: a new take.
     *
     * @param stunt a rehearsed stunt or fight: the dashboard raises its impact alert threshold for
     *     the take
     */
    record Roll(
            String id,
            long atNanos,
            String label,
            String rate,
            LocalDate date,
            String scene,
            String shot,
            int take,
            String cameraRoll,
            String notes,
            boolean stunt)
            implements SlateEvent {

        /** A roll without the stunt flag. */
        public Roll(
                String id,
                long atNanos,
                String label,
                String rate,
                LocalDate date,
                String scene,
                String shot,
                int take,
                String cameraRoll,
                String notes) {
            this(id, atNanos, label, rate, date, scene, shot, take, cameraRoll, notes, false);
        }

        @Override
        public String type() {
            return "roll";
        }
    }

    /** Camera stops: the rolling take ends. */
    record Cut(String id, long atNanos, String label, String rate, LocalDate date) implements SlateEvent {
        @Override
        public String type() {
            return "cut";
        }
    }

    /** A take marked good, no good or circled. */
    record Mark(
            String id,
            long atNanos,
            String label,
            String rate,
            LocalDate date,
            String scene,
            String shot,
            int take,
            TakeMark mark,
            String notes)
            implements SlateEvent {
        @Override
        public String type() {
            return "mark";
        }
    }

    /**
     * Impact alerts of {@code rig} ({@link #ALL_RIGS}: every rig) are snoozed until the rolling take
     * is cut. Offline, timecode and battery alerts are never snoozed. It changes no take; it is
     * stored with the slate events so that who snoozed what stays on record.
     */
    record Snooze(String id, long atNanos, String label, String rate, LocalDate date, String rig)
            implements SlateEvent {

        /** The rig of a snooze for every rig. */
        public static final String ALL_RIGS = "*";

        @Override
        public String type() {
            return "snooze";
        }
    }

    /** From {@code atNanos} on, {@code person} wears {@code rig} (empty person: nobody). */
    record Assign(String id, long atNanos, String label, String rate, LocalDate date, String rig, String person)
            implements SlateEvent {
        @Override
        public String type() {
            return "assign";
        }
    }
}
