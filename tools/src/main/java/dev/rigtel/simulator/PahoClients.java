package dev.rigtel.simulator;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;

/** What the simulator's Paho connections (rigs and the slate app) share. */
final class PahoClients {

    private PahoClients() {}

    /**
     * MQTT 3.1.1, clean session, automatic reconnect, the simulator's keep-alive and connect
     * timeout; an empty password sends none.
     *
     * @param maxInflight Paho's own limit, kept above the caller's window so Paho never refuses a
     *     publish with 32202
     */
    static MqttConnectOptions connectOptions(
            SimulatorOptions options, String username, String password, int maxInflight) {
        MqttConnectOptions connect = new MqttConnectOptions();
        connect.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        connect.setCleanSession(true);
        connect.setAutomaticReconnect(true);
        connect.setMaxReconnectDelay(5_000);
        connect.setKeepAliveInterval((int) options.keepAlive().toSeconds());
        connect.setConnectionTimeout((int) options.connectTimeout().toSeconds());
        connect.setMaxInflight(maxInflight);
        connect.setUserName(username);
        if (!password.isEmpty()) {
            connect.setPassword(password.toCharArray());
        }
        return connect;
    }

    /** Disconnects cleanly if connected, then releases the client; failures are only logged. */
    static void disconnectQuietly(MqttAsyncClient client, String name, Logger log) {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000).waitForCompletion(5_000);
            }
        } catch (MqttException e) {
            log.warn("{}: clean disconnect failed: {}", name, e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            log.debug("{}: close failed: {}", name, e.toString());
        }
    }
}
