package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class MosquittoTest {

    @Test
    void aFreePortIsBelowTheKernelsEphemeralRangeSoNoBindToPortZeroCanTakeIt() throws Exception {
        int low = Mosquitto.ephemeralLow();
        for (int n = 0; n < 20; n++) {
            int port = Mosquitto.freePort();
            assertThat(port).isBetween(Mosquitto.LOWEST_PORT, low - 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
    }

    @Test
    void aPortSomeoneListensOnIsNotHandedOut() throws Exception {
        try (ServerSocket taken = new ServerSocket(Mosquitto.freePort())) {
            for (int n = 0; n < 200; n++) {
                assertThat(Mosquitto.freePort()).isNotEqualTo(taken.getLocalPort());
            }
        }
    }
}
