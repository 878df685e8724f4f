package org.portcullis.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code server}: at least one listener, each address unique, TLS files readable, and no plain HTTP on an
 * address other hosts can reach unless {@code allow_plain_http} says a TLS-terminating proxy sits in front.
 * {@code access_log} is checked by {@link AccessLogValidator}.
 */
final class ServerValidator {
    static final String LISTENERS = "listeners";
    static final String TRUSTED_PROXIES = "trusted_proxies";
    static final String TRANSPORT = "transport";
    static final String HSTS = "hsts";
    static final String TLS_PROVIDER = "tls_provider";
    static final String ACCESS_LOG = "access_log";
    static final List<String> KEYS = List.of(LISTENERS, TRUSTED_PROXIES, TRANSPORT, HSTS, TLS_PROVIDER, ACCESS_LOG,
            AdminValidator.ADMIN, AdminValidator.SHUTDOWN_GRACE);
    static final String MAX_AGE = "max_age";
    static final String INCLUDE_SUBDOMAINS = "include_subdomains";
    static final String PORTAL = "portal";
    static final String ON_PROXIED = "on_proxied";
    static final List<String> HSTS_KEYS = List.of(MAX_AGE, INCLUDE_SUBDOMAINS, PORTAL, ON_PROXIED);
    static final String ADDRESS = "address";
    static final String TLS = "tls";
    static final String ALLOW_PLAIN_HTTP = "allow_plain_http";
    static final List<String> LISTENER_KEYS = List.of(ADDRESS, TLS, ALLOW_PLAIN_HTTP);
    static final String CERTIFICATE = "certificate";
    static final String PRIVATE_KEY = "private_key";
    static final List<String> TLS_KEYS = List.of(CERTIFICATE, PRIVATE_KEY);

    private final NodeReader reader;

    ServerValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<ServerConfig> validate(YamlNode node) {
        Optional<MappingView> server = reader.mapping(node, KEYS);
        if (server.isEmpty()) {
            return Optional.empty();
        }
        Optional<List<ListenerConfig>> listeners = server.get().require(LISTENERS).flatMap(this::listeners);
        Optional<List<Cidr>> proxies = server.get().get(TRUSTED_PROXIES).isPresent()
                ? server.get().get(TRUSTED_PROXIES).flatMap(n -> reader.listOf(n, reader::cidr))
                : Optional.of(List.of());
        Optional<ServerConfig.Transport> transport = server.get().get(TRANSPORT).isPresent()
                ? server.get().get(TRANSPORT).flatMap(n -> reader.parsed(n, text -> Arrays.stream(
                        ServerConfig.Transport.values()).filter(t -> t.yaml().equals(text)).findFirst(),
                        Messages::notTransport))
                : Optional.of(ServerConfig.Transport.AUTO);
        Optional<HstsConfig> hsts = server.get().get(HSTS).isPresent()
                ? server.get().get(HSTS).flatMap(this::hsts)
                : Optional.of(HstsConfig.defaults());
        Optional<ServerConfig.TlsProvider> tlsProvider = server.get().get(TLS_PROVIDER).isPresent()
                ? server.get().get(TLS_PROVIDER).flatMap(n -> reader.parsed(n, text -> Arrays.stream(
                        ServerConfig.TlsProvider.values()).filter(p -> p.yaml().equals(text)).findFirst(),
                        Messages::notTlsProvider))
                : Optional.of(ServerConfig.TlsProvider.AUTO);
        Optional<AccessLogConfig> accessLog = server.get().get(ACCESS_LOG).isPresent()
                ? server.get().get(ACCESS_LOG).flatMap(n -> new AccessLogValidator(reader).validate(n))
                : Optional.of(AccessLogConfig.defaults());
        AdminValidator operations = new AdminValidator(reader);
        Optional<YamlNode> adminNode = server.get().get(AdminValidator.ADMIN);
        Optional<AdminConfig> admin = adminNode.flatMap(n -> operations.admin(n, listeners.orElse(List.of())));
        Optional<Duration> grace = operations.shutdownGrace(server.get().get(AdminValidator.SHUTDOWN_GRACE));
        if (listeners.isEmpty() || proxies.isEmpty() || transport.isEmpty() || hsts.isEmpty()
                || tlsProvider.isEmpty() || accessLog.isEmpty() || (adminNode.isPresent() && admin.isEmpty())
                || grace.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServerConfig(listeners.get(), proxies.get(), transport.get(), hsts.get(),
                tlsProvider.get(), accessLog.get(), admin.orElse(null), grace.get()));
    }

