package org.portcullis.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

import org.portcullis.config.GatewayConfig;
import org.portcullis.config.LdapConfig;
import org.portcullis.directory.LdapUserDirectory;
import org.portcullis.identity.DirectoryUnavailableException;

/**
 * For commands that name a user ({@code invite}, {@code reset-mfa}): a name the users file does not have may be a
 * directory user ({@code users.ldap}), whose factors Portcullis keeps under the directory's username. The directory is
 * asked once, with the service account; a disabled entry counts as absent.
 */
final class DirectoryAccountCheck {
    /**
     * @param configured whether the config has a directory at all (if not, the caller reports the users file's answer)
     * @param username   the directory's username for the name, or null after saying why on {@code err}
     */
    record Answer(boolean configured, String username) {
    }

    private DirectoryAccountCheck() {
    }

    static Answer username(Path config, String name, PrintWriter err) {
        GatewayConfig loaded = Optional.ofNullable(ConfigLoading.loadOrReport(config, err))
                .map(l -> l.config()).orElse(null);
        LdapConfig ldap = loaded == null || loaded.users() == null ? null : loaded.users().ldap();
        if (ldap == null) {
            return new Answer(false, null);
        }
        try {
            Optional<String> username = LdapUserDirectory.lookUpUsername(ldap, name);
            if (username.isEmpty()) {
                err.println("error: no user '" + name + "' in the users file or the directory (users.ldap), or the"
                        + " directory entry is disabled");
            }
            return new Answer(true, username.orElse(null));
        } catch (DirectoryUnavailableException e) {
            err.println("error: the directory (users.ldap) cannot be asked about '" + name + "': " + e.getMessage());
            return new Answer(true, null);
        }
    }
}
