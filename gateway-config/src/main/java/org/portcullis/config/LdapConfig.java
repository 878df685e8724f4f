package org.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code users.ldap}: accounts from Active Directory or another LDAP directory (docs/ldap.md). The password is checked
 * by a bind as the user; the service account ({@code bind_dn}) only searches. {@code bindPassword} came from a
 * {@code ${env:…}} or {@code ${file:…}} reference and is never shown ({@link #toString()}).
 *
 * @param servers           tried in order (failover); all {@code ldaps} or all {@code ldap}
 * @param startTls          upgrade each {@code ldap://} connection with StartTLS before anything else is sent
 * @param caFile            PEM certificates the directory's certificate must chain to; null: the JVM's trust store
 * @param insecurePlainLdap the explicit opt-out that allows plain {@code ldap://} to a host that is not loopback
 * @param loginAttribute    what users type: matched (escaped) against this attribute under {@code userBase}
 * @param usernameAttribute the attribute whose value (lower case) is the Portcullis username (sessions, policy)
 * @param userFilter        an extra condition every user entry must meet (e.g. {@code (objectClass=user)}), or null
 * @param recheckInterval   how long a signed-in user is trusted before the directory is asked again
 */
public record LdapConfig(List<Server> servers, boolean startTls, Path caFile, boolean insecurePlainLdap,
                         String bindDn, String bindPassword, String userBase, String loginAttribute,
                         String usernameAttribute, String userFilter, String displayNameAttribute,
                         String emailAttribute, LdapGroupsConfig groups, int poolSize, Duration connectTimeout,
                         Duration responseTimeout, Duration recheckInterval) {
    public static final int DEFAULT_POOL_SIZE = 4;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofMinutes(5);
    public static final String DEFAULT_DISPLAY_NAME_ATTRIBUTE = "displayName";
    public static final String DEFAULT_EMAIL_ATTRIBUTE = "mail";
    /** The login attributes Portcullis knows how to treat; others are refused at load (docs/ldap.md). */
    public static final List<String> LOGIN_ATTRIBUTES = List.of("sAMAccountName", "userPrincipalName", "uid", "mail");

    /** One directory server: {@code ldaps://host:port} or {@code ldap://host:port}. */
    public record Server(boolean ldaps, String host, int port) {
        public Server {
            Objects.requireNonNull(host, "host");
        }

        public URI uri() {
            return URI.create((ldaps ? "ldaps://" : "ldap://") + (host.contains(":") ? "[" + host + "]" : host)
                    + ":" + port);
        }

        /** A loopback address or {@code localhost}: the only hosts plain LDAP may reach without the opt-out. */
        public boolean loopback() {
            String h = host.toLowerCase(Locale.ROOT);
            return h.equals("localhost") || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        }

        @Override
        public String toString() {
            return uri().toString();
        }
    }

    public LdapConfig {
        servers = List.copyOf(servers);
        Objects.requireNonNull(bindDn, "bindDn");
        Objects.requireNonNull(bindPassword, "bindPassword");
        Objects.requireNonNull(userBase, "userBase");
        Objects.requireNonNull(loginAttribute, "loginAttribute");
        Objects.requireNonNull(usernameAttribute, "usernameAttribute");
        Objects.requireNonNull(displayNameAttribute, "displayNameAttribute");
        Objects.requireNonNull(emailAttribute, "emailAttribute");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(recheckInterval, "recheckInterval");
    }

    /** Whether passwords travel in clear text: {@code ldap://} without StartTLS. */
    public boolean plain() {
        return !servers.get(0).ldaps() && !startTls;
    }

    @Override
    public String toString() {
        return "LdapConfig[servers=" + servers + ", startTls=" + startTls + ", caFile=" + caFile
                + ", insecurePlainLdap=" + insecurePlainLdap + ", bindDn=" + bindDn + ", bindPassword=(redacted)"
                + ", userBase=" + userBase + ", loginAttribute=" + loginAttribute + ", usernameAttribute="
                + usernameAttribute + ", userFilter=" + userFilter + ", groups=" + groups + ", poolSize=" + poolSize
                + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
                + ", recheckInterval=" + recheckInterval + "]";
    }
}
