package org.portcullis.config;

import java.nio.file.Path;

/**
 * Reads a YAML config file, checks every key and value, and builds a {@link GatewayConfig} only when there was no
 * error. All errors are collected and reported together.
 */
public final class ConfigLoader {

    /**
     * @throws ConfigException with every error found (missing or unreadable file included)
     */
    public LoadedConfig load(Path file) throws ConfigException {
        throw new UnsupportedOperationException("ConfigLoader: not written yet");
    }
}
