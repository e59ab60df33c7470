package dev.rigtel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathSegmentsTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "50%25%20off|50% off",
                "A%2BB|A+B",
                "A+B|A+B",
                "rig%2F07|rig/07",
                "Zo%C3%AB|Zoë",
                "Zoë|Zoë",
                "%2525|%25",
                "plain|plain",
            })
    void decodesEachEscapeOnceAndLeavesPlusAlone(String raw, String decoded) {
        assertThat(PathSegments.of("/api/people/" + raw + "/takes")).containsExactly("api", "people", decoded, "takes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%2", "50%zz", "%G0", "%E2%82", "%C0%AF"})
    void aBadEscapeIsTheClientsError(String raw) {
        assertThatThrownBy(() -> PathSegments.of("/api/people/" + raw))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("malformed path segment");
    }

    @org.junit.jupiter.api.Test
    void emptySegmentsAreSkipped() {
        assertThat(PathSegments.of("//api///rigs/")).isEqualTo(List.of("api", "rigs"));
    }
}
