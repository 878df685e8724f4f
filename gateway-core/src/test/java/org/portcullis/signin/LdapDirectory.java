package org.portcullis.signin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.portcullis.fixtures.Slapd;

/**
 * The test directory of the LDAP sign-in tests, in a {@link Slapd}: a service account, carol (nurse, so in
 * {@code clinical} through the nested {@code nurses} group), dave (staff only), erin (disabled the AD way,
 * {@code userAccountControl: 514}); and the {@code users.ldap} YAML that points a gateway at it.
 */
final class LdapDirectory {
    static final String SERVICE_DN = "cn=portcullis-svc," + Slapd.SUFFIX;
    static final String SERVICE_PASSWORD = "service account password";
    static final String CAROL_PASSWORD = "carol's directory password";
    static final String DAVE_PASSWORD = "dave's directory password";
    static final String ERIN_PASSWORD = "erin's directory password";
    static final String CAROL_DN = "uid=carol," + Slapd.PEOPLE;

    final Slapd slapd;
    final Path passwordFile;

    private LdapDirectory(Slapd slapd, Path passwordFile) {
        this.slapd = slapd;
        this.passwordFile = passwordFile;
    }

    static LdapDirectory start(Path dir) throws IOException {
        Slapd slapd = Slapd.start(dir.resolve("slapd"));
        slapd.add("""
                dn: %s
                objectClass: organizationalRole
                objectClass: simpleSecurityObject
                cn: portcullis-svc
                userPassword: %s

                %s

                %s

                %s

                dn: cn=nurses,%s
                objectClass: groupOfNames
                cn: nurses
                member: %s

                dn: cn=clinical,%s
                objectClass: groupOfNames
                cn: clinical
                member: cn=nurses,%s

                dn: cn=staff,%s
                objectClass: groupOfNames
                cn: staff
                member: %s
                member: uid=dave,%s

                dn: cn=Ward 7 Night Staff,%s
                objectClass: groupOfNames
                cn: Ward 7 Night Staff
                member: %s
                """.formatted(SERVICE_DN, SERVICE_PASSWORD,
                person("carol", "Carol Directory", CAROL_PASSWORD, 512),
                person("dave", "Dave Directory", DAVE_PASSWORD, 512),
                person("erin", "Erin Directory", ERIN_PASSWORD, 514),
                Slapd.GROUPS, CAROL_DN, Slapd.GROUPS, Slapd.GROUPS, Slapd.GROUPS, CAROL_DN, Slapd.PEOPLE,
                Slapd.GROUPS, CAROL_DN));
        Path passwordFile = Files.writeString(dir.resolve("ldap-service-password"), SERVICE_PASSWORD + "\n");
        return new LdapDirectory(slapd, passwordFile);
    }

    static String person(String uid, String name, String password, int userAccountControl) {
        return """
                dn: uid=%1$s,%2$s
                objectClass: inetOrgPerson
                objectClass: portcullisAdLikeUser
                uid: %1$s
                sAMAccountName: %1$s
                cn: %3$s
                sn: %1$s
                displayName: %3$s
                mail: %1$s@example.org
                userPassword: %4$s
                userAccountControl: %5$d""".formatted(uid, Slapd.PEOPLE, name, password, userAccountControl);
    }

    /** {@code users.ldap} over ldaps with the test CA, the search group lookup and {@code extra} keys. */
    String usersYaml(String extra) {
        return usersYaml("urls: [" + slapd.ldapsUrl() + "]\nca_file: " + slapd.caCertificatePem() + "\n", extra);
    }

    /** {@code users.ldap} with {@code transport} (urls and TLS keys) and {@code extra} keys. */
    String usersYaml(String transport, String extra) {
        return ("ldap:\n" + (transport + """
                bind_dn: %s
                bind_password: ${file:%s}
                user_base: %s
                login_attribute: uid
                groups:
                  lookup: search
                  base: %s
                connect_timeout: 2s
                response_timeout: 3s
                """.formatted(SERVICE_DN, passwordFile, Slapd.PEOPLE, Slapd.GROUPS) + extra).indent(2));
    }

    void close() {
        slapd.close();
    }
}
