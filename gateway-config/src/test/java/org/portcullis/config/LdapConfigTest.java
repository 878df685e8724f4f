package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code users.ldap}: what loads, and every refusal with FILE:LINE, the key and the reason. */
class LdapConfigTest {
    private static final String SECRET = "s3rvice-Pa55";

    @TempDir
    Path dir;

    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir, Map.of("LDAP_PASSWORD", SECRET));
        files.write("users.yaml", "users: []\n");
        files.write("ca.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    }

    /** Line 4 is {@code users:}, line 6 {@code ldap:}, line 7 the first key below it. */
    private static String users(String ldapKeys) {
        return ConfigFiles.MINIMAL + "users:\n  file: users.yaml\n  ldap:\n" + ldapKeys.indent(4);
    }

    private static final String GROUPS = """
            groups:
              lookup: active_directory
              base: OU=Groups,DC=corp,DC=example
            """;

    private static final String BASICS = """
            bind_dn: CN=svc-portcullis,OU=Service,DC=corp,DC=example
            bind_password: ${env:LDAP_PASSWORD}
            user_base: OU=Staff,DC=corp,DC=example
            login_attribute: sAMAccountName
            """ + GROUPS;

    @Test
    void activeDirectoryWithFailoverLoadsWithItsDefaults() throws Exception {
        LoadedConfig loaded = files.load(users("urls: [ldaps://dc1.corp.example, 'ldaps://dc2.corp.example:3269']\n"
                + "ca_file: ca.pem\n" + BASICS));
        LdapConfig ldap = loaded.config().users().ldap();
        assertThat(ldap.servers()).containsExactly(new LdapConfig.Server(true, "dc1.corp.example", 636),
                new LdapConfig.Server(true, "dc2.corp.example", 3269));
        assertThat(ldap.caFile()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(ldap.bindPassword()).isEqualTo(SECRET);
        assertThat(ldap.usernameAttribute()).isEqualTo("sAMAccountName");
        assertThat(ldap.groups()).isEqualTo(new LdapGroupsConfig(LdapGroupsConfig.Lookup.ACTIVE_DIRECTORY,
                "OU=Groups,DC=corp,DC=example", "cn", "member"));
        assertThat(ldap.poolSize()).isEqualTo(4);
        assertThat(ldap.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ldap.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ldap.recheckInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(loaded.config().toString()).doesNotContain(SECRET);
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void startTlsAndPlainLoopbackLoad() throws Exception {
        assertThat(files.load(users("urls: [ldap://ldap.corp.example]\nstart_tls: true\n" + BASICS)).config()
                .users().ldap().startTls()).isTrue();
        assertThat(files.load(users("urls: [ldap://127.0.0.1:3389, 'ldap://[::1]:3389']\n" + BASICS)).config()
                .users().ldap().plain()).isTrue();
    }

    @Test
    void plainLdapToTheNetworkIsRefused() {
        assertThat(files.onlyError(users("urls: [ldap://127.0.0.1, ldap://dc1.corp.example]\n" + BASICS)))
                .isEqualTo(files.at(7, "users.ldap.urls: plain ldap:// to dc1.corp.example would send every"
                        + " password in clear text (allowed: ldaps://, start_tls: true, a loopback host, or"
                        + " insecure_plain_ldap: true after reading docs/ldap.md)"));
    }

    @Test
    void theOptOutLoadsWithALoudWarning() throws Exception {
        LoadedConfig loaded = files.load(users("urls: [ldap://dc1.corp.example]\ninsecure_plain_ldap: true\n"
                + BASICS));
        assertThat(loaded.config().users().ldap().insecurePlainLdap()).isTrue();
        assertThat(loaded.warnings().stream().map(ConfigProblem::toString)).containsExactly(files.at(8,
                "users.ldap.insecure_plain_ldap: INSECURE: insecure_plain_ldap is on: every user's password and the"
                        + " service account's password cross the network in clear text to the directory; use"
                        + " ldaps:// or start_tls: true"));
    }

    @Test
    void aPasswordWrittenIntoTheConfigIsRefusedAndNotShown() {
        String error = files.onlyError(users("urls: [ldaps://dc1.corp.example]\n"
                + BASICS.replace("${env:LDAP_PASSWORD}", "hunter2hunter2")));
        assertThat(error).isEqualTo(files.at(9, "users.ldap.bind_password: bind_password must come from a secret"
                + " (allowed: ${env:NAME} or ${file:/absolute/path}), never the password itself in the config"));
        assertThat(error).doesNotContain("hunter2");
    }

    @Test
    void everyTransportMistakeNamesItsLine() {
        List<String> errors = files.errors(users("""
                urls: [ldaps://dc1.corp.example, ldap://dc2.corp.example]
                """ + BASICS));
        assertThat(errors).containsExactly(files.at(7, "users.ldap.urls: mixes ldaps:// and ldap:// URLs (allowed: all"
                + " ldaps://, or all ldap:// with or without start_tls)"));
        assertThat(files.onlyError(users("urls: [ldaps://dc1.corp.example]\nstart_tls: true\n" + BASICS)))
                .isEqualTo(files.at(8, "users.ldap.start_tls: start_tls is for ldap:// URLs; ldaps:// is TLS from"
                        + " the first byte (allowed: false with ldaps://)"));
        assertThat(files.onlyError(users("urls: ['ldaps://dc1.corp.example/DC=corp']\n" + BASICS)))
                .isEqualTo(files.at(7, "users.ldap.urls[0]: 'ldaps://dc1.corp.example/DC=corp' is not an LDAP URL"
                        + " (allowed: ldaps://HOST[:PORT] or ldap://HOST[:PORT], nothing after the port)"));
        assertThat(files.onlyError(users("urls: [ldap://127.0.0.1]\nca_file: ca.pem\n" + BASICS)))
                .isEqualTo(files.at(8, "users.ldap.ca_file: ca_file is only used with TLS (allowed: with ldaps://"
                        + " URLs or start_tls: true)"));
    }

    @Test
    void namesFiltersAndAttributesAreChecked() {
        String common = "urls: [ldaps://dc1.corp.example]\nbind_password: ${env:LDAP_PASSWORD}\n" + GROUPS;
        List<String> errors = files.errors(users(common + """
                bind_dn: not a dn
                user_base: OU=Staff,DC=corp,DC=example
                login_attribute: cn
                user_filter: (objectClass=user
                """));
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).startsWith(files.at(12, "users.ldap.bind_dn: 'not a dn' is not a distinguished"
                + " name"));
        assertThat(errors.get(1)).isEqualTo(files.at(14, "users.ldap.login_attribute: 'cn' is not a supported login"
                + " attribute (allowed: sAMAccountName, userPrincipalName, uid, mail)"));
        assertThat(errors.get(2)).startsWith(files.at(15, "users.ldap.user_filter: '(objectClass=user' is not an LDAP"
                + " filter"));
        assertThat(files.onlyError(users(common + """
                bind_dn: CN=svc,DC=corp,DC=example
                user_base: OU=Staff,DC=corp,DC=example
                login_attribute: userPrincipalName
                """))).isEqualTo(files.at(14, "users.ldap.login_attribute: username_attribute is required with"
                + " login_attribute: userPrincipalName (the Portcullis username must be a short name, e.g."
                + " sAMAccountName or uid)"));
    }

    @Test
    void memberAttributeBelongsToTheSearchLookup() {
        assertThat(files.onlyError(users("urls: [ldaps://dc1.corp.example]\n" + BASICS
                + "  member_attribute: uniqueMember\n"))).isEqualTo(files.at(15,
                "users.ldap.groups.member_attribute: only allowed with lookup: search"));
    }

    @Test
    void recheckIntervalIsBounded() {
        assertThat(files.onlyError(users("urls: [ldaps://dc1.corp.example]\nrecheck_interval: 1s\n" + BASICS)))
                .isEqualTo(files.at(8, "users.ldap.recheck_interval: '1s' is out of range (allowed: 10s to 24h)"));
    }
}
