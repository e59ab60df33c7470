package dev.rigtel.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * The script of a simulated shooting day: the slate events a script supervisor's app sends while the
 * rigs publish, each at a fixed time since the start of the run. A pure function of the options
 * (and the id prefix): no clock, no network, so a test can read the whole day.
 *
 * <p>The day, with {@code S} = {@link SimulatorOptions#takeLength()} and {@code G} =
 * {@link SimulatorOptions#betweenTakes()}:
 *
 * <ul>
 *   <li>at {@value #FIRST_ASSIGN_MILLIS} ms an {@code assign} for every rig (the rigs have published
 *       for a second by then), and before the roll of every {@value #ASSIGN_EVERY_TAKES}rd take after
 *       that again, {@code min(1 s, G / 2)} before the roll: the wearers rotate, so every rig changes
 *       hands during the day;
 *   <li>take 1 rolls at {@value #FIRST_ROLL_MILLIS} ms; each take is cut {@code S} after its roll,
 *       marked {@value #MARK_AFTER_CUT_MILLIS} ms after that, and the next take rolls {@code G} after
 *       the mark;
 *   <li>the take {@link SimulatorOptions#dayMissingCut()}, if any, gets no cut (its mark is still
 *       sent), so that the next roll closes it;
 *   <li>the day ends {@value #END_AFTER_LAST_MARK_MILLIS} ms after the last mark.
 * </ul>
 *
 * <p>Scenes come from {@link #SCENES} in order, each shot in 1 to 3 shots ({@code A}, {@code B},
 * ...), each shot in 1 to 4 takes numbered from 1; the last take of a shot is usually circled, the
 * others are {@code ng}, {@code good} or now and then {@code circled}. Wearer {@code j} of round
 * {@code r} is {@link #wearer(int, int, int)}.
 */
public final class ShootingDay {

    /**
     * The stunt crew who wear the rigs. With a space in every name, a non-ASCII letter and an
     * apostrophe, so that the names' path through JSON, InfluxDB tags and the dashboard is tested.
     */
    public static final List<String> PEOPLE = List.of(
            "Dana Brooks",
            "Zoë Castellanos",
            "Liam O'Neil",
            "Marcus Webb",
            "Priya Raman",
            "Tomasz Wójcik",
            "Kenji Sato",
            "Aisha Bello",
            "Rafael Núñez",
            "Sam Whitaker",
            "Ingrid Halvorsen",
            "Jules Mercier",
            "Bo Lindqvist");

    /** Scene numbers in shooting order; a longer day goes on with {@code 40}, {@code 41}, ... */
    public static final List<String> SCENES =
            List.of("12", "14A", "15", "17", "17B", "21", "23", "24", "26A", "31", "33", "35");

    public static final long FIRST_ASSIGN_MILLIS = 1000;
    public static final long FIRST_ROLL_MILLIS = 2000;
    public static final long MARK_AFTER_CUT_MILLIS = 500;
    public static final long END_AFTER_LAST_MARK_MILLIS = 1000;
    public static final int ASSIGN_EVERY_TAKES = 3;
    /** A new camera roll ({@code A001}, {@code A002}, ...) after this many takes. */
    public static final int TAKES_PER_CAMERA_ROLL = 12;

    private static final long MAX_ASSIGN_LEAD_NANOS = 1_000_000_000L;
    private static final Pattern ID_PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{1,40}");
    private static final List<String> ROLL_NOTES = List.of(
            "stunt double, wire rig", "pickup from the fall", "wild track after", "rehearsal up on cue", "cam B on");
    private static final List<String> NG_NOTES =
            List.of("missed the mark", "boom in shot", "late on the cue", "wire visible");

    private final List<ScriptedSlateEvent> events;
    private final long lengthNanos;

    private ShootingDay(List<ScriptedSlateEvent> events, long lengthNanos) {
        this.events = List.copyOf(events);
        this.lengthNanos = lengthNanos;
    }

    /**
     * A random-looking, per-run prefix of event ids (8 hex digits), so that a second run's events
     * never overwrite the first's: the collector takes a re-sent id as the same event.
     */
    public static String idPrefix(long runNonce) {
        return String.format("%08x", MotionGenerator.mix(runNonce ^ 0x51A7E5L) & 0xFFFF_FFFFL);
    }

    /** How long the day's script lasts, to one second after the last mark; zero without a day. */
    public static Duration scriptLength(SimulatorOptions options) {
        if (!options.hasDay()) {
            return Duration.ZERO;
        }
        long takes = options.dayTakes();
        long markAfterRollNanos = options.takeLength().toNanos() + MARK_AFTER_CUT_MILLIS * 1_000_000;
        long lastMarkNanos = FIRST_ROLL_MILLIS * 1_000_000
                + takes * markAfterRollNanos
                + (takes - 1) * options.betweenTakes().toNanos();
        return Duration.ofNanos(lastMarkNanos + END_AFTER_LAST_MARK_MILLIS * 1_000_000);
    }

    /**
     * The day of {@link SimulatorOptions#dayTakes()} takes (none for 0), ids {@code
     * <prefix>-<counter>-<type>}, e.g. {@code 3fa2c1d0-0007-roll}.
     */
    public static ShootingDay plan(SimulatorOptions options, String idPrefix) {
        if (!ID_PREFIX.matcher(idPrefix).matches()) {
            throw new IllegalArgumentException(
                    "id prefix must be 1 to 40 of A-Z a-z 0-9 _ . : -, got '" + idPrefix + "'");
        }
        if (!options.hasDay()) {
            return new ShootingDay(List.of(), 0);
        }
        Script script = new Script(options, idPrefix);
        long takeNanos = options.takeLength().toNanos();
        long betweenNanos = options.betweenTakes().toNanos();
        long assignLeadNanos = Math.min(MAX_ASSIGN_LEAD_NANOS, betweenNanos / 2);
        SplittableRandom random = new SplittableRandom(MotionGenerator.mix(options.seed() ^ 0x5CE7E5L));
        Setups setups = new Setups(random);
        long rollAt = FIRST_ROLL_MILLIS * 1_000_000;
        long markAt = 0;
        for (int k = 1; k <= options.dayTakes(); k++) {
            if ((k - 1) % ASSIGN_EVERY_TAKES == 0) {
                long assignAt = k == 1 ? FIRST_ASSIGN_MILLIS * 1_000_000 : rollAt - assignLeadNanos;
                script.assignAll(assignAt, k, (k - 1) / ASSIGN_EVERY_TAKES);
            }
            Setups.Take take = setups.next();
            String cameraRoll = String.format("A%03d", 1 + (k - 1) / TAKES_PER_CAMERA_ROLL);
            String rollNotes = random.nextDouble() < 0.25 ? ROLL_NOTES.get(random.nextInt(ROLL_NOTES.size())) : null;
            script.add(new ScriptedSlateEvent(
                    rollAt,
                    SlateEventType.ROLL,
                    script.nextId(SlateEventType.ROLL),
                    k,
                    take.scene,
                    take.shot,
                    take.number,
                    cameraRoll,
                    rollNotes,
                    null,
                    null,
                    null));
            long cutAt = rollAt + takeNanos;
            if (k != options.dayMissingCut()) {
                script.add(new ScriptedSlateEvent(
                        cutAt,
                        SlateEventType.CUT,
                        script.nextId(SlateEventType.CUT),
                        k,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
            }
            markAt = cutAt + MARK_AFTER_CUT_MILLIS * 1_000_000;
            String mark = mark(random, take.lastOfShot);
            String markNotes =
                    mark.equals("ng") && random.nextBoolean() ? NG_NOTES.get(random.nextInt(NG_NOTES.size())) : null;
            script.add(new ScriptedSlateEvent(
                    markAt,
                    SlateEventType.MARK,
                    script.nextId(SlateEventType.MARK),
                    k,
                    take.scene,
                    take.shot,
                    take.number,
                    null,
                    markNotes,
                    mark,
                    null,
                    null));
            rollAt = markAt + betweenNanos;
        }
        return new ShootingDay(script.events, markAt + END_AFTER_LAST_MARK_MILLIS * 1_000_000);
    }

    /** The last take of a shot is usually circled; the others are mostly no good. */
    private static String mark(SplittableRandom random, boolean lastOfShot) {
        double r = random.nextDouble();
        if (lastOfShot) {
            return r < 0.7 ? "circled" : "good";
        }
        return r < 0.5 ? "ng" : r < 0.85 ? "good" : "circled";
    }

    /**
     * Who wears rig {@code rigIndex} (0-based among the run's rigs) in assign round {@code round}:
     * the people take the rigs in turn, shifting by one rig every round, so that no one wears two
     * rigs at once. With more rigs than {@link #PEOPLE}, the rigs left over are worn by nobody (an
     * empty name), and which those are rotates too.
     */
    public static String wearer(int round, int rigIndex, int rigs) {
        int slots = Math.max(rigs, PEOPLE.size());
        int slot = Math.floorMod(rigIndex + round, slots);
        return slot < PEOPLE.size() ? PEOPLE.get(slot) : "";
    }

    /** Every event in the order of its time (events at the same time in the order sent). */
    public List<ScriptedSlateEvent> events() {
        return events;
    }

    /** From the start of the run to one second after the last mark; zero without a day. */
    public Duration length() {
        return Duration.ofNanos(lengthNanos);
    }

    /** Builds the list of events and numbers their ids. */
    private static final class Script {
        private final SimulatorOptions options;
        private final String idPrefix;
        private final List<ScriptedSlateEvent> events = new ArrayList<>();
        private int counter;

        Script(SimulatorOptions options, String idPrefix) {
            this.options = options;
            this.idPrefix = idPrefix;
        }

        String nextId(SlateEventType type) {
            counter++;
            return String.format("%s-%04d-%s", idPrefix, counter, type.label());
        }

        void add(ScriptedSlateEvent event) {
            events.add(event);
        }

        void assignAll(long atNanos, int dayTake, int round) {
            for (int j = 0; j < options.rigs(); j++) {
                add(new ScriptedSlateEvent(
                        atNanos,
                        SlateEventType.ASSIGN,
                        nextId(SlateEventType.ASSIGN),
                        dayTake,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        options.rigId(options.firstRig() + j).value(),
                        wearer(round, j, options.rigs())));
            }
        }
    }

    /** Scenes, their shots and the takes of each, in shooting order. */
    private static final class Setups {
        private final SplittableRandom random;
        private int sceneIndex = -1;
        private int shotsInScene;
        private int shotIndex;
        private int takesInShot;
        private int takeNumber;

        record Take(String scene, String shot, int number, boolean lastOfShot) {}

        Setups(SplittableRandom random) {
            this.random = random;
        }

        Take next() {
            if (takeNumber == takesInShot) {
                takeNumber = 0;
                takesInShot = 1 + random.nextInt(4);
                shotIndex++;
                if (sceneIndex < 0 || shotIndex == shotsInScene) {
                    sceneIndex++;
                    shotIndex = 0;
                    shotsInScene = 1 + random.nextInt(3);
                }
            }
            takeNumber++;
            String scene = sceneIndex < SCENES.size()
                    ? SCENES.get(sceneIndex)
                    : String.valueOf(40 + sceneIndex - SCENES.size());
            String shot = String.valueOf((char) ('A' + shotIndex));
            return new Take(scene, shot, takeNumber, takeNumber == takesInShot);
        }
    }
}
