package dev.rigtel.collector.metrics;

import java.util.List;

/**
 * Every meter rigtel registers, in one place: name, type, unit, tags and meaning. The collector
 * README's meter table is this list; {@code MeterCatalogTest} fails if a registered {@code rigtel.*}
 * meter is missing here or in the README. Tags are bounded: never a client id, topic or rig id.
 */
public final class MeterCatalog {

    /** One documented meter. */
    public record MeterDoc(String name, String type, String unit, String tags, String description) {}

    public static final String MQTT_CONNECTIONS = "rigtel.mqtt.connections";
    public static final String MQTT_CONNECTS = "rigtel.mqtt.connects";
    public static final String MQTT_CLOSED = "rigtel.mqtt.closed";
    public static final String MQTT_PUBLISHES = "rigtel.mqtt.publishes";
    public static final String MQTT_PUBLISHES_REFUSED = "rigtel.mqtt.publishes.refused";
    public static final String MQTT_RECEIVED_BYTES = "rigtel.mqtt.received.bytes";
    public static final String MQTT_PAUSED = "rigtel.mqtt.backpressure.paused";
    public static final String MQTT_THROTTLED = "rigtel.mqtt.throttled";
    public static final String MQTT_PAUSED_TIME = "rigtel.mqtt.backpressure.time";
    public static final String BROKER_SESSIONS = "rigtel.broker.sessions";
    public static final String BROKER_SUBSCRIPTIONS = "rigtel.broker.subscriptions";
    public static final String BROKER_RETAINED = "rigtel.broker.retained";
    public static final String BROKER_QUEUED = "rigtel.broker.queued";
    public static final String BROKER_QUEUED_BYTES = "rigtel.broker.queued.bytes";
    public static final String BROKER_RETAINED_BYTES = "rigtel.broker.retained.bytes";
    public static final String BROKER_DELIVERED = "rigtel.broker.delivered";
    public static final String BROKER_DROPPED = "rigtel.broker.dropped";
    public static final String BROKER_WILLS = "rigtel.broker.wills";
    public static final String BROKER_TAKEOVERS = "rigtel.broker.takeovers";
    public static final String BROKER_SUBSCRIBE_REFUSED = "rigtel.broker.subscribe.refused";
    public static final String COMMANDS = "rigtel.commands";
    public static final String INGEST_SAMPLES = "rigtel.ingest.samples";
    public static final String INGEST_CLIPPED = "rigtel.ingest.clipped";
    public static final String INGEST_MESSAGES = "rigtel.ingest.messages";
    public static final String INGEST_REJECTED = "rigtel.ingest.rejected";
    public static final String INGEST_SEQUENCE = "rigtel.ingest.sequence.anomalies";
    public static final String INGEST_STORE_LATENCY = "rigtel.ingest.store.latency";
    public static final String TIMECODE_ALERTS = "rigtel.timecode.alerts";
    public static final String HTTP_RESPONSES = "rigtel.http.responses";
    public static final String HTTP_REFUSED = "rigtel.http.refused";
    public static final String HTTP_CONNECTIONS = "rigtel.http.connections";
    public static final String STORE_POINTS = "rigtel.store.points.written";
    public static final String STORE_BATCHES = "rigtel.store.batches";
    public static final String STORE_WRITE_TIME = "rigtel.store.write.duration";
    public static final String STORE_RETRIES = "rigtel.store.write.retries";
    public static final String STORE_DROPPED = "rigtel.store.points.dropped";
    public static final String STORE_SPOOL_POINTS = "rigtel.store.spool.points";
    public static final String STORE_SPOOL_BYTES = "rigtel.store.spool.bytes";
    public static final String STORE_SPOOL_OLDEST = "rigtel.store.spool.oldest.age";
    public static final String STORE_SPOOL_FSYNCS = "rigtel.store.spool.fsyncs";
    public static final String STORE_SPOOL_RECOVERED = "rigtel.store.spool.recovered";
    public static final String STORE_SPOOL_DROPPED = "rigtel.store.spool.dropped";
    public static final String STORE_FAULTS = "rigtel.store.faults";
    public static final String STORAGE_INFLUX_BYTES = "rigtel.storage.influx.bytes";
    public static final String STORAGE_FORECAST_BYTES = "rigtel.storage.forecast.bytes";
    public static final String STORAGE_FREE_BYTES = "rigtel.storage.free.bytes";
    public static final String STORAGE_SHOOT_DAY = "rigtel.storage.shoot.day";
    public static final String STORAGE_LEVEL = "rigtel.storage.level";
    public static final String TAKES_PENDING = "rigtel.takes.pending";
    public static final String TAKES_DAY_LOADS = "rigtel.takes.day.loads";
    public static final String RESTORE_COMPLETE = "rigtel.restore.complete";
    public static final String IMPORT_SAMPLES = "rigtel.import.samples";
    public static final String IMPORT_REQUESTS = "rigtel.import.requests";
    public static final String SOURCE_CONNECTED = "rigtel.source.connected";
    public static final String SOURCE_RECONNECTS = "rigtel.source.reconnects";
    public static final String SOURCE_MESSAGES = "rigtel.source.messages";
    public static final String SOURCE_REDELIVERED = "rigtel.source.redelivered";
    public static final String CLUSTER_PARTITIONS_OWNED = "rigtel.cluster.partitions.owned";
    public static final String CLUSTER_MEMBERS = "rigtel.cluster.members";
    public static final String CLUSTER_ROSTER = "rigtel.cluster.roster";
    public static final String CLUSTER_TAKEOVERS = "rigtel.cluster.takeovers";
    public static final String CLUSTER_HANDOVERS = "rigtel.cluster.handovers";
    public static final String CLUSTER_SESSION_TAKEN_OVER = "rigtel.cluster.session.taken.over";
    public static final String CLUSTER_LATE_RIGS = "rigtel.cluster.late.rigs";
    public static final String CLUSTER_REFUSED = "rigtel.cluster.refused";

