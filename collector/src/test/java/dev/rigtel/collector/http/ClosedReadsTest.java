package dev.rigtel.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.api.ApiRequest;
import dev.rigtel.collector.api.ApiResponse;
import dev.rigtel.collector.api.ReadAccess;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.CredentialsFile;
import dev.rigtel.collector.auth.PasswordHasher;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.metrics.HttpMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of the API and /metrics need a viewer, slate or admin user unless --open-reads (issue 14:
 * before, anyone who reached the port read every take, person and command, admin names included).
 */
class ClosedReadsTest {

    @TempDir
    Path dir;

    private final List<ApiRequest> seen = new CopyOnWriteArrayList<>();
    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private void start(boolean open) throws Exception {
        Path file = dir.resolve("credentials");
        CredentialsFile.empty()
                .with(entry("floor", Role.VIEWER))
                .with(entry("slate", Role.SLATE))
                .with(entry("dit", Role.ADMIN))
                .with(entry("rig-01", Role.RIG))
                .with(entry("cart", Role.IMPORT))
                .save(file);
        Authenticator authenticator = new Authenticator(file, Runnable::run);
        channel = new EmbeddedChannel(
                new HttpServerCodec(),
                new HttpObjectAggregator(64 * 1024),
                new HttpRoutes(
                        () -> "rigtel_up 1\n",
                        () -> new HttpRoutes.Health(true, "{\"status\":\"UP\"}"),
                        request -> {
                            seen.add(request);
                            return ApiResponse.json(200, "{\"takes\":[]}".getBytes(StandardCharsets.UTF_8));
                        },
                        Runnable::run,
                        new ReadAccess(authenticator, open),
                        new HttpMeters(new SimpleMeterRegistry())));
    }

    private static CredentialsFile.Entry entry(String user, Role role) {
        return new CredentialsFile.Entry(user, role, PasswordHasher.hash(("pw-" + user).toCharArray(), 1000));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String send(String method, String target, String authorization) {
        String headers = "Host: c\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n");
        channel.writeInbound(Unpooled.copiedBuffer(
                method + " " + target + " HTTP/1.1\r\n" + headers + "Content-Length: 0\r\n\r\n",
                StandardCharsets.UTF_8));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) message;
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    @Test
    void aReadWithoutCredentialsIsChallengedAndNeverReachesTheApi() throws Exception {
        start(false);

        String answer = send("GET", "/api/days/2026-11-21/takes", null);

        assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("www-authenticate: Basic realm=\"rigtel\"");
        assertThat(seen).isEmpty();
        assertThat(send("GET", "/metrics", null)).startsWith("HTTP/1.1 401").doesNotContain("rigtel_up");
    }

    @Test
    void viewersSlateUsersAndAdminsRead() throws Exception {
        start(false);

        for (String user : List.of("floor", "slate", "dit")) {
            assertThat(send("GET", "/api/rigs", basic(user, "pw-" + user)))
                    .as(user)
                    .startsWith("HTTP/1.1 200");
        }
        assertThat(send("GET", "/metrics", basic("floor", "pw-floor")))
                .startsWith("HTTP/1.1 200")
                .contains("rigtel_up 1");
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0).remoteAddress()).isNotBlank();
    }

    @Test
    void aRigAccountReadsNothingAndAWrongPasswordIsChallenged() throws Exception {
        start(false);

        assertThat(send("GET", "/api/rigs", basic("rig-01", "pw-rig-01"))).startsWith("HTTP/1.1 403");
        assertThat(send("GET", "/api/rigs", basic("floor", "guess")))
                .startsWith("HTTP/1.1 401")
                .contains("wrong username or password");
        assertThat(send("GET", "/api/rigs", "Basic !!!not-base64")).startsWith("HTTP/1.1 401");
        assertThat(seen).isEmpty();
    }

    @Test
    void anImportAccountReadsOnlyItsClipsProgress() throws Exception {
        start(false);

        assertThat(send("GET", "/api/import/C333-GX010042-15:44:35:10", basic("cart", "pw-cart")))
                .startsWith("HTTP/1.1 200");
        assertThat(send("GET", "/api/rigs", basic("cart", "pw-cart")))
                .startsWith("HTTP/1.1 403")
                .contains("role import reads only /api/import/");
        assertThat(send("GET", "/metrics", basic("cart", "pw-cart"))).startsWith("HTTP/1.1 403");
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).path()).startsWith("/api/import/");
    }

    @Test
    void healthStaysOpen() throws Exception {
        start(false);

        assertThat(send("GET", "/health", null)).startsWith("HTTP/1.1 200").contains("\"status\":\"UP\"");
    }

    @Test
    void writesKeepTheirOwnChecksInTheApi() throws Exception {
        start(false);

        assertThat(send("POST", "/api/slate", null)).startsWith("HTTP/1.1 200");
        assertThat(seen).extracting(ApiRequest::method).containsExactly("POST");
    }

    @Test
    void withOpenReadsAnyoneReads() throws Exception {
        start(true);

        assertThat(send("GET", "/api/rigs", null)).startsWith("HTTP/1.1 200");
        assertThat(send("GET", "/metrics", null)).startsWith("HTTP/1.1 200").contains("rigtel_up 1");
    }
}
