package org.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code server.admin} and {@code server.shutdown_grace}. The admin listener answers without authentication,
 * so it is refused on the address and port of a public listener (a wildcard on either side overlaps every address
 * of that port), and a non-loopback address is accepted with a warning: metrics and health then reach whoever reaches
 * that network, which is meant for a management network only.
 */
final class AdminValidator {
    static final String ADMIN = "admin";
    static final String SHUTDOWN_GRACE = "shutdown_grace";
    static final String ADDRESS = "address";
    static final List<String> KEYS = List.of(ADDRESS);
    /** Long enough for a slow upload to finish, short enough that an orchestrator's own kill timer is not hit. */
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    static final Duration MAX_SHUTDOWN_GRACE = Duration.ofHours(1);

    private final NodeReader reader;

    AdminValidator(NodeReader reader) {
        this.reader = reader;
    }

    /** {@code server.admin}, checked against the listeners already read (empty when they failed to read). */
    Optional<AdminConfig> admin(YamlNode node, List<ListenerConfig> listeners) {
        Optional<MappingView> admin = reader.mapping(node, KEYS);
        if (admin.isEmpty()) {
            return Optional.empty();
        }
        Optional<YamlNode> addressNode = admin.get().get(ADDRESS);
        if (addressNode.isEmpty()) {
            return Optional.of(new AdminConfig(AdminConfig.DEFAULT_ADDRESS));
        }
        Optional<HostPort> address = reader.parsed(addressNode.get(), HostSyntax::listenAddress,
                Messages::notListenAddress);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        String shown = reader.show((YamlNode.YamlScalar) addressNode.get());
        for (int i = 0; i < listeners.size(); i++) {
            if (overlaps(address.get(), listeners.get(i).address())) {
                reader.problems().error(addressNode.get(), Messages.adminOnPublicListener(shown,
                        "server.listeners[" + i + "]"));
                return Optional.empty();
            }
        }
        if (!address.get().isLoopback()) {
            reader.problems().warning(addressNode.get(), Messages.adminNotLoopback(shown));
        }
        return Optional.of(new AdminConfig(address.get()));
    }

    /** {@code server.shutdown_grace}: how long a SIGTERM waits for requests in flight. */
    Optional<Duration> shutdownGrace(Optional<YamlNode> node) {
        if (node.isEmpty()) {
            return Optional.of(DEFAULT_SHUTDOWN_GRACE);
        }
        return node.flatMap(reader::duration).flatMap(d -> {
            if (d.isNegative() || d.compareTo(MAX_SHUTDOWN_GRACE) > 0) {
                reader.problems().error(node.get(), Messages.outOfRange(reader.show((YamlNode.YamlScalar)
                        node.get()), "0s", "1h"));
                return Optional.empty();
            }
            return Optional.of(d);
        });
    }

    /** Same port (port 0 is a fresh port each time and never clashes), and the same host or a wildcard on a side. */
    private static boolean overlaps(HostPort admin, HostPort listener) {
        if (admin.port() == 0 || admin.port() != listener.port()) {
            return false;
        }
        return host(admin).equals(host(listener)) || wildcard(admin.host()) || wildcard(listener.host());
    }

    private static String host(HostPort address) {
        return address.host().equals("localhost") ? "127.0.0.1" : address.host();
    }

    private static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::");
    }
}
