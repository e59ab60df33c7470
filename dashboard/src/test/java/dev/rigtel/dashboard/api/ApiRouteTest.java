package dev.rigtel.dashboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiRouteTest {

    @Test
    void readsAreAnyGetUnderApi() {
        assertThat(ApiRoute.of("GET", "/api/days/2026-11-21/matrix")).isEqualTo(ApiRoute.READ);
        assertThat(ApiRoute.of("GET", "/api/people/Zo%C3%AB%20Castellanos/exposure"))
                .isEqualTo(ApiRoute.READ);
        assertThat(ApiRoute.of("HEAD", "/api/rigs")).isEqualTo(ApiRoute.READ);
        // Names with escapes and pluses are plain paths (RFC 3986 section 3.3).
        assertThat(ApiRoute.of("GET", "/api/people/50%25%20off/takes")).isEqualTo(ApiRoute.READ);
        assertThat(ApiRoute.of("GET", "/api/people/A%2BB/exposure")).isEqualTo(ApiRoute.READ);
        assertThat(ApiRoute.of("GET", "/api/people/A+B/takes")).isEqualTo(ApiRoute.READ);
    }

    @Test
    void controlsAreTheSlateAndRigCommandsOnly() {
        assertThat(ApiRoute.of("POST", "/api/slate")).isEqualTo(ApiRoute.CONTROL);
        assertThat(ApiRoute.of("POST", "/api/rigs/rig-01/commands")).isEqualTo(ApiRoute.CONTROL);
        assertThat(ApiRoute.of("POST", "/api/rigs//commands")).isEqualTo(ApiRoute.METHOD_NOT_ALLOWED);
        assertThat(ApiRoute.of("POST", "/api/takes/x")).isEqualTo(ApiRoute.METHOD_NOT_ALLOWED);
        assertThat(ApiRoute.of("DELETE", "/api/rigs/rig-01/commands")).isEqualTo(ApiRoute.METHOD_NOT_ALLOWED);
        assertThat(ApiRoute.of("PUT", "/api/slate")).isEqualTo(ApiRoute.METHOD_NOT_ALLOWED);
    }

    @Test
    void refusesPathsThatCouldLeaveTheApi() {
        assertThat(ApiRoute.of("GET", "/api/../metrics")).isEqualTo(ApiRoute.BAD_PATH);
        assertThat(ApiRoute.of("GET", "/api/%2e%2e/metrics")).isEqualTo(ApiRoute.BAD_PATH);
        assertThat(ApiRoute.of("GET", "/api/takes/a%2F..%2Fb")).isEqualTo(ApiRoute.BAD_PATH);
        assertThat(ApiRoute.of("GET", "/api/takes/a\\b")).isEqualTo(ApiRoute.BAD_PATH);
        assertThat(ApiRoute.of("GET", "/api/takes/%zz")).isEqualTo(ApiRoute.BAD_PATH);
        assertThat(ApiRoute.of("GET", "/metrics")).isEqualTo(ApiRoute.BAD_PATH);
    }
}
