package org.portcullis.config;

/** Every {@code users.ldap} error and warning text (docs/configuration.md, "users.ldap"), in the style of {@link Messages}. */
final class LdapMessages {
    private LdapMessages() {
    }

    static String notLdapUrl(String value) {
        return value + " is not an LDAP URL (allowed: ldaps://HOST[:PORT] or ldap://HOST[:PORT], nothing after the port)";
    }

    static String mixedSchemes() {
        return "mixes ldaps:// and ldap:// URLs (allowed: all ldaps://, or all ldap:// with or without start_tls)";
    }

    static String startTlsWithLdaps() {
        return "start_tls is for ldap:// URLs; ldaps:// is TLS from the first byte (allowed: false with ldaps://)";
    }

    static String caFileWithoutTls() {
        return "ca_file is only used with TLS (allowed: with ldaps:// URLs or start_tls: true)";
    }

    static String plainLdapRefused(String host) {
        return "plain ldap:// to " + host + " would send every password in clear text (allowed: ldaps://, "
                + "start_tls: true, a loopback host, or insecure_plain_ldap: true after reading docs/ldap.md)";
    }

    static String plainLdapWarning() {
        return "INSECURE: insecure_plain_ldap is on: every user's password and the service account's password cross"
                + " the network in clear text to the directory; use ldaps:// or start_tls: true";
    }

    static String insecureFlagWithTls() {
        return "insecure_plain_ldap is only meaningful with plain ldap:// (allowed: remove it when TLS is used)";
    }

    static String notDn(String value, String reason) {
        return value + " is not a distinguished name (" + reason + "; e.g. OU=Staff,DC=corp,DC=example)";
    }

    static String notFilter(String value, String reason) {
        return value + " is not an LDAP filter (" + reason + "; e.g. (objectClass=user))";
    }

    static String notAttribute(String value) {
        return value + " is not an attribute name (allowed: a letter, then letters, digits and '-'; or an OID)";
    }

    static String notLoginAttribute(String value) {
        return value + " is not a supported login attribute (allowed: "
                + String.join(", ", LdapConfig.LOGIN_ATTRIBUTES) + ")";
    }

    static String usernameAttributeNeeded(String login) {
        return "username_attribute is required with login_attribute: " + login
                + " (the Portcullis username must be a short name, e.g. sAMAccountName or uid)";
    }

    static String passwordNotSecret() {
        return "bind_password must come from a secret (allowed: ${env:NAME} or ${file:/absolute/path}), never the"
                + " password itself in the config";
    }

    static String notGroupLookup(String value) {
        return value + " is not a group lookup (allowed: active_directory, member_of, search)";
    }
}
