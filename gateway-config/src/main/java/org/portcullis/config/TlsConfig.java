package org.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/** TLS for one listener: a PEM certificate chain and its PEM private key. */
public record TlsConfig(Path certificate, Path privateKey) {
    public TlsConfig {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
