package dev.rigtel.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/** Meters of cluster mode, several collectors on one external broker ({@link MeterCatalog} documents them). */
public final class ClusterMeters {

    private final MeterRegistry registry;
    private final Counter takeovers;
    private final Counter handovers;
    private final Counter sessionTakenOver;
    private final Counter lateRigs;

    /** The gauges read what the cluster holds now. */
    public record Gauges(IntSupplier partitionsOwned, IntSupplier members, IntSupplier roster) {}

    public ClusterMeters(MeterRegistry registry, Gauges gauges) {
        this.registry = registry;
        Gauge.builder(MeterCatalog.CLUSTER_PARTITIONS_OWNED, () -> gauges.partitionsOwned()
                        .getAsInt())
                .register(registry);
        Gauge.builder(MeterCatalog.CLUSTER_MEMBERS, () -> gauges.members().getAsInt())
                .register(registry);
        Gauge.builder(MeterCatalog.CLUSTER_ROSTER, () -> gauges.roster().getAsInt())
                .register(registry);
        this.takeovers = Counter.builder(MeterCatalog.CLUSTER_TAKEOVERS).register(registry);
        this.handovers = Counter.builder(MeterCatalog.CLUSTER_HANDOVERS).register(registry);
        this.sessionTakenOver =
                Counter.builder(MeterCatalog.CLUSTER_SESSION_TAKEN_OVER).register(registry);
        this.lateRigs = Counter.builder(MeterCatalog.CLUSTER_LATE_RIGS).register(registry);
    }

    /** A partition this member started consuming. */
    public void takeover() {
        takeovers.increment();
    }

    /** A partition this member gave up to a peer. */
    public void handover() {
        handovers.increment();
    }

    /** A partition session the broker took from this member for another (MQTT 5 reason 0x8E). */
    public void sessionTakenOver() {
        sessionTakenOver.increment();
    }

    /** A rig not in the roster, discovered at run time. */
    public void lateRig() {
        lateRigs.increment();
    }

    /** A membership problem by reason: {@code bad-member-message} or {@code partition-mismatch}. */
    public void refused(String reason) {
        Counter.builder(MeterCatalog.CLUSTER_REFUSED)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
