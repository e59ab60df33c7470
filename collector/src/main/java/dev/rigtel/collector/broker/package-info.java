/**
 * The MQTT publish/subscribe core in plain Java: sessions, subscriptions, retained messages, wills,
 * QoS 1/2 delivery state and message expiry. The {@code mqtt} package adapts it to Netty channels
 * through {@link dev.rigtel.collector.broker.Outlet}; nothing here imports {@code io.netty}.
 *
 * <p>Section numbers in comments are MQTT 3.1.1 (OASIS standard) unless they say MQTT 5.
 */
package dev.rigtel.collector.broker;
