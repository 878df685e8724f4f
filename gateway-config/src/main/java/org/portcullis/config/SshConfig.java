package org.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code ssh}: the SSH jump host (issue 17). It offers only {@code direct-tcpip} channels to {@code tcp_targets}
 * after a password and a second factor; its host key is generated on first start and kept encrypted in the store.
 *
 * @param address          where it listens
 * @param hostKeyAlgorithm the kind of host key generated on first start (an existing key is kept)
 * @param loginTimeout     how long a connection may take to sign in before it is closed
 */
public record SshConfig(HostPort address, HostKeyAlgorithm hostKeyAlgorithm, Duration loginTimeout) {
    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofMinutes(2);

    /** Host key kinds the gateway can generate. */
    public enum HostKeyAlgorithm {
        ED25519("ed25519"),
        ECDSA_P256("ecdsa-p256"),
        RSA_3072("rsa-3072");

        private final String yamlName;

        HostKeyAlgorithm(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }

        @Override
        public String toString() {
            return yamlName;
        }
    }

    public SshConfig {
        Objects.requireNonNull(address, "address");
        hostKeyAlgorithm = hostKeyAlgorithm == null ? HostKeyAlgorithm.ED25519 : hostKeyAlgorithm;
        loginTimeout = loginTimeout == null ? DEFAULT_LOGIN_TIMEOUT : loginTimeout;
    }
}
