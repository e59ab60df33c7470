package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values from rigs and people, written through our line protocol encoder into a real InfluxDB, come
 * back as written (with the documented substitutions) and never create other points, tags or fields.
 */
class HostileValuesIT {

    private static final List<String> HOSTILE = List.of(
            "plain",
            "comma,rig=evil",
            "equals=sign",
            "two words",
            "\"quoted\"",
            "trailing\\",
            "back\\slash,and comma",
            "new\nline m2 f=1 1",
            "tab\there",
            "Zoë Ångström 🎥 李",
            "x=1 y=2,z=3 4");

    private static String expectedBack(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            out.append(c == '\\' ? '/' : Character.isISOControl(c) ? '\uFFFD' : c);
        }
        return out.toString();
    }

    @Test
    void hostileTagAndStringValuesCannotAlterOtherPoints() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start();
                InfluxStore store = new InfluxStore(
                        InfluxOptions.of(influx.url(), TestCollector.DATABASE, true, Duration.ofSeconds(10)))) {
            store.createDatabase();
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < HOSTILE.size(); i++) {
                LineProtocol.measurement(lines, "wear");
                LineProtocol.tag(lines, "person", HOSTILE.get(i));
                LineProtocol.firstField(lines, "i", (long) i);
                LineProtocol.field(lines, "note", HOSTILE.get(i));
                LineProtocol.end(lines, 1_000_000_000L + i);
            }
            store.write(lines.toString(), HOSTILE.size());

            Map<String, List<List<Object>>> byPerson =
                    influx.queryByTag(TestCollector.DATABASE, "SELECT i, note FROM wear GROUP BY person", "person");
            assertThat(byPerson).hasSize(HOSTILE.size());
            for (int i = 0; i < HOSTILE.size(); i++) {
                List<List<Object>> rows = byPerson.get(expectedBack(HOSTILE.get(i)));
                assertThat(rows).as("person %s", HOSTILE.get(i)).hasSize(1);
                assertThat(((Number) rows.get(0).get(1)).intValue()).isEqualTo(i);
                assertThat(rows.get(0).get(2)).isEqualTo(HOSTILE.get(i).replaceAll("\\p{Cntrl}", "\uFFFD"));
            }
            assertThat(influx.query(TestCollector.DATABASE, "SHOW MEASUREMENTS"))
                    .extracting(r -> r.get(0))
                    .containsExactly("wear");
            assertThat(influx.query(TestCollector.DATABASE, "SHOW FIELD KEYS FROM wear"))
                    .extracting(r -> r.get(0))
                    .containsExactlyInAnyOrder("i", "note");
            assertThat(influx.query(TestCollector.DATABASE, "SHOW TAG KEYS FROM wear"))
                    .extracting(r -> r.get(0))
                    .containsExactly("person");
        }
    }
}
