package org.portcullis.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * The users file and a directory as one {@link UserDirectory}, the file first: a login or username the file knows is
 * the file's account, whatever the directory holds under the same name (docs/ldap.md, "Both sources"). So a local
 * break-glass account keeps working while the directory is down, and a directory entry can never take over a local
 * account's name, sessions or second factors.
 */
public final class FileThenDirectory implements UserDirectory {
    private final UserDirectory file;
    private final UserDirectory directory;

    public FileThenDirectory(UserDirectory file, UserDirectory directory) {
        this.file = Objects.requireNonNull(file, "file");
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public Optional<User> find(String login) {
        Optional<User> local = file.find(login);
        return local.isPresent() ? local : directory.find(login);
    }

    @Override
    public Optional<User> confirm(String username) {
        Optional<User> local = file.find(username);
        return local.isPresent() ? local : directory.confirm(username);
    }
}
