package dev.rigtel.dashboard.api;

import dev.rigtel.dashboard.metrics.DashboardMeters;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * Passes requests to the collector's HTTP API with the JDK's asynchronous {@link HttpClient}, so
 * no thread waits for the collector: the answer completes a future on the given executor. The
 * browser's own credentials never reach the collector; every request goes with the dashboard's own
 * collector user (HTTP Basic): the collector's reads need a viewer, slate or admin user unless it
 * runs with {@code --open-reads}. The collector remembers a password that passed for a few minutes,
 * so this costs it one PBKDF2 check, not one per read.
 *
 * <p>Answers are passed back as they are (status, content type, content disposition, body) up to
 * {@code maxResponseBytes}; a collector that does not answer is a 502 (504 after the timeout),
 * with a JSON {@code error}, like the collector's own errors.
 */
public final class ApiProxy {

    /** The collector's answer, or the proxy's own error answer. */
    public record Answer(int status, String contentType, String contentDisposition, byte[] body) {

        static Answer error(int status, String message) {
            String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\p{Cntrl}", " ");
            return new Answer(
                    status,
                    "application/json",
                    null,
                    ("{\"error\":\"" + escaped + "\"}\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Requests to the collector at once: under its {@code --http-max-connections-per-address} (32),
     * so the dashboard never has a connection refused there however many browsers ask.
     */
    public static final int MAX_IN_FLIGHT = 16;

    /** Requests that may wait for one of those; more are answered 503 at once. */
    public static final int MAX_WAITING = 1024;

    private final String base;
    private final java.util.ArrayDeque<CompletableFuture<Void>> waiting = new java.util.ArrayDeque<>();
    private int inFlight;
    private final String authorization;
    private final Duration timeout;
    private final long maxResponseBytes;
    private final DashboardMeters meters;
    private final HttpClient http;

    /**
     * @param collectorUrl the collector's HTTP base URL, e.g. {@code http://127.0.0.1:8080}
     * @param user the dashboard's collector user (admin, or slate for slate events only); empty for none
     * @param executor runs the HTTP client's work and completes the futures; never an event loop
     */
    public ApiProxy(
            URI collectorUrl,
            String user,
            String password,
            Duration timeout,
            long maxResponseBytes,
            DashboardMeters meters,
            Executor executor) {
        String url = collectorUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.authorization = user.isEmpty()
                ? null
                : "Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.meters = meters;
        // HTTP/1.1 explicitly: the default would try an h2c upgrade the collector does not speak.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * Sends the request on. Never throws: every failure completes the future with an error answer.
     *
     * @param rawPathAndQuery the request's URI as the browser sent it, starting with {@code /api/}
     *     (checked with {@link ApiRoute} before)
     * @param contentType of the body, for POST; null for none
     */
    public CompletableFuture<Answer> forward(String method, String rawPathAndQuery, byte[] body, String contentType) {
        long start = System.nanoTime();
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + rawPathAndQuery))
                    .timeout(timeout)
                    .header("Accept", "*/*");
            if (method.equals("POST")) {
                builder.POST(HttpRequest.BodyPublishers.ofByteArray(body));
                builder.header("Content-Type", contentType == null ? "application/json" : contentType);
            } else {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            }
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Answer.error(400, "not a valid request path"));
        }
        CompletableFuture<Void> turn = turn();
        if (turn == null) {
            meters.proxied(method, "busy", elapsed(start));
            return CompletableFuture.completedFuture(
                    Answer.error(503, MAX_WAITING + " requests already wait for the collector; try again"));
        }
        HttpRequest ready = request;
        CompletableFuture<Answer> answered = turn.thenCompose(go -> send(method, ready, start));
        answered.whenComplete((answer, error) -> done());
        return answered;
    }

    /** A turn to send: complete now if fewer than {@link #MAX_IN_FLIGHT} are out, later if not; null if full. */
    private synchronized CompletableFuture<Void> turn() {
        if (inFlight < MAX_IN_FLIGHT) {
            inFlight++;
            return CompletableFuture.completedFuture(null);
        }
        if (waiting.size() >= MAX_WAITING) {
            return null;
        }
        CompletableFuture<Void> later = new CompletableFuture<>();
        waiting.addLast(later);
        return later;
    }

    /** A request finished: its turn goes to the longest waiting, if any. */
    private void done() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.complete(null);
        }
    }

    private CompletableFuture<Answer> send(String method, HttpRequest request, long start) {
        return http.sendAsync(request, info -> new LimitedBody(maxResponseBytes))
                .thenApply(response -> {
                    Answer answer = new Answer(
                            response.statusCode(),
                            response.headers().firstValue("Content-Type").orElse(null),
                            response.headers().firstValue("Content-Disposition").orElse(null),
                            response.body());
                    meters.proxied(method, (response.statusCode() / 100) + "xx", elapsed(start));
                    return answer;
                })
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    Answer answer;
                    String result;
                    if (cause instanceof TooLargeException) {
                        result = "too-large";
                        answer = Answer.error(
                                502,
                                "the collector's answer is larger than " + maxResponseBytes
                                        + " bytes; ask for less (e.g. a smaller max_points)");
                    } else if (cause instanceof HttpTimeoutException
                            && !(cause instanceof HttpConnectTimeoutException)) {
                        result = "timeout";
                        answer = Answer.error(504, "the collector did not answer within " + timeout.toSeconds() + " s");
                    } else {
                        result = "unreachable";
                        answer = Answer.error(
                                502,
                                "the collector at " + base + " cannot be reached"
                                        + (cause instanceof ConnectException ? "" : ": " + cause));
                    }
                    meters.proxied(method, result, elapsed(start));
                    return answer;
                });
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("answer over " + limit + " bytes");
        }
    }

    /** Collects the body up to a limit; past it, cancels the download and fails. */
    static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final List<ByteBuffer> buffers = new ArrayList<>();
        private long size;
        private Flow.Subscription subscription;

        LimitedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                size += item.remaining();
                buffers.add(item);
            }
            if (size > limit) {
                buffers.clear();
                subscription.cancel();
                result.completeExceptionally(new TooLargeException(limit));
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            byte[] body = new byte[(int) size];
            int at = 0;
            for (ByteBuffer buffer : buffers) {
                int n = buffer.remaining();
                buffer.get(body, at, n);
                at += n;
            }
            result.complete(body);
        }
    }
}
