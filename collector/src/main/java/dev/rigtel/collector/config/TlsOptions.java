package dev.rigtel.collector.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for the MQTT and HTTP listeners, from PEM files.
 *
 * @param certificateChain the server certificate (and intermediates), PEM
 * @param privateKey its private key, PEM, PKCS#8 ({@code BEGIN PRIVATE KEY}); never logged
 * @param mqttsPort the MQTT-over-TLS port (plain MQTT stays on the MQTT port)
 */
public record TlsOptions(Path certificateChain, Path privateKey, int mqttsPort) {

    public TlsOptions {
        if (!Files.isReadable(certificateChain)) {
            throw new ConfigException("TLS certificate " + certificateChain + " is not readable");
        }
        if (!Files.isReadable(privateKey)) {
            throw new ConfigException("TLS private key " + privateKey + " is not readable");
        }
    }
}
