package dev.rigtel.collector.broker;

import java.util.List;

/**
 * What the broker saves so that a restarted collector keeps retained messages and the persistent
 * sessions of offline clients, with their subscriptions and queued messages.
 */
public record BrokerState(List<BrokerMessage> retained, List<SessionState> sessions) {

    public static final BrokerState EMPTY = new BrokerState(List.of(), List.of());

    public record SessionState(
            String clientId,
            String username,
            long expirySeconds,
            long disconnectedAtMillis,
            List<Subscription> subscriptions,
            List<BrokerMessage> pending) {}
}
