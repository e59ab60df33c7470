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
 *
 * <p><b>Several collectors.</b> Given several URLs (collectors of one shoot share their InfluxDB, so
 * any healthy one answers a read the same, and slate events reach every collector through the
 * broker), a request goes to the collector that answered last (the first URL to begin with). It
 * goes on to the next URL, in order and round to the start, when that one cannot be connected to,
 * or answers {@code 502} or {@code 503}; a {@code GET} also when the connection fails after it was
 * sent (nothing is changed by a read; a {@code POST} that may have arrived is not sent twice). A
 * {@code 4xx}, any other answer and a timeout are passed back as they are. Each move to the next
 * URL is counted ({@code rigtel.dashboard.proxy.failovers}); the URL that answers is remembered
 * for the next request. Once every URL failed, the last failure is the answer.
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

    private final List<String> bases;
    /** The index in {@link #bases} of the collector that answered last. */
    private final java.util.concurrent.atomic.AtomicInteger preferred = new java.util.concurrent.atomic.AtomicInteger();

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
        this(List.of(collectorUrl), user, password, timeout, maxResponseBytes, meters, executor);
    }

    /**
     * @param collectorUrls the collectors' HTTP base URLs, tried in this order (at least one)
     * @param user the dashboard's collector user (admin, or slate for slate events only); empty for none
     * @param executor runs the HTTP client's work and completes the futures; never an event loop
     */
    public ApiProxy(
            List<URI> collectorUrls,
            String user,
            String password,
            Duration timeout,
            long maxResponseBytes,
            DashboardMeters meters,
            Executor executor) {
        if (collectorUrls.isEmpty()) {
            throw new IllegalArgumentException("the proxy needs at least one collector URL");
        }
        this.bases = collectorUrls.stream()
                .map(URI::toString)
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .toList();
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
        try {
            // Checked once here: every base is scheme://host:port, so one that builds, all do.
            request(bases.get(0), method, rawPathAndQuery, body, contentType);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Answer.error(400, "not a valid request path"));
        }
        CompletableFuture<Void> turn = turn();
        if (turn == null) {
            meters.proxied(method, "busy", elapsed(start));
            return CompletableFuture.completedFuture(
                    Answer.error(503, MAX_WAITING + " requests already wait for the collector; try again"));
        }
        int first = preferred.get();
        CompletableFuture<Answer> answered =
                turn.thenCompose(go -> attempt(method, rawPathAndQuery, body, contentType, first, 0, start));
        answered.whenComplete((answer, error) -> done());
        return answered;
    }

    /** The collector that answered last, where the next request goes first. */
    public String currentUrl() {
        return bases.get(preferred.get());
    }

    /**
     * Tries the collector {@code tried} places after {@code first}, and on a failover the next.
     *
     * @param start when this attempt began, for {@code rigtel.dashboard.proxy.requests} (the first
     *     includes the wait for a turn, as with one collector)
     */
    private CompletableFuture<Answer> attempt(
            String method, String rawPathAndQuery, byte[] body, String contentType, int first, int tried, long start) {
        int index = (first + tried) % bases.size();
        HttpRequest request = request(bases.get(index), method, rawPathAndQuery, body, contentType);
        return send(method, request, bases.get(index), start).thenCompose(sent -> {
            String failover = failoverReason(method, sent);
            if (failover != null && tried + 1 < bases.size()) {
                meters.failover(failover);
                return attempt(method, rawPathAndQuery, body, contentType, first, tried + 1, System.nanoTime());
            }
            if (failover == null) {
                preferred.set(index);
            }
            return CompletableFuture.completedFuture(sent.answer());
        });
    }

    /**
     * Why this answer moves the request to the next collector ({@code rigtel.dashboard.proxy.failovers}'s
     * reason), or null if it is the answer.
     */
    static String failoverReason(String method, Sent sent) {
        if (sent.result().equals("unreachable")) {
            return sent.connected() && !method.equals("GET") ? null : "unreachable";
        }
        if (sent.result().equals("5xx")) {
            int status = sent.answer().status();
            return status == 502 ? "bad-gateway" : status == 503 ? "unavailable" : null;
        }
        return null;
    }

    private HttpRequest request(String base, String method, String rawPathAndQuery, byte[] body, String contentType) {
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
        return builder.build();
    }

    /**
     * One attempt's outcome.
     *
     * @param result the {@code rigtel.dashboard.proxy.requests} result
     * @param connected false when no connection was made (nothing reached the collector)
     */
    record Sent(Answer answer, String result, boolean connected) {}

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

    private CompletableFuture<Sent> send(String method, HttpRequest request, String base, long start) {
        return http.sendAsync(request, info -> new LimitedBody(maxResponseBytes))
                .thenApply(response -> {
                    Answer answer = new Answer(
                            response.statusCode(),
                            response.headers().firstValue("Content-Type").orElse(null),
                            response.headers().firstValue("Content-Disposition").orElse(null),
                            response.body());
                    String result = (response.statusCode() / 100) + "xx";
                    meters.proxied(method, result, elapsed(start));
                    return new Sent(answer, result, true);
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
                    boolean connected =
                            !(cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException);
                    return new Sent(answer, result, connected);
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
