package dev.rigtel.collector.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @Test
    void multiLevelWildcardMatchesTheParentAndEveryLevelBelow() {
        // Section 4.7.1.2: "sport/tennis/player1/#" matches these three.
        assertThat(Topics.matches("sport/tennis/player1/#", "sport/tennis/player1"))
                .isTrue();
        assertThat(Topics.matches("sport/tennis/player1/#", "sport/tennis/player1/ranking"))
                .isTrue();
        assertThat(Topics.matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"))
                .isTrue();
        assertThat(Topics.matches("sport/#", "sport")).isTrue();
        assertThat(Topics.matches("#", "sport/tennis/player1")).isTrue();
        assertThat(Topics.matches("sport/#", "sports")).isFalse();
    }

    @Test
    void singleLevelWildcardMatchesExactlyOneLevel() {
        // Section 4.7.1.3.
        assertThat(Topics.matches("sport/tennis/+", "sport/tennis/player1")).isTrue();
        assertThat(Topics.matches("sport/tennis/+", "sport/tennis/player2")).isTrue();
        assertThat(Topics.matches("sport/tennis/+", "sport/tennis/player1/ranking"))
                .isFalse();
        assertThat(Topics.matches("sport/+", "sport")).isFalse();
        assertThat(Topics.matches("sport/+", "sport/")).isTrue();
        assertThat(Topics.matches("+/tennis/#", "sport/tennis/player1")).isTrue();
    }

    @Test
    void anEmptyFirstLevelIsALevelOfItsOwn() {
        // Section 4.7.1.3: "+" does not match "/finance", "+/+" and "/+" do.
        assertThat(Topics.matches("+", "/finance")).isFalse();
        assertThat(Topics.matches("+/+", "/finance")).isTrue();
        assertThat(Topics.matches("/+", "/finance")).isTrue();
        assertThat(Topics.matches("/finance", "finance")).isFalse();
        assertThat(Topics.matches("finance", "/finance")).isFalse();
    }

    @Test
    void matchingIsCaseSensitiveAndExact() {
        assertThat(Topics.matches("ACCOUNTS", "Accounts")).isFalse();
        assertThat(Topics.matches("Accounts payable", "Accounts payable")).isTrue();
        assertThat(Topics.matches("a/b", "a/b/c")).isFalse();
        assertThat(Topics.matches("a/b/c", "a/b")).isFalse();
    }

    @Test
    void wildcardsAtFirstLevelDoNotMatchDollarTopics() {
        // Section 4.7.2.
        assertThat(Topics.matches("#", "$SYS/monitor/Clients")).isFalse();
        assertThat(Topics.matches("+/monitor/Clients", "$SYS/monitor/Clients")).isFalse();
        assertThat(Topics.matches("#", "$SYS")).isFalse();
        assertThat(Topics.matches("+", "$SYS")).isFalse();
    }

    @Test
    void filtersStartingWithDollarMatchDollarTopics() {
        assertThat(Topics.matches("$SYS/#", "$SYS/monitor/Clients")).isTrue();
        assertThat(Topics.matches("$SYS/#", "$SYS")).isTrue();
        assertThat(Topics.matches("$SYS/monitor/+", "$SYS/monitor/Clients")).isTrue();
        assertThat(Topics.matches("$SYS/monitor/Clients", "$SYS/monitor/Clients"))
                .isTrue();
    }

    @Test
    void aDollarInsideATopicIsOrdinary() {
        assertThat(Topics.matches("#", "rigs/$SYS")).isTrue();
        assertThat(Topics.matches("+/+", "rigs/$price")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "sport/tennis/#", "sport/+/player1", "+/+", "/+", "/", "sport/", "$SYS/#"})
    void acceptsValidFilters(String filter) {
        assertThat(Topics.filterProblem(filter)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport/tennis#", "sport/tennis/#/ranking", "#/", "##", "sport+", "sport/+tennis", "++"})
    void rejectsFiltersWithMisplacedWildcards(String filter) {
        assertThat(Topics.filterProblem(filter)).isNotNull();
    }

    @Test
    void rejectsEmptyNullAndNulFilters() {
        assertThat(Topics.filterProblem("")).isNotNull();
        assertThat(Topics.filterProblem(null)).isNotNull();
        assertThat(Topics.filterProblem("a/\u0000/b")).contains("U+0000");
    }

    @Test
    void rejectsFiltersLongerThan65535Utf8Bytes() {
        assertThat(Topics.filterProblem("a".repeat(65_535))).isNull();
        assertThat(Topics.filterProblem("a".repeat(65_536))).isNotNull();
        // Two bytes each in UTF-8: the limit is on bytes, not characters.
        assertThat(Topics.filterProblem("é".repeat(32_768))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport/tennis/player1", "/finance", "/", "sport/", "$SYS/monitor", "with space"})
    void acceptsValidNames(String name) {
        assertThat(Topics.nameProblem(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport/+", "sport/#", "+", "#", "sport/tennis+"})
    void rejectsNamesWithWildcards(String name) {
        assertThat(Topics.nameProblem(name)).contains("wildcard");
    }

    @Test
    void rejectsEmptyNullNulAndOverlongNames() {
        assertThat(Topics.nameProblem("")).isNotNull();
        assertThat(Topics.nameProblem(null)).isNotNull();
        assertThat(Topics.nameProblem("rigs/\u0000")).contains("U+0000");
        assertThat(Topics.nameProblem("a".repeat(65_535))).isNull();
        assertThat(Topics.nameProblem("é".repeat(32_768))).isNotNull();
    }

    @Test
    void toldWhetherAFilterHasAWildcard() {
        assertThat(Topics.hasWildcard("a/+/b")).isTrue();
        assertThat(Topics.hasWildcard("a/#")).isTrue();
        assertThat(Topics.hasWildcard("a/b")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"$share/", "$share//a", "$share/g", "$share/g+/a", "$share/#/a", "$share/g/a/#/b", "$share/g/"})
    void refusesSharedFiltersWithABadShareNameOrFilter(String filter) {
        // MQTT 5 section 4.8.2: a Share Name of one character or more without '/', '+' or '#', then a filter.
        assertThat(Topics.sharedFilterProblem(filter)).isNotNull();
    }

    @Test
    void splitsASharedFilterIntoItsShareNameAndTheFilterItMatches() {
        assertThat(Topics.sharedFilterProblem("$share/viewers/rigtel/v1/live/+/motion"))
                .isNull();
        assertThat(Topics.shareName("$share/viewers/rigtel/v1/live/+/motion")).isEqualTo("viewers");
        assertThat(Topics.matchedFilter("$share/viewers/rigtel/v1/live/+/motion"))
                .isEqualTo("rigtel/v1/live/+/motion");
        assertThat(Topics.shareName("rigtel/v1/live/#")).isNull();
        assertThat(Topics.matchedFilter("rigtel/v1/live/#")).isEqualTo("rigtel/v1/live/#");
    }
}
