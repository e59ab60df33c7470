package dev.rigtel.collector.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void aFreePortIsBelowTheKernelsEphemeralRangeSoNoBindToPortZeroCanTakeIt() throws Exception {
        int low = FreePorts.ephemeralLow();
        for (int n = 0; n < 20; n++) {
            int port = FreePorts.freePort();
            assertThat(port).isBetween(FreePorts.LOWEST_PORT, low - 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
    }

    @Test
    void aPortSomeoneListensOnIsNotHandedOut() throws Exception {
        try (ServerSocket taken = new ServerSocket(FreePorts.freePort())) {
            for (int n = 0; n < 200; n++) {
                assertThat(FreePorts.freePort()).isNotEqualTo(taken.getLocalPort());
            }
        }
    }

    @Test
    void portsChosenTogetherAreDistinct() throws Exception {
        int low = FreePorts.ephemeralLow();
        for (int n = 0; n < 20; n++) {
            int[] ports = FreePorts.freePorts(5);
            assertThat(ports).doesNotHaveDuplicates();
            for (int port : ports) {
                assertThat(port).isBetween(FreePorts.LOWEST_PORT, low - 1);
            }
        }
    }
}