    public static final List<MeterDoc> ALL = List.of(
            new MeterDoc(
                    SOURCE_CONNECTED,
                    "gauge",
                    "-",
                    "-",
                    "consumer mode (--source): 1 while subscribed on the external broker, 0 while not (/health "
                            + "DEGRADED)"),
            new MeterDoc(
                    SOURCE_RECONNECTS,
                    "counter",
                    "connects",
                    "-",
                    "consumer mode: connections to the external broker made again after one was lost"),
            new MeterDoc(
                    SOURCE_MESSAGES,
                    "counter",
                    "messages",
                    "result",
                    "consumer mode: messages received by result: stored (acknowledged once durable), rejected "
                            + "(acknowledged, nothing stored), lost (not acknowledged: the broker sends it again)"),
            new MeterDoc(
                    SOURCE_REDELIVERED,
                    "counter",
                    "messages",
                    "-",
                    "consumer mode: messages the broker marked as sent again (DUP), not acknowledged before a "
                            + "restart or a lost connection; stored again on the same points (Mosquitto 2.0.11 "
                            + "does not mark them)"),
            new MeterDoc(
                    CLUSTER_PARTITIONS_OWNED,
                    "gauge",
                    "partitions",
                    "-",
                    "cluster mode (--source-group): partitions this member owns by the live view"),
            new MeterDoc(
                    CLUSTER_MEMBERS,
                    "gauge",
                    "members",
                    "-",
                    "cluster mode: live members of the group this member sees, itself included"),
            new MeterDoc(
                    CLUSTER_ROSTER, "gauge", "rigs", "-", "cluster mode: rigs in the roster, given and discovered"),
            new MeterDoc(
                    CLUSTER_TAKEOVERS,
                    "counter",
                    "partitions",
                    "-",
                    "cluster mode: partition sessions this member started consuming"),
            new MeterDoc(
                    CLUSTER_HANDOVERS,
                    "counter",
                    "partitions",
                    "-",
                    "cluster mode: partition sessions this member gave up to a peer that owns them now"),
            new MeterDoc(
                    CLUSTER_SESSION_TAKEN_OVER,
                    "counter",
                    "disconnects",
                    "-",
                    "cluster mode: partition sessions the broker took from this member for another client with the "
                            + "same client id (MQTT 5 reason 0x8E: stale views, split brain)"),
            new MeterDoc(
                    CLUSTER_LATE_RIGS,
                    "counter",
                    "rigs",
                    "-",
                    "cluster mode: rigs not in --source-rigs, discovered from their first status or online message"),
            new MeterDoc(
                    CLUSTER_REFUSED,
                    "counter",
                    "messages",
                    "reason",
                    "cluster mode: membership messages refused by reason: bad-member-message (not the JSON a "
                            + "member publishes), partition-mismatch (a member with another --source-partitions: no "
                            + "partitions are taken, /health DEGRADED)"),
            new MeterDoc(MQTT_CONNECTIONS, "gauge", "connections", "-", "open MQTT connections that completed CONNECT"),
            new MeterDoc(
                    MQTT_CONNECTS,
                    "counter",
                    "connects",
                    "result",
                    "CONNECT attempts by result: accepted, bad-credentials, no-credentials, not-authorized, "
                            + "unsupported-protocol, bad-client-id, reserved-name, bad-will, bad-connect, anonymous, auth-busy (--max-logins-per-address, "
                            + "--max-logins-per-user, --login-queue), auth-blocked (--max-login-failures), "
                            + "sessions-per-user (--max-sessions-per-user)"),
            new MeterDoc(
                    MQTT_CLOSED,
                    "counter",
                    "connections",
                    "reason",
                    "connections the server closed, by reason: malformed-packet, packet-too-large, "
                            + "first-packet-not-connect, second-connect, connect-timeout, keep-alive-timeout, "
                            + "foreign-topic, not-authorized, unexpected-packet, connection-limit, address-limit, sessions-per-user, not-durable, session-taken-over, "
                            + "receive-maximum-exceeded, topic-alias-invalid, bad-topic, reserved-topic, protocol-error, io-error"),
            new MeterDoc(MQTT_PUBLISHES, "counter", "messages", "qos", "PUBLISH packets received from rigs, by QoS"),
            new MeterDoc(
                    MQTT_PUBLISHES_REFUSED,
                    "counter",
                    "messages",
                    "reason",
                    "PUBLISH packets refused by the transport, by reason: reserved-topic (a topic beginning "
                            + "with '$', from any user)"),
            new MeterDoc(MQTT_RECEIVED_BYTES, "counter", "bytes", "-", "PUBLISH payload bytes received"),
            new MeterDoc(
                    MQTT_PAUSED,
                    "counter",
                    "pauses",
                    "-",
                    "times a connection stopped reading because the spool was over its quota"),
            new MeterDoc(
                    MQTT_THROTTLED,
                    "counter",
                    "pauses",
                    "-",
                    "times a connection went over its PUBLISH rate limit and was not read for a while"),
            new MeterDoc(
                    MQTT_PAUSED_TIME,
                    "timer",
                    "seconds",
                    "-",
                    "time connections spent not reading because of back-pressure"),
            new MeterDoc(
                    BROKER_SESSIONS,
                    "gauge",
                    "sessions",
                    "-",
                    "MQTT sessions held: connected ones and persistent sessions of offline clients"),
            new MeterDoc(
                    BROKER_SUBSCRIPTIONS, "gauge", "subscriptions", "-", "topic filters subscribed, over all sessions"),
            new MeterDoc(BROKER_RETAINED, "gauge", "messages", "-", "retained messages held"),
            new MeterDoc(
                    BROKER_RETAINED_BYTES,
                    "gauge",
                    "bytes",
                    "-",
                    "bytes of the retained messages (at most --max-retained-bytes)"),
            new MeterDoc(
                    BROKER_QUEUED_BYTES,
                    "gauge",
                    "bytes",
                    "-",
                    "bytes of messages queued for or awaiting acknowledgement from subscribers (at most "
                            + "--max-queued-bytes-total)"),
            new MeterDoc(
                    BROKER_QUEUED,
                    "gauge",
                    "messages",
                    "-",
                    "QoS 1/2 messages queued for or awaiting acknowledgement from subscribers"),
            new MeterDoc(BROKER_DELIVERED, "counter", "messages", "qos", "PUBLISH packets sent to subscribers, by QoS"),
            new MeterDoc(
                    BROKER_DROPPED,
                    "counter",
                    "messages",
                    "reason",
                    "messages not delivered to a subscriber, by reason: queue-full, expired, slow-subscriber, "
                            + "too-large, offline-qos0, retained-full, broker-full (--max-queued-bytes-total), "
                            + "sessions-per-user (a persistent session ended or refused)"),
            new MeterDoc(BROKER_WILLS, "counter", "messages", "-", "Last Will messages published"),
            new MeterDoc(
                    BROKER_TAKEOVERS,
                    "counter",
                    "connections",
                    "-",
                    "connections closed because a new CONNECT took over their session"),
            new MeterDoc(
                    BROKER_SUBSCRIBE_REFUSED,
                    "counter",
                    "filters",
                    "reason",
                    "topic filters refused in SUBSCRIBE, by reason: not-authorized, invalid-filter, "
                            + "shared-limit (more than 16 shared subscriptions in one session)"),
            new MeterDoc(
                    COMMANDS,
                    "counter",
                    "commands",
                    "result",
                    "rig commands by outcome: sent, refused, ok, failed, rejected, expired, unknown-result"),
            new MeterDoc(
                    INGEST_MESSAGES,
                    "counter",
                    "messages",
                    "kind",
                    "valid rig messages accepted: imu, timecode, status"),
            new MeterDoc(INGEST_SAMPLES, "counter", "samples", "-", "IMU samples accepted for storage"),
            new MeterDoc(
                    INGEST_CLIPPED,
                    "counter",
                    "samples",
                    "-",
                    "IMU samples of packed batches with a count at the sensor's full scale on some axis: the"
                            + " value there is a bound, not a measurement (float encodings cannot say)"),
            new MeterDoc(
                    INGEST_REJECTED,
                    "counter",
                    "messages",
                    "reason",
                    "rig messages rejected, by reason (see firmware-notes: malformed-payload, missing-field, wrong-type, "
                            + "unsupported-version, not-finite, out-of-range, batch-too-large, empty-batch, bad-timing, "
                            + "bad-timecode, bad-field, unknown-topic, foreign-topic)"),
            new MeterDoc(
                    INGEST_SEQUENCE,
                    "counter",
                    "messages",
                    "kind, type",
                    "sequence-number anomalies per message kind: type=gap (messages missing), duplicate (seen again), backwards (device time went back: refused), "
                            + "reset (counter went back without a new boot)"),
            new MeterDoc(
                    INGEST_STORE_LATENCY,
                    "timer",
                    "seconds",
                    "-",
                    "from a message's arrival to its points being durable in the spool: the PUBACK latency (p50/p99)"),
            new MeterDoc(
                    HTTP_RESPONSES,
                    "counter",
                    "responses",
                    "status",
                    "HTTP answers by status code: 200, 201, 400 (bad request or slate event), 401, 403, 404, 405, 408,"
                            + " 421, 500, 503"),
            new MeterDoc(
                    HTTP_REFUSED,
                    "counter",
                    "connections",
                    "reason",
                    "HTTP connections and requests the listener refused, by reason: connection-limit"
                            + " (over --http-max-connections open, closed at once), address-limit (over"
                            + " --http-max-connections-per-address from one address, closed at once),"
                            + " request-timeout (a request not whole within --http-request-timeout, answered 408),"
                            + " pipeline-limit (over 16 requests sent ahead of their answers), unknown-host (a Host"
                            + " that is not an IP literal, localhost or in --http-allowed-hosts, answered 421),"
                            + " bad-host (no Host, two, or a malformed one, answered 400)"),
            new MeterDoc(
                    HTTP_CONNECTIONS, "gauge", "connections", "-", "open HTTP connections (refused ones never count)"),
            new MeterDoc(
                    TIMECODE_ALERTS,
                    "counter",
                    "alerts",
                    "type",
                    "clock alerts per type: timecode-jump, timecode-lost, timecode-unlocked, timecode-restored, drift, "
                            + "implausible-time"),
            new MeterDoc(STORE_POINTS, "counter", "points", "-", "points InfluxDB accepted"),
            new MeterDoc(STORE_BATCHES, "counter", "batches", "result", "write batches by result: ok, dropped"),
            new MeterDoc(STORE_WRITE_TIME, "timer", "seconds", "-", "duration of successful InfluxDB writes"),
            new MeterDoc(
                    STORE_RETRIES,
                    "counter",
                    "retries",
                    "reason",
                    "failed InfluxDB writes that will be retried: unreachable, server-error, timeout, no-database"),
            new MeterDoc(
                    STORE_DROPPED,
                    "counter",
                    "points",
                    "reason",
                    "points InfluxDB refused as invalid (HTTP 400) and that were not stored"),
            new MeterDoc(
                    STORE_SPOOL_POINTS,
                    "gauge",
                    "points",
                    "-",
                    "points accepted (durable in the spool) but not yet in InfluxDB"),
            new MeterDoc(
                    STORE_SPOOL_BYTES,
                    "gauge",
                    "bytes",
                    "-",
                    "spool bytes not yet written to InfluxDB (compared with the quota)"),
            new MeterDoc(
                    STORE_SPOOL_OLDEST,
                    "gauge",
                    "seconds",
                    "-",
                    "age of the oldest sample not yet written to InfluxDB"),
            new MeterDoc(STORE_SPOOL_FSYNCS, "counter", "fsyncs", "-", "group-commit fsyncs of the spool"),
            new MeterDoc(
                    STORE_SPOOL_RECOVERED,
                    "counter",
                    "records",
                    "-",
                    "unwritten spool records found at start and replayed"),
            new MeterDoc(
                    STORE_SPOOL_DROPPED,
                    "counter",
                    "bytes",
                    "-",
                    "bytes of a torn or corrupt spool tail dropped at start"),
            new MeterDoc(
                    STORE_FAULTS,
                    "counter",
                    "faults",
                    "operation",
                    "disk faults as they begin (retries are not counted): append, fsync, read, commit (the spool), "
                            + "broker-state; /health is DEGRADED with the reason until the operation succeeds again"),
            new MeterDoc(
                    STORAGE_INFLUX_BYTES,
                    "gauge",
                    "bytes",
                    "policy",
                    "what InfluxDB holds of the database (SHOW STATS, or --influx-data-dir): policy=raw the raw "
                            + "samples' retention policy, kept everything else; NaN if unknown"),
            new MeterDoc(
                    STORAGE_FORECAST_BYTES,
                    "gauge",
                    "bytes",
                    "-",
                    "what InfluxDB will hold on the shoot's last day (--shoot-days) if the rest of the shoot grows "
                            + "as the days so far did"),
            new MeterDoc(
                    STORAGE_FREE_BYTES,
                    "gauge",
                    "bytes",
                    "disk",
                    "free space: disk=spool the collector's data dir, disk=influxdb --influx-data-dir (NaN without)"),
            new MeterDoc(STORAGE_SHOOT_DAY, "gauge", "days", "-", "today's day of the shoot, 1 on its first day"),
            new MeterDoc(
                    STORAGE_LEVEL,
                    "gauge",
                    "-",
                    "-",
                    "0 ok, 1 warning (a disk would fill before the shoot's last day), 2 critical (within 2 days, "
                            + "or under 1 GiB free)"),
            new MeterDoc(
                    TAKES_PENDING,
                    "gauge",
                    "events",
                    "-",
                    "slate events accepted (in the spool) and not yet in InfluxDB; in every answer meanwhile"),
            new MeterDoc(
                    TAKES_DAY_LOADS,
                    "counter",
                    "days",
                    "-",
                    "past shooting days rebuilt from InfluxDB (the open days and 8 cached ones are in memory)"),
            new MeterDoc(
                    RESTORE_COMPLETE,
                    "gauge",
                    "-",
                    "-",
                    "1 once takes, recent commands and clock segments were read back from InfluxDB at start, 0 "
                            + "while it is away (/health DEGRADED)"),
            new MeterDoc(
                    IMPORT_SAMPLES,
                    "counter",
                    "samples",
                    "-",
                    "camera IMU samples imported (POST /api/import), durable in the spool; a re-sent one counts again"),
            new MeterDoc(
                    IMPORT_REQUESTS,
                    "counter",
                    "requests",
                    "result",
                    "POST /api/import requests by result: ok, duplicate (samples the collector already had),"
                            + " busy (the user's other import request still running, 503), bad-request (400, the"
                            + " reason in the answer and the log), out-of-order (409, a batch past the clip's"
                            + " progress or another rig), not-durable (503, the spool did not make it durable)"));

    private MeterCatalog() {}
}
