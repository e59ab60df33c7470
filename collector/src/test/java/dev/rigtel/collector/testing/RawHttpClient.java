package dev.rigtel.collector.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a plain socket that sends exactly the bytes a test gives it (two requests in
 * one write, half a request, one byte) and reads the answers as they come, for what a library client
 * hides: pipelining, slow senders, connections the server closes. Every read has a time limit, so a
 * test fails rather than hangs.
 */
public final class RawHttpClient implements AutoCloseable {

    /** A response as read: status, headers (names in lower case) and body. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;

    private RawHttpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Connects to 127.0.0.1:{@code port}; reads wait at most 20 s. */
    public static RawHttpClient open(int port) {
        return open("127.0.0.1", port);
    }

    /** Connects to {@code host}:{@code port} (an address: no name is looked up); reads wait at most 20 s. */
    public static RawHttpClient open(String host, int port) {
        return open(host, port, null);
    }

    /**
     * Connects to 127.0.0.1:{@code port} from the local address {@code from}, e.g. {@code 127.0.0.2}
     * (any 127.x.y.z is this machine on Linux): another client address for the server.
     */
    public static RawHttpClient openFrom(String from, int port) {
        return open("127.0.0.1", port, from);
    }

    private static RawHttpClient open(String host, int port, String from) {
        try {
            Socket socket = new Socket();
            if (from != null) {
                socket.bind(new InetSocketAddress(from, 0));
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(20_000);
            return new RawHttpClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} (ISO-8859-1, as HTTP heads are) in one write. */
    public RawHttpClient send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next response; its body is read by {@code Content-Length} (none: empty). */
    public Response read() {
        try {
            String statusLine = line();
            if (statusLine == null) {
                throw new IllegalStateException("the server closed the connection before a response");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(); line != null && !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the server closes the connection within {@code within} without sending anything more
     * (end of stream or a reset); false if it stays open that long.
     *
     * @throws IllegalStateException if the server sends bytes instead
     */
    public boolean closedByServer(Duration within) {
        try {
            socket.setSoTimeout((int) Math.max(1, within.toMillis()));
            int next = in.read();
            if (next >= 0) {
                throw new IllegalStateException("the server sent a byte (" + next + ") instead of closing");
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                socket.setSoTimeout(20_000);
            } catch (SocketException e) {
                // closed meanwhile
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