    /** {@code server.hsts}: every key optional, defaults from {@link HstsConfig#defaults()}. */
    private Optional<HstsConfig> hsts(YamlNode node) {
        Optional<MappingView> hsts = reader.mapping(node, HSTS_KEYS);
        if (hsts.isEmpty()) {
            return Optional.empty();
        }
        HstsConfig defaults = HstsConfig.defaults();
        int before = reader.problems().errorCount();
        Duration maxAge = hsts.get().get(MAX_AGE).flatMap(n -> reader.duration(n).flatMap(d -> {
            if (d.compareTo(HstsConfig.MAX_MAX_AGE) > 0) {
                reader.problems().error(n, Messages.outOfRange(reader.show((YamlNode.YamlScalar) n), "1s", "730d"));
                return Optional.empty();
            }
            return Optional.of(d);
        })).orElse(defaults.maxAge());
        boolean subdomains = hsts.get().get(INCLUDE_SUBDOMAINS).flatMap(reader::bool)
                .orElse(defaults.includeSubdomains());
        boolean portal = hsts.get().get(PORTAL).flatMap(reader::bool).orElse(defaults.portal());
        boolean onProxied = hsts.get().get(ON_PROXIED).flatMap(reader::bool).orElse(defaults.onProxied());
        if (reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new HstsConfig(maxAge, subdomains, portal, onProxied));
    }

    private Optional<List<ListenerConfig>> listeners(YamlNode node) {
        Optional<List<ListenerConfig>> listeners = reader.listOf(node, this::listener);
        Optional<List<YamlNode>> items = node instanceof YamlNode.YamlList list
                ? Optional.of(list.items()) : Optional.empty();
        items.ifPresent(this::rejectDuplicateAddresses);
        return listeners;
    }

    private Optional<ListenerConfig> listener(YamlNode node) {
        Optional<MappingView> listener = reader.mapping(node, LISTENER_KEYS);
        if (listener.isEmpty()) {
            return Optional.empty();
        }
        MappingView view = listener.get();
        Optional<YamlNode> addressNode = view.require(ADDRESS);
        Optional<HostPort> address = addressNode.flatMap(this::address);
        Optional<YamlNode> tlsNode = view.get(TLS);
        Optional<TlsConfig> tls = tlsNode.flatMap(this::tls);
        Optional<YamlNode> plainNode = view.get(ALLOW_PLAIN_HTTP);
        Optional<Boolean> allowPlain = plainNode.isPresent() ? plainNode.flatMap(reader::bool) : Optional.of(false);
        if (tlsNode.isPresent() && plainNode.isPresent()) {
            reader.problems().error(plainNode.get(), Messages.plainHttpFlagWithTls());
            return Optional.empty();
        }
        if (address.isPresent() && tlsNode.isEmpty() && allowPlain.isPresent()
                && !allowPlain.get() && !address.get().isLoopback()) {
            String shown = reader.show((YamlNode.YamlScalar) addressNode.get());
            reader.problems().error(node, Messages.plainHttpNotAllowed(shown));
            return Optional.empty();
        }
        if (address.isEmpty() || allowPlain.isEmpty() || (tlsNode.isPresent() && tls.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new ListenerConfig(address.get(), tls.orElse(null), allowPlain.get()));
    }

    private Optional<HostPort> address(YamlNode node) {
        return reader.parsed(node, HostSyntax::listenAddress, Messages::notListenAddress);
    }

    private Optional<TlsConfig> tls(YamlNode node) {
        Optional<MappingView> tls = reader.mapping(node, TLS_KEYS);
        if (tls.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> certificate = tls.get().require(CERTIFICATE).flatMap(reader::readableFile);
        Optional<Path> key = tls.get().require(PRIVATE_KEY).flatMap(reader::readableFile);
        if (certificate.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TlsConfig(certificate.get(), key.get()));
    }

    /** Two listeners on one address would fail at bind time, far from the line that caused it. Port 0 never clashes. */
    private void rejectDuplicateAddresses(List<YamlNode> listeners) {
        Map<HostPort, String> firstUse = new HashMap<>();
        List<YamlNode> addressNodes = new ArrayList<>();
        for (YamlNode listener : listeners) {
            if (listener instanceof YamlNode.YamlMap map && map.entries().containsKey(ADDRESS)) {
                addressNodes.add(map.entries().get(ADDRESS).value());
            }
        }
        for (YamlNode addressNode : addressNodes) {
            if (!(addressNode instanceof YamlNode.YamlScalar scalar)) {
                continue;
            }
            Optional<HostPort> address = HostSyntax.listenAddress(scalar.text());
            if (address.isEmpty() || address.get().port() == 0) {
                continue;
            }
            String first = firstUse.putIfAbsent(address.get(), listenerPath(addressNode));
            if (first != null) {
                reader.problems().error(addressNode, Messages.alreadyUsed(reader.show(scalar), first));
            }
        }
    }

    private static String listenerPath(YamlNode addressNode) {
        String path = addressNode.path();
        return path.substring(0, path.length() - ("." + ADDRESS).length());
    }
}
