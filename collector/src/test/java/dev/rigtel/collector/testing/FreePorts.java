package dev.rigtel.collector.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for a server a test starts later by number: a child process (influxd, Mosquitto,
 * the collector's jar) or a server in the test's own JVM given a port rather than 0.
 *
 * <p>A port from {@code bind(0)}, released at once, is the kernel's to hand out again: any other
 * {@code bind(0)} or outgoing connection may take it before the server binds it, and the server
 * then exits with "Address already in use" (a CI failure of ConsumerModeIT). These ports come from
 * below the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}), where the
 * kernel hands out nothing by itself.
 *
 * <p>A server that binds port 0 itself and reads its port back needs none of this. Shared with
 * the tools' and the dashboard's tests through the collector's test-jar.
 */
public final class FreePorts {

    /** The lowest port {@link #freePort} hands out. */
    public static final int LOWEST_PORT = 10_000;

    private FreePorts() {}

    /** A port free now and below the kernel's ephemeral range. */
    public static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** Distinct ports free now and below the kernel's ephemeral range. */
    public static int[] freePorts(int count) throws IOException {
        int below = ephemeralLow();
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                // Each one held (listening) until all are chosen, so none is chosen twice.
                ServerSocket socket = below - LOWEST_PORT < 1_000 ? new ServerSocket(0) : holdOneBelow(below);
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private static ServerSocket holdOneBelow(int below) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tries = 0; tries < 100; tries++) {
            ServerSocket socket = new ServerSocket();
            try {
                // Any address: refused if anyone listens on the port on any address.
                socket.bind(new InetSocketAddress(random.nextInt(LOWEST_PORT, below)));
                return socket;
            } catch (IOException taken) {
                socket.close(); // try another
            }
        }
        throw new IOException("no free port between " + LOWEST_PORT + " and " + below);
    }

    /** The first port of the kernel's ephemeral range; 32768 (Linux's default) if unknown. */
    public static int ephemeralLow() {
        // Read as a stream: /proc files may announce a size that is not theirs, and readString trusts it.
        try (BufferedReader in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
