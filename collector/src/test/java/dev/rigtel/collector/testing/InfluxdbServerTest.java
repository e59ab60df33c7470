package dev.rigtel.collector.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves the harness: a real influxd that stores, answers queries and survives a restart. */
class InfluxdbServerTest {

    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final String TWO_POINTS =
            "imu,rig=rig-01 ax=0.5,ay=-1.25 " + T0 + "\n" + "imu,rig=rig-02 ax=2.0,ay=3.5 " + (T0 + 1_000_000) + "\n";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static InfluxdbServer influx;

    @BeforeAll
    static void startInfluxdb() {
        influx = InfluxdbServer.start();
    }

    @AfterAll
    static void closeInfluxdb() {
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void readsBackPointsWrittenOverHttp() throws Exception {
        influx.createDatabase("readback");

        assertThat(write("readback", TWO_POINTS)).isEqualTo(204);

        List<List<Object>> rows = influx.query("readback", "SELECT ax, ay, rig FROM imu");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(T0, 0.5, -1.25, "rig-01");
        assertThat(((Number) rows.get(1).get(0)).longValue()).isEqualTo(T0 + 1_000_000);
        // A float field holding a whole number comes back without its decimal point.
        assertThat(((Number) rows.get(1).get(1)).doubleValue()).isEqualTo(2.0);
    }

    @Test
    void groupsRowsByTag() throws Exception {
        influx.createDatabase("grouped");
        write("grouped", TWO_POINTS);

        Map<String, List<List<Object>>> counts =
                influx.queryByTag("grouped", "SELECT count(ax) FROM imu GROUP BY rig", "rig");

        assertThat(counts).containsOnlyKeys("rig-01", "rig-02");
        assertThat(counts.get("rig-01")).singleElement().satisfies(row -> assertThat(row.get(1))
                .isEqualTo(1));
    }

    @Test
    void keepsDataAndPortAcrossRestart() throws Exception {
        influx.createDatabase("durable");
        write("durable", TWO_POINTS);
        int port = influx.port();

        influx.restart();

        assertThat(influx.port()).isEqualTo(port);
        assertThat(influx.url()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(influx.query("durable", "SELECT count(ax) FROM imu"))
                .singleElement()
                .satisfies(row -> assertThat(row.get(1)).isEqualTo(2));
        assertThat(write("durable", "imu,rig=rig-03 ax=1 " + (T0 + 2_000_000))).isEqualTo(204);
    }

    @Test
    void returnsNoRowsForAnEmptyResult() {
        influx.createDatabase("empty");

        assertThat(influx.query("empty", "SELECT ax FROM imu")).isEmpty();
    }

    @Test
    void reportsInfluxErrorsWithTheQuery() {
        assertThatThrownBy(() -> influx.query("no_such_db", "SELECT ax FROM imu"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("database not found")
                .hasMessageContaining("SELECT ax FROM imu");
    }

    @Test
    void closeStopsTheServerAndDeletesItsDirectory() throws Exception {
        InfluxdbServer own = InfluxdbServer.start();
        Path dir = own.directory();
        String ping = own.url() + "/ping";
        assertThat(dir).isDirectory();

        own.close();

        assertThat(Files.exists(dir)).isFalse();
        assertThatThrownBy(() -> HTTP.send(
                        HttpRequest.newBuilder(URI.create(ping)).build(), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(IOException.class);
    }

    private static int write(String db, String lineProtocol) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(influx.url() + "/write?db=" + db + "&precision=ns"))
                .POST(HttpRequest.BodyPublishers.ofString(lineProtocol))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("write answer: %s", response.body())
                .isEqualTo(204);
        return response.statusCode();
    }
}
