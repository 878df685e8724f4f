package org.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code users.ldap} (docs/configuration.md, "users.ldap"; docs/ldap.md). Transport security is decided here,
 * once: {@code ldaps://} or {@code ldap://} with {@code start_tls: true}; plain {@code ldap://} only to loopback, or
 * with {@code insecure_plain_ldap: true}, which loads with a warning. {@code bind_password} must be a
 * {@code ${env:…}}/{@code ${file:…}} reference. DNs and filters are parsed with the LDAP library the gateway sends
 * them with, so what loads is what is sent.
 */
final class LdapValidator {
    static final String URLS = "urls";
    static final String START_TLS = "start_tls";
    static final String CA_FILE = "ca_file";
    static final String INSECURE_PLAIN_LDAP = "insecure_plain_ldap";
    static final String BIND_DN = "bind_dn";
    static final String BIND_PASSWORD = "bind_password";
    static final String USER_BASE = "user_base";
    static final String LOGIN_ATTRIBUTE = "login_attribute";
    static final String USERNAME_ATTRIBUTE = "username_attribute";
    static final String USER_FILTER = "user_filter";
    static final String DISPLAY_NAME_ATTRIBUTE = "display_name_attribute";
    static final String EMAIL_ATTRIBUTE = "email_attribute";
    static final String GROUPS = "groups";
    static final String POOL_SIZE = "pool_size";
    static final String CONNECT_TIMEOUT = "connect_timeout";
    static final String RESPONSE_TIMEOUT = "response_timeout";
    static final String RECHECK_INTERVAL = "recheck_interval";
    static final List<String> KEYS = List.of(URLS, START_TLS, CA_FILE, INSECURE_PLAIN_LDAP, BIND_DN, BIND_PASSWORD,
            USER_BASE, LOGIN_ATTRIBUTE, USERNAME_ATTRIBUTE, USER_FILTER, DISPLAY_NAME_ATTRIBUTE, EMAIL_ATTRIBUTE,
            GROUPS, POOL_SIZE, CONNECT_TIMEOUT, RESPONSE_TIMEOUT, RECHECK_INTERVAL);
    static final String GROUPS_LOOKUP = "lookup";
    static final String GROUPS_BASE = "base";
    static final String GROUPS_NAME_ATTRIBUTE = "name_attribute";
    static final String GROUPS_MEMBER_ATTRIBUTE = "member_attribute";
    static final List<String> GROUPS_KEYS = List.of(GROUPS_LOOKUP, GROUPS_BASE, GROUPS_NAME_ATTRIBUTE,
            GROUPS_MEMBER_ATTRIBUTE);

    static final int MAX_POOL_SIZE = 64;
    static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(1);
    static final Duration MAX_RESPONSE_TIMEOUT = Duration.ofMinutes(5);
    static final Duration MIN_RECHECK = Duration.ofSeconds(10);
    static final Duration MAX_RECHECK = Duration.ofHours(24);
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}|[0-9]+(\\.[0-9]+)+");

    private final NodeReader reader;

    LdapValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<LdapConfig> validate(YamlNode node) {
        Optional<MappingView> found = reader.mapping(node, KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MappingView view = found.get();
        Optional<YamlNode> urlsNode = view.require(URLS);
        Optional<List<LdapConfig.Server>> servers = urlsNode.flatMap(n -> reader.listOf(n, this::server));
        Optional<Boolean> startTls = optional(view, START_TLS, reader::bool, false);
        Optional<Boolean> insecure = optional(view, INSECURE_PLAIN_LDAP, reader::bool, false);
        boolean transportOk = servers.isPresent() && startTls.isPresent() && insecure.isPresent()
                && transport(view, urlsNode.get(), servers.get(), startTls.get(), insecure.get());
        Optional<Path> caFile = Optional.empty();
        boolean caOk = true;
        Optional<YamlNode> caNode = view.get(CA_FILE);
        if (caNode.isPresent()) {
            caFile = reader.readableFile(caNode.get());
            caOk = caFile.isPresent();
            if (caOk && servers.isPresent() && startTls.isPresent() && !servers.get().get(0).ldaps()
                    && !startTls.get()) {
                reader.problems().error(caNode.get(), LdapMessages.caFileWithoutTls());
                caOk = false;
            }
        }
        Optional<String> bindDn = view.require(BIND_DN).flatMap(this::dn);
        Optional<String> bindPassword = view.require(BIND_PASSWORD).flatMap(this::secret);
        Optional<String> userBase = view.require(USER_BASE).flatMap(this::dn);
        Optional<String> login = view.require(LOGIN_ATTRIBUTE).flatMap(n -> reader.parsed(n,
                text -> LdapConfig.LOGIN_ATTRIBUTES.stream().filter(a -> a.equalsIgnoreCase(text)).findFirst(),
                LdapMessages::notLoginAttribute));
        Optional<String> username = usernameAttribute(view, node, login);
        Optional<String> userFilter = view.get(USER_FILTER).map(this::filter).orElse(Optional.of(""));
        Optional<String> displayName = optional(view, DISPLAY_NAME_ATTRIBUTE, this::attribute,
                LdapConfig.DEFAULT_DISPLAY_NAME_ATTRIBUTE);
        Optional<String> email = optional(view, EMAIL_ATTRIBUTE, this::attribute, LdapConfig.DEFAULT_EMAIL_ATTRIBUTE);
        Optional<LdapGroupsConfig> groups = view.require(GROUPS).flatMap(this::groups);
        Optional<Integer> poolSize = optional(view, POOL_SIZE, n -> reader.intInRange(n, 1, MAX_POOL_SIZE),
                LdapConfig.DEFAULT_POOL_SIZE);
        Optional<Duration> connect = optional(view, CONNECT_TIMEOUT,
                n -> bounded(n, MIN_TIMEOUT, MAX_CONNECT_TIMEOUT, "100ms", "1m"), LdapConfig.DEFAULT_CONNECT_TIMEOUT);
        Optional<Duration> response = optional(view, RESPONSE_TIMEOUT,
                n -> bounded(n, MIN_TIMEOUT, MAX_RESPONSE_TIMEOUT, "100ms", "5m"), LdapConfig.DEFAULT_RESPONSE_TIMEOUT);
        Optional<Duration> recheck = optional(view, RECHECK_INTERVAL,
                n -> bounded(n, MIN_RECHECK, MAX_RECHECK, "10s", "24h"), LdapConfig.DEFAULT_RECHECK_INTERVAL);
        if (!transportOk || !caOk || bindDn.isEmpty() || bindPassword.isEmpty() || userBase.isEmpty()
                || login.isEmpty() || username.isEmpty() || userFilter.isEmpty() || displayName.isEmpty()
                || email.isEmpty() || groups.isEmpty() || poolSize.isEmpty() || connect.isEmpty()
                || response.isEmpty() || recheck.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LdapConfig(servers.get(), startTls.get(), caFile.orElse(null), insecure.get(),
                bindDn.get(), bindPassword.get(), userBase.get(), login.get(), username.get(),
                userFilter.get().isEmpty() ? null : userFilter.get(), displayName.get(), email.get(), groups.get(),
                poolSize.get(), connect.get(), response.get(), recheck.get()));
    }

    /** One scheme for every URL; StartTLS only on ldap://; plain LDAP only to loopback or with the opt-out. */
    private boolean transport(MappingView view, YamlNode urlsNode, List<LdapConfig.Server> servers, boolean startTls,
                              boolean insecure) {
        boolean ldaps = servers.get(0).ldaps();
        if (servers.stream().anyMatch(s -> s.ldaps() != ldaps)) {
            reader.problems().error(urlsNode, LdapMessages.mixedSchemes());
            return false;
        }
        if (ldaps && startTls) {
            reader.problems().error(view.get(START_TLS).orElse(urlsNode), LdapMessages.startTlsWithLdaps());
            return false;
        }
        boolean plain = !ldaps && !startTls;
        if (!plain) {
            if (insecure) {
                reader.problems().error(view.get(INSECURE_PLAIN_LDAP).orElse(urlsNode),
                        LdapMessages.insecureFlagWithTls());
                return false;
            }
            return true;
        }
        Optional<LdapConfig.Server> remote = servers.stream().filter(s -> !s.loopback()).findFirst();
        if (remote.isEmpty()) {
            return true;
        }
        if (!insecure) {
            reader.problems().error(urlsNode, LdapMessages.plainLdapRefused(remote.get().host()));
            return false;
        }
        reader.problems().warning(view.get(INSECURE_PLAIN_LDAP).orElse(urlsNode), LdapMessages.plainLdapWarning());
        return true;
    }

    private Optional<LdapConfig.Server> server(YamlNode node) {
        return reader.parsed(node, LdapValidator::parseServer, LdapMessages::notLdapUrl);
    }

    static Optional<LdapConfig.Server> parseServer(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("ldap") || scheme.equalsIgnoreCase("ldaps"))
                    || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                    || uri.getRawPath().equals("/"))) {
                return Optional.empty();
            }
            boolean ldaps = scheme.equalsIgnoreCase("ldaps");
            int port = uri.getPort() == -1 ? (ldaps ? 636 : 389) : uri.getPort();
            if (port < 1 || port > 65535) {
                return Optional.empty();
            }
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return Optional.of(new LdapConfig.Server(ldaps, host, port));
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private Optional<String> usernameAttribute(MappingView view, YamlNode ldapNode, Optional<String> login) {
        Optional<YamlNode> node = view.get(USERNAME_ATTRIBUTE);
        if (node.isPresent()) {
            return attribute(node.get());
        }
        if (login.isEmpty()) {
            return Optional.empty();
        }
        if (login.get().equals("sAMAccountName") || login.get().equals("uid")) {
            return login;
        }
        reader.problems().error(view.get(LOGIN_ATTRIBUTE).orElse(ldapNode),
                LdapMessages.usernameAttributeNeeded(login.get()));
        return Optional.empty();
    }

    private Optional<LdapGroupsConfig> groups(YamlNode node) {
        Optional<MappingView> found = reader.mapping(node, GROUPS_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MappingView view = found.get();
        Optional<LdapGroupsConfig.Lookup> lookup = view.require(GROUPS_LOOKUP).flatMap(n -> reader.parsed(n,
                text -> Arrays.stream(LdapGroupsConfig.Lookup.values()).filter(l -> l.yaml().equals(text))
                        .findFirst(), LdapMessages::notGroupLookup));
        Optional<String> base = view.require(GROUPS_BASE).flatMap(this::dn);
        Optional<String> name = optional(view, GROUPS_NAME_ATTRIBUTE, this::attribute,
                LdapGroupsConfig.DEFAULT_NAME_ATTRIBUTE);
        Optional<YamlNode> memberNode = view.get(GROUPS_MEMBER_ATTRIBUTE);
        Optional<String> member = optional(view, GROUPS_MEMBER_ATTRIBUTE, this::attribute,
                LdapGroupsConfig.DEFAULT_MEMBER_ATTRIBUTE);
        if (memberNode.isPresent() && lookup.isPresent() && lookup.get() != LdapGroupsConfig.Lookup.SEARCH) {
            reader.problems().error(memberNode.get(), Messages.onlyWithSetting(GROUPS_LOOKUP, "search"));
            return Optional.empty();
        }
        if (lookup.isEmpty() || base.isEmpty() || name.isEmpty() || member.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LdapGroupsConfig(lookup.get(), base.get(), name.get(), member.get()));
    }

    private Optional<String> dn(YamlNode node) {
        return reader.string(node).flatMap(text -> {
            try {
                new DN(text);
                if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new LDAPException(com.unboundid.ldap.sdk.ResultCode.INVALID_DN_SYNTAX, "control character");
                }
                return Optional.of(text);
            } catch (LDAPException e) {
                reader.problems().error(node, LdapMessages.notDn(reader.show((YamlScalar) node),
                        "the DN does not parse"));
                return Optional.empty();
            }
        });
    }

    private Optional<String> filter(YamlNode node) {
        return reader.string(node).flatMap(text -> {
            try {
                Filter.create(text);
                return Optional.of(text);
            } catch (LDAPException e) {
                reader.problems().error(node, LdapMessages.notFilter(reader.show((YamlScalar) node),
                        "the filter does not parse"));
                return Optional.empty();
            }
        });
    }

    private Optional<String> attribute(YamlNode node) {
        return reader.parsed(node, text -> ATTRIBUTE.matcher(text).matches() ? Optional.of(text) : Optional.empty(),
                LdapMessages::notAttribute);
    }

    private Optional<String> secret(YamlNode node) {
        Optional<YamlScalar> scalar = reader.scalar(node, "a string");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        if (!scalar.get().secret()) {
            reader.problems().error(node, LdapMessages.passwordNotSecret());
            return Optional.empty();
        }
        if (scalar.get().text().isEmpty()) {
            reader.problems().error(node, Messages.emptyString());
            return Optional.empty();
        }
        return Optional.of(scalar.get().text());
    }

    private Optional<Duration> bounded(YamlNode node, Duration min, Duration max, String minText, String maxText) {
        return reader.duration(node).flatMap(value -> {
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                reader.problems().error(node, Messages.outOfRange(reader.show((YamlScalar) node), minText, maxText));
                return Optional.empty();
            }
            return Optional.of(value);
        });
    }

    private static <T> Optional<T> optional(MappingView view, String key, Function<YamlNode, Optional<T>> read,
                                            T fallback) {
        Optional<YamlNode> node = view.get(key);
        return node.isPresent() ? node.flatMap(read) : Optional.of(fallback);
    }
}
