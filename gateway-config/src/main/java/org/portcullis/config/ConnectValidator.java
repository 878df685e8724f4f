package org.portcullis.config;

import java.util.List;
import java.util.Optional;

/**
 * Checks {@code connect} (issue 17): only {@code device_code}, a boolean (default false). The device-code sign-in is
 * served by the portal and signs a session in, so the section needs {@code portal}, {@code storage}, {@code users}
 * and {@code tcp_targets} ({@link ConfigLoader} checks that).
 */
final class ConnectValidator {
    static final String DEVICE_CODE = "device_code";
    static final List<String> KEYS = List.of(DEVICE_CODE);

    private final NodeReader reader;

    ConnectValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<ConnectConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        int before = reader.problems().errorCount();
        boolean deviceCode = view.get().get(DEVICE_CODE).flatMap(reader::bool).orElse(false);
        if (reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new ConnectConfig(deviceCode));
    }
}
