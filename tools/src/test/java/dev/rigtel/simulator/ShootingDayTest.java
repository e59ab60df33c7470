package dev.rigtel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShootingDayTest {

    private static final long SECOND = 1_000_000_000L;

    private static SimulatorOptions.Builder day(int takes) {
        return SimulatorOptions.builder()
                .rigs(4)
                .slateUsername("slate")
                .dayTakes(takes)
                .takeLength(Duration.ofSeconds(20))
                .betweenTakes(Duration.ofSeconds(5));
    }

    private static List<ScriptedSlateEvent> events(SimulatorOptions options) {
        return ShootingDay.plan(options, "5b0e6c1e").events();
    }

    private static String types(List<ScriptedSlateEvent> events) {
        return events.stream().map(e -> e.type().label().substring(0, 1)).collect(Collectors.joining());
    }

    @Test
    void assignsThenRollCutAndMarkForEveryTakeWithAssignsAgainEveryThirdTake() {
        List<ScriptedSlateEvent> events = events(day(7).build());

        // a = assign (4 rigs), r = roll, c = cut, m = mark.
        assertThat(types(events))
                .isEqualTo("aaaa" + "rcm" + "rcm" + "rcm" + "aaaa" + "rcm" + "rcm" + "rcm" + "aaaa" + "rcm");
        Map<SlateEventType, Long> counts =
                events.stream().collect(Collectors.groupingBy(ScriptedSlateEvent::type, Collectors.counting()));
        assertThat(counts)
                .containsEntry(SlateEventType.ROLL, 7L)
                .containsEntry(SlateEventType.CUT, 7L)
                .containsEntry(SlateEventType.MARK, 7L)
                .containsEntry(SlateEventType.ASSIGN, 12L);
    }

    @Test
    void eachTakeIsCutAfterTheTakeLengthMarkedThenTheNextRollsAfterTheGap() {
        SimulatorOptions options = day(5).build();
        ShootingDay day = ShootingDay.plan(options, "5b0e6c1e");
        List<ScriptedSlateEvent> events = day.events();

        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).offsetNanos())
                    .isGreaterThanOrEqualTo(events.get(i - 1).offsetNanos());
        }
        assertThat(events.get(0).offsetNanos()).isEqualTo(SECOND);
        List<ScriptedSlateEvent> rolls = ofType(events, SlateEventType.ROLL);
        List<ScriptedSlateEvent> cuts = ofType(events, SlateEventType.CUT);
        List<ScriptedSlateEvent> marks = ofType(events, SlateEventType.MARK);
        assertThat(rolls.get(0).offsetNanos()).isEqualTo(2 * SECOND);
        for (int k = 0; k < 5; k++) {
            assertThat(rolls.get(k).dayTake()).isEqualTo(k + 1);
            assertThat(cuts.get(k).offsetNanos()).isEqualTo(rolls.get(k).offsetNanos() + 20 * SECOND);
            assertThat(marks.get(k).offsetNanos()).isEqualTo(cuts.get(k).offsetNanos() + SECOND / 2);
            if (k > 0) {
                assertThat(rolls.get(k).offsetNanos())
                        .isEqualTo(marks.get(k - 1).offsetNanos() + 5 * SECOND);
            }
        }
        // The assigns before take 4 come a second before its roll, in the gap.
        ScriptedSlateEvent secondRound = ofType(events, SlateEventType.ASSIGN).get(4);
        assertThat(secondRound.dayTake()).isEqualTo(4);
        assertThat(secondRound.offsetNanos()).isEqualTo(rolls.get(3).offsetNanos() - SECOND);
        // 2 s + 5 takes of 20.5 s + 4 gaps of 5 s, then 1 s.
        Duration length = Duration.ofMillis(2000 + 5 * 20_500 + 4 * 5000 + 1000);
        assertThat(day.length()).isEqualTo(length).isEqualTo(ShootingDay.scriptLength(options));
        assertThat(marks.get(4).offsetNanos() + SECOND).isEqualTo(length.toNanos());
    }

    @Test
    void takeNumbersCountUpPerSceneAndShotAndMarksNameTheirTake() {
        List<ScriptedSlateEvent> events = events(day(60).build());
        Map<String, Integer> lastTake = new HashMap<>();
        List<String> setups = new ArrayList<>();
        ScriptedSlateEvent rolling = null;
        for (ScriptedSlateEvent event : events) {
            switch (event.type()) {
                case ROLL -> {
                    String setup = event.scene() + "/" + event.shot();
                    assertThat(event.take()).isEqualTo(lastTake.getOrDefault(setup, 0) + 1);
                    lastTake.put(setup, event.take());
                    if (!setups.contains(setup)) {
                        setups.add(setup);
                    }
                    assertThat(event.cameraRoll()).matches("A\\d{3}");
                    assertThat(event.shot()).matches("[A-C]");
                    rolling = event;
                }
                case MARK -> {
                    assertThat(rolling).isNotNull();
                    assertThat(List.of(event.scene(), event.shot(), event.take()))
                            .containsExactly(rolling.scene(), rolling.shot(), rolling.take());
                    assertThat(event.mark()).isIn("good", "ng", "circled");
                }
                case CUT, ASSIGN -> assertThat(event.take()).isNull();
            }
        }
        assertThat(lastTake.values()).allSatisfy(t -> assertThat(t).isBetween(1, 4));
        // Scenes in shooting order: each scene's shots together, from the list.
        List<String> scenes = setups.stream()
                .map(s -> s.substring(0, s.indexOf('/')))
                .distinct()
                .toList();
        assertThat(scenes.subList(0, 5)).containsExactlyElementsOf(ShootingDay.SCENES.subList(0, 5));
        Map<String, String> marks = new LinkedHashMap<>();
        for (ScriptedSlateEvent mark : ofType(events, SlateEventType.MARK)) {
            marks.put(mark.id(), mark.mark());
        }
        assertThat(marks.values()).contains("good", "ng", "circled");
        assertThat(ofType(events, SlateEventType.ROLL).get(12).cameraRoll()).isEqualTo("A002");
    }

    @Test
    void wearersRotateSoThatEveryRigChangesHandsAndNoOneWearsTwo() {
        List<ScriptedSlateEvent> assigns = ofType(events(day(9).build()), SlateEventType.ASSIGN);
        assertThat(assigns).hasSize(12);
        List<Map<String, String>> rounds = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Map<String, String> round = new LinkedHashMap<>();
            for (ScriptedSlateEvent assign : assigns.subList(4 * r, 4 * r + 4)) {
                round.put(assign.rig(), assign.person());
                assertThat(assign.dayTake()).isEqualTo(1 + 3 * r);
            }
            assertThat(round.keySet()).containsExactly("rig-01", "rig-02", "rig-03", "rig-04");
            assertThat(new HashSet<>(round.values())).hasSize(4);
            assertThat(ShootingDay.PEOPLE).containsAll(round.values());
            rounds.add(round);
        }
        for (int r = 1; r < 3; r++) {
            for (String rig : rounds.get(r).keySet()) {
                assertThat(rounds.get(r).get(rig))
                        .isNotEqualTo(rounds.get(r - 1).get(rig));
            }
        }
        assertThat(rounds.get(0)).containsEntry("rig-01", "Dana Brooks").containsEntry("rig-02", "Zoë Castellanos");
        assertThat(rounds.get(1)).containsEntry("rig-01", "Zoë Castellanos").containsEntry("rig-02", "Liam O'Neil");
    }

    @Test
    void theCrewHasThirteenPeopleWithSpacesAccentsAndApostrophes() {
        assertThat(ShootingDay.PEOPLE).hasSize(13).doesNotHaveDuplicates().allMatch(p -> p.contains(" "));
        assertThat(ShootingDay.PEOPLE).contains("Zoë Castellanos", "Liam O'Neil");
        assertThat(ShootingDay.PEOPLE).allMatch(p -> p.length() <= 64);
    }

    @Test
    void withMoreRigsThanPeopleTheRigsLeftOverAreWornByNobody() {
        Set<String> people = new HashSet<>();
        int nobody = 0;
        for (int j = 0; j < 15; j++) {
            String person = ShootingDay.wearer(2, j, 15);
            if (person.isEmpty()) {
                nobody++;
            } else {
                assertThat(people.add(person)).isTrue();
            }
        }
        assertThat(nobody).isEqualTo(2);
        assertThat(people).hasSize(13);
        assertThat(ShootingDay.wearer(2, 0, 15)).isNotEqualTo(ShootingDay.wearer(3, 0, 15));
    }

    @Test
    void theMissingCutLeavesOnlyThatTakeUncutAndTheNextRollFollows() {
        List<ScriptedSlateEvent> events = events(day(4).dayMissingCut(2).build());

        assertThat(types(events)).isEqualTo("aaaa" + "rcm" + "rm" + "rcm" + "aaaa" + "rcm");
        assertThat(ofType(events, SlateEventType.CUT))
                .extracting(ScriptedSlateEvent::dayTake)
                .containsExactly(1, 3, 4);
        ScriptedSlateEvent uncut = ofType(events, SlateEventType.ROLL).get(1);
        ScriptedSlateEvent next = ofType(events, SlateEventType.ROLL).get(2);
        assertThat(next.offsetNanos()).isGreaterThan(uncut.offsetNanos());
        // The timing stays that of a day with every cut.
        assertThat(ShootingDay.plan(day(4).dayMissingCut(2).build(), "x").length())
                .isEqualTo(ShootingDay.plan(day(4).build(), "x").length());
    }

    @Test
    void idsAreUniqueValidAndCarryThePrefix() {
        List<ScriptedSlateEvent> events = events(day(30).rigs(13).build());
        assertThat(events).extracting(ScriptedSlateEvent::id).doesNotHaveDuplicates();
        assertThat(events).allSatisfy(e -> assertThat(e.id())
                .matches("5b0e6c1e-\\d{4,}-(roll|cut|mark|assign)")
                .hasSizeLessThanOrEqualTo(64));
        assertThat(events.get(0).id()).isEqualTo("5b0e6c1e-0001-assign");
        assertThat(ShootingDay.idPrefix(1)).matches("[0-9a-f]{8}").isNotEqualTo(ShootingDay.idPrefix(2));
        assertThatThrownBy(() -> ShootingDay.plan(day(1).build(), "bad prefix")).hasMessageContaining("id prefix");
    }

    @Test
    void theDayIsAFunctionOfTheSeed() {
        assertThat(events(day(20).build())).isEqualTo(events(day(20).build()));
        assertThat(events(day(20).seed(7).build())).isNotEqualTo(events(day(20).build()));
    }

    @Test
    void noDayMeansNoEvents() {
        ShootingDay none = ShootingDay.plan(SimulatorOptions.builder().build(), "x");
        assertThat(none.events()).isEmpty();
        assertThat(none.length()).isZero();
    }

    @Test
    void theDayDecidesTheRunLengthWhenTheDurationIsShorterOrOpen() {
        Duration dayLength = Duration.ofMillis(2000 + 2 * 2500 + 1000 + 1000);
        SimulatorOptions shortDay = day(2).takeLength(Duration.ofSeconds(2))
                .betweenTakes(Duration.ofSeconds(1))
                .duration(Duration.ZERO)
                .build();
        assertThat(shortDay.runDuration()).isEqualTo(dayLength);
        assertThat(SimulatorOptions.builder()
                        .duration(Duration.ofSeconds(3))
                        .build()
                        .runDuration())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(day(2).takeLength(Duration.ofSeconds(2))
                        .betweenTakes(Duration.ofSeconds(1))
                        .duration(Duration.ofSeconds(60))
                        .build()
                        .runDuration())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void rejectsADayItCannotPlay() {
        assertThatThrownBy(() -> day(3).slateUsername("").build()).hasMessageContaining("slate-username");
        assertThatThrownBy(() -> day(3).dayMissingCut(3).build()).hasMessageContaining("day-missing-cut");
        assertThatThrownBy(() -> day(1000).build()).hasMessageContaining("day must be 0..999");
        assertThatThrownBy(() -> day(3).takeLength(Duration.ZERO).build()).hasMessageContaining("take-seconds");
        assertThatThrownBy(() -> day(3).betweenTakes(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("between-takes-seconds");
        assertThat(day(3).dayMissingCut(2).build().dayMissingCut()).isEqualTo(2);
    }

    private static List<ScriptedSlateEvent> ofType(List<ScriptedSlateEvent> events, SlateEventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }
}
