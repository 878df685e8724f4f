package org.portcullis.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code ssh} (issue 17): a required listen {@code address}, an optional {@code host_key_algorithm} (the kind
 * of key generated on first start; default ed25519) and {@code login_timeout} (10s to 10m, default 2m: an
 * unauthenticated connection holds a socket, so it must not linger). The jump host signs users in against the users
 * file, keeps its host key and sessions in the store and only forwards to {@code tcp_targets}, so all three sections
 * are required ({@link ConfigLoader} checks that).
 */
final class SshValidator {
    static final String ADDRESS = "address";
    static final String HOST_KEY_ALGORITHM = "host_key_algorithm";
    static final String LOGIN_TIMEOUT = "login_timeout";
    static final List<String> KEYS = List.of(ADDRESS, HOST_KEY_ALGORITHM, LOGIN_TIMEOUT);
    static final Duration MIN_LOGIN_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_LOGIN_TIMEOUT = Duration.ofMinutes(10);

    private final NodeReader reader;

    SshValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<SshConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView s = view.get();
        int before = reader.problems().errorCount();
        Optional<HostPort> address = s.require(ADDRESS).flatMap(n -> reader.parsed(n, HostSyntax::listenAddress,
                Messages::notListenAddress));
        SshConfig.HostKeyAlgorithm algorithm = s.get(HOST_KEY_ALGORITHM).flatMap(n -> reader.parsed(n,
                v -> Arrays.stream(SshConfig.HostKeyAlgorithm.values()).filter(a -> a.yamlName().equals(v)).findFirst(),
                Messages::notHostKeyAlgorithm)).orElse(null);
        Duration loginTimeout = s.get(LOGIN_TIMEOUT).flatMap(n -> reader.duration(n).flatMap(d -> {
            if (d.compareTo(MIN_LOGIN_TIMEOUT) < 0 || d.compareTo(MAX_LOGIN_TIMEOUT) > 0) {
                reader.problems().error(n, Messages.outOfRange(reader.show((YamlNode.YamlScalar) n),
                        Durations.format(MIN_LOGIN_TIMEOUT), Durations.format(MAX_LOGIN_TIMEOUT)));
                return Optional.empty();
            }
            return Optional.of(d);
        })).orElse(null);
        if (reader.problems().errorCount() != before || address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SshConfig(address.get(), algorithm, loginTimeout));
    }
}
