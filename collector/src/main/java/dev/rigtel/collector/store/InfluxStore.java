package dev.rigtel.collector.store;

import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.InfluxDBIOException;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InfluxDB through the influxdb-java client and the v1 HTTP API. Writes take line protocol
 * encoded by {@link LineProtocol} (nanosecond precision, gzip); queries are InfluxQL. Blocking:
 * call it only from the writer thread or other worker threads, never from an event loop.
 */
public final class InfluxStore implements PointSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InfluxStore.class);

    private final InfluxDB client;
    private final InfluxOptions options;
    private volatile boolean triedCreate;

    public InfluxStore(InfluxOptions options) {
        this.options = options;
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(options.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(options.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(options.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(true)
                .socketFactory(new NoDelaySocketFactory());
        if (options.gzip()) {
            http.addInterceptor(new GzipWrites());
        }
        if (!options.token().isEmpty()) {
            String header = "Token " + options.token();
            http.addInterceptor(chain -> chain.proceed(
                    chain.request().newBuilder().header("Authorization", header).build()));
        }
        this.client = options.username().isEmpty()
                ? InfluxDBFactory.connect(options.url(), http)
                : InfluxDBFactory.connect(options.url(), options.username(), options.password(), http);
        client.setLogLevel(InfluxDB.LogLevel.NONE);
    }

    /**
     * Creates the database if the server allows it (1.x). 2.x and 3.x refuse {@code CREATE
     * DATABASE} through the v1 API: there the bucket or database must exist; we log and go on.
     */
    public void createDatabase() {
        triedCreate = true;
        try {
            QueryResult result = client.query(
                    new Query("CREATE DATABASE \"" + options.database().replace("\"", "\\\"") + "\""));
            if (result.hasError()) {
                log.info("CREATE DATABASE {} refused ({}); assuming it exists", options.database(), result.getError());
            }
        } catch (InfluxDBException e) {
            log.info(
                    "CREATE DATABASE {} not possible here ({}); assuming it exists",
                    options.database(),
                    e.getMessage());
        }
    }

    /**
     * Creates the retention policies the collector writes to, where the server allows it (1.x): the
     * raw samples' policy with {@link InfluxOptions#rawRetention()} (altered to it if it exists with
     * another duration), and {@code --influx-rp} if one is named (kept for good; an existing one is
     * left as it is). 2.x and 3.x map policies to buckets or databases themselves: there they must be
     * mapped beforehand (collector README); we log and go on.
     */
    public void createRetentionPolicies() {
        String db = Influxql.identifier(options.database());
        String raw = Influxql.identifier(options.rawRetentionPolicy());
        String duration =
                options.rawRetention().isZero() ? "INF" : options.rawRetention().toSeconds() + "s";
        try {
            // 1.x: CREATE of an existing policy with the same settings is a no-op, with others an error.
            String error = error(client.query(new Query(
                    "CREATE RETENTION POLICY " + raw + " ON " + db + " DURATION " + duration + " REPLICATION 1")));
            if (error != null && error.contains("already exists")) {
                error = error(client.query(
                        new Query("ALTER RETENTION POLICY " + raw + " ON " + db + " DURATION " + duration)));
                if (error == null) {
                    log.info("retention policy {} now keeps raw samples for {}", raw, duration);
                }
            }
            if (error != null) {
                log.info("cannot create retention policy {} ({}); assuming it is mapped", raw, error);
            }
            if (!options.retentionPolicy().isEmpty()) {
                client.query(new Query("CREATE RETENTION POLICY " + Influxql.identifier(options.retentionPolicy())
                        + " ON " + db + " DURATION INF REPLICATION 1"));
            }
        } catch (InfluxDBException e) {
            log.info("retention policies cannot be created here ({}); assuming they are mapped", e.getMessage());
        }
    }

    /** The answer's error, or its first statement's; null if none. */
    private static String error(QueryResult result) {
        if (result.hasError()) {
            return result.getError();
        }
        if (result.getResults() != null) {
            for (QueryResult.Result r : result.getResults()) {
                if (r.hasError()) {
                    return r.getError();
                }
            }
        }
        return null;
    }

    /**
     * The measurement as a query's FROM names it: qualified with the retention policy it is written
     * to, {@link InfluxOptions#rawRetentionPolicy()} for {@link Measurements#IMU}, {@code --influx-rp}
     * (when set) for every other.
     */
    public String from(String measurement) {
        String policy = measurement.equals(Measurements.IMU) ? options.rawRetentionPolicy() : options.retentionPolicy();
        return policy.isEmpty()
                ? Influxql.identifier(measurement)
                : Influxql.identifier(policy) + "." + Influxql.identifier(measurement);
    }

    /**
     * Writes points: raw IMU samples ({@code imu} lines) to the raw samples' retention policy, every
     * other point to the collector's; two requests when a batch holds both, either of which may be
     * retried (points overwrite themselves).
     */
    @Override
    public void write(String lines, int points) throws SinkException {
        int firstRaw = rawLineAt(lines);
        if (firstRaw < 0) {
            write(options.retentionPolicy(), lines);
            return;
        }
        StringBuilder raw = new StringBuilder(lines.length());
        StringBuilder rest = new StringBuilder(Math.min(lines.length(), 4096));
        int start = 0;
        int n = lines.length();
        // Lines of one kind come in runs (a batch's samples, then its rollups): copy run by run.
        int runStart = 0;
        boolean runRaw = lines.startsWith(RAW_LINE, 0);
        while (start < n) {
            int end = lines.indexOf('\n', start);
            end = end < 0 ? n : end + 1;
            boolean isRaw = lines.startsWith(RAW_LINE, start);
            if (isRaw != runRaw) {
                (runRaw ? raw : rest).append(lines, runStart, start);
                runStart = start;
                runRaw = isRaw;
            }
            start = end;
        }
        (runRaw ? raw : rest).append(lines, runStart, n);
        write(options.rawRetentionPolicy(), raw.toString());
        if (rest.length() > 0) {
            write(options.retentionPolicy(), rest.toString());
        }
    }

    private static final String RAW_LINE = Measurements.IMU + ",";

    /** Where the first raw sample line starts, or -1. */
    private static int rawLineAt(String lines) {
        if (lines.startsWith(RAW_LINE)) {
            return 0;
        }
        int at = lines.indexOf("\n" + RAW_LINE);
        return at < 0 ? -1 : at + 1;
    }

    private void write(String retentionPolicy, String lines) throws SinkException {
        try {
            client.write(
                    options.database(), retentionPolicy, InfluxDB.ConsistencyLevel.ONE, TimeUnit.NANOSECONDS, lines);
        } catch (InfluxDBIOException e) {
            throw new SinkException(
                    e.getCause() instanceof java.net.SocketTimeoutException ? "timeout" : "unreachable",
                    true,
                    String.valueOf(e.getMessage()),
                    e);
        } catch (InfluxDBException.DatabaseNotFoundException e) {
            if (!triedCreate) {
                createDatabase();
            }
            throw new SinkException("no-database", true, e.getMessage(), e);
        } catch (InfluxDBException.AuthorizationFailedException e) {
            throw new SinkException("unauthorized", true, e.getMessage(), e);
        } catch (InfluxDBException.UnableToParseException
                | InfluxDBException.FieldTypeConflictException
                | InfluxDBException.PointsBeyondRetentionPolicyException e) {
            throw new SinkException("refused", false, e.getMessage(), e);
        } catch (InfluxDBException e) {
            if (String.valueOf(e.getMessage()).contains("retention policy not found")) {
                createRetentionPolicies();
                throw new SinkException("no-retention-policy", true, e.getMessage(), e);
            }
            boolean retry = e.isRetryWorth() || String.valueOf(e.getMessage()).contains("authoriz");
            throw new SinkException(retry ? "server-error" : "refused", retry, String.valueOf(e.getMessage()), e);
        }
    }

    /** Runs an InfluxQL query against the database; times in nanoseconds since the epoch. */
    public List<QueryResult.Result> query(String influxql) {
        QueryResult result = client.query(new Query(influxql, options.database()), TimeUnit.NANOSECONDS);
        if (result.hasError()) {
            throw new InfluxDBException(result.getError());
        }
        for (QueryResult.Result r : result.getResults()) {
            if (r.hasError()) {
                throw new InfluxDBException(r.getError());
            }
        }
        return result.getResults();
    }

    /**
     * Runs a query whose answer may be large, streaming it in chunks of {@code chunkSize} rows to
     * {@code each} (on the client's thread), and waits for the end. Times come as RFC 3339 text,
     * exact to the nanosecond (a JSON number would be read as a double and rounded).
     */
    public void queryChunked(String influxql, int chunkSize, java.util.function.Consumer<QueryResult.Series> each) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        client.query(
                new Query(influxql, options.database()),
                chunkSize,
                (cancellable, result) -> {
                    if (result.hasError() && !"DONE".equals(result.getError())) {
                        done.completeExceptionally(new InfluxDBException(result.getError()));
                        cancellable.cancel();
                        return;
                    }
                    if (result.getResults() == null) {
                        return;
                    }
                    for (QueryResult.Result r : result.getResults()) {
                        if (r.hasError()) {
                            done.completeExceptionally(new InfluxDBException(r.getError()));
                            cancellable.cancel();
                            return;
                        }
                        if (r.getSeries() != null) {
                            r.getSeries().forEach(each);
                        }
                    }
                },
                () -> done.complete(null),
                done::completeExceptionally);
        try {
            done.get(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfluxDBException("interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new InfluxDBIOException(new java.io.IOException("no complete answer within 10 minutes", e));
        } catch (java.util.concurrent.ExecutionException e) {
            // Network failures mid-answer are InfluxDB being unreachable (callers answer 503), not a bad query.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof InfluxDBIOException io) {
                throw io;
            }
            if (cause instanceof java.io.IOException io) {
                throw new InfluxDBIOException(io);
            }
            throw cause instanceof InfluxDBException influx ? influx : new InfluxDBException(cause);
        }
    }

    /**
     * Sockets with Nagle's algorithm off. A write request leaves in several segments (headers, then
     * the body, which influxdb-java's own gzip sent in chunks); with Nagle on, a small last segment
     * waits for the ACK of the one before, which InfluxDB's side delays by up to 40 ms: every write
     * took about 40 ms longer than InfluxDB needed (./rigtel bench, 63 -> 21 ms per 5,000 points).
     */
    private static final class NoDelaySocketFactory extends javax.net.SocketFactory {
        private final javax.net.SocketFactory plain = javax.net.SocketFactory.getDefault();

        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            return noDelay(plain.createSocket());
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            return noDelay(plain.createSocket(host, port, local, localPort));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(
                java.net.InetAddress address, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            return noDelay(plain.createSocket(address, port, local, localPort));
        }

        private static java.net.Socket noDelay(java.net.Socket socket) throws java.io.IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }
    }

    /** True if InfluxDB answers {@code /ping}. */
    public boolean reachable() {
        try {
            return client.ping().isGood();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public InfluxOptions options() {
        return options;
    }

    @Override
    public void close() {
        client.close();
    }
}
