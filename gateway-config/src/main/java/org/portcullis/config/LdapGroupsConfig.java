package org.portcullis.config;

import java.util.Objects;

/**
 * {@code users.ldap.groups}: how a user's groups (for {@code group:} policy subjects) are found, nested groups
 * included. Names come from {@code nameAttribute} of each group entry, in lower case; a name that is not a valid
 * Portcullis group name (1 to 64 of a-z, 0-9, '.', '_', '-') is left out.
 *
 * @param lookup          {@link Lookup}
 * @param base            where groups live (the subtree searched)
 * @param nameAttribute   the attribute that names a group (default {@code cn})
 * @param memberAttribute for {@link Lookup#SEARCH}: the group attribute that holds member DNs (default {@code member})
 */
public record LdapGroupsConfig(Lookup lookup, String base, String nameAttribute, String memberAttribute) {
    public static final String DEFAULT_NAME_ATTRIBUTE = "cn";
    public static final String DEFAULT_MEMBER_ATTRIBUTE = "member";

    public enum Lookup {
        /**
         * Active Directory: one search for groups whose member attribute contains the user through any chain of
         * groups ({@code member:1.2.840.113556.1.4.1941:=}, LDAP_MATCHING_RULE_IN_CHAIN).
         */
        ACTIVE_DIRECTORY("active_directory"),
        /** The user's {@code memberOf} values, then each group's own {@code memberOf}, walked (OpenLDAP memberof overlay, AD). */
        MEMBER_OF("member_of"),
        /** Searches groups whose {@code memberAttribute} names the user, then the groups naming those, walked. */
        SEARCH("search");

        private final String yaml;

        Lookup(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

    public LdapGroupsConfig {
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(nameAttribute, "nameAttribute");
        Objects.requireNonNull(memberAttribute, "memberAttribute");
    }
}
