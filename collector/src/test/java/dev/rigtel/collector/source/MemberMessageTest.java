package dev.rigtel.collector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MemberMessageTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsThroughItsJson() {
        MemberMessage m = new MemberMessage("m-1", 16, Instant.parse("2026-12-07T00:00:00Z"), "1.0");
        assertThat(new String(m.toJson(), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"member\":\"m-1\",\"partitions\":16,\"started\":\"2026-12-07T00:00:00Z\",\"version\":\"1.0\"}");
        assertThat(MemberMessage.parse("m-1", m.toJson())).isEqualTo(m);
        assertThat(MemberMessage.topic("studio", "m-1")).isEqualTo("rigtel/cluster/studio/members/m-1");
        assertThat(MemberMessage.filter("studio")).isEqualTo("rigtel/cluster/studio/members/+");
    }

    @Test
    void refusesWhatIsNotAMembersMessage() {
        assertThatThrownBy(() -> MemberMessage.parse("m-1", utf8("{not json"))).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> MemberMessage.parse("m-1", utf8("[1]"))).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> MemberMessage.parse(
                        "m\"1", utf8("{\"member\":\"m\\\"1\",\"partitions\":16,\"started\":\"2026-12-07T00:00:00Z\"}")))
                .hasMessageContaining("member id must be");
        assertThatThrownBy(() -> MemberMessage.parse(
                        "m-1", utf8("{\"member\":\"m-2\",\"partitions\":16,\"started\":\"2026-12-07T00:00:00Z\"}")))
                .hasMessageContaining("topic of 'm-1'");
        assertThatThrownBy(() -> MemberMessage.parse(
                        "m-1", utf8("{\"member\":\"m-1\",\"partitions\":\"16\",\"started\":\"2026-12-07T00:00:00Z\"}")))
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> MemberMessage.parse(
                        "m-1", utf8("{\"member\":\"m-1\",\"partitions\":0,\"started\":\"2026-12-07T00:00:00Z\"}")))
                .hasMessageContaining("partitions");
        assertThatThrownBy(() ->
                        MemberMessage.parse("m-1", utf8("{\"member\":\"m-1\",\"partitions\":16,\"started\":\"x\"}")))
                .hasMessageContaining("started");
    }
}
