package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class MosquittoTest {

    /**
     * The e2e tests poll a collector's {@code /health} every 200 ms for up to a minute; the collector
     * refuses more than 32 open connections from one address. Polling must reuse its connection.
     */
    @Test
    void pollingHealthReusesOneConnection() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] body = "UP".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            for (int i = 0; i < 50; i++) {
                assertThat(Mosquitto.healthStatus(port)).isEqualTo(200);
            }
        } finally {
            server.stop(0);
        }
        assertThat(clientPorts).as("connections opened by 50 polls").hasSizeLessThanOrEqualTo(2);
    }
}
