package org.portcullis.directory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One user entry as the directory holds it, read with the service account: where it is ({@code dn}), the Portcullis
 * username ({@code users.ldap.username_attribute}, lower case), the mapped display name and e-mail, whether the
 * directory marks it disabled (AD {@code userAccountControl} bit 2, OpenLDAP ppolicy {@code pwdAccountLockedTime}),
 * and its {@code memberOf} values (read only for the {@code member_of} group lookup).
 */
record DirectoryEntry(String dn, String username, String displayName, Optional<String> email, boolean disabled,
                      List<String> memberOf) {
    DirectoryEntry {
        Objects.requireNonNull(dn, "dn");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(email, "email");
        memberOf = List.copyOf(memberOf);
    }
}
