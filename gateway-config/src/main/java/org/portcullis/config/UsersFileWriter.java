package org.portcullis.config;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes a users file for {@code portcullis users}: every value double-quoted and escaped (a display name can never
 * break out of its line), one user per block, in the order given. Writing is atomic: a temporary file in the same
 * directory is written, read back through {@link UsersFileLoader} and only then moved over the old file, so the
 * gateway's watcher never sees half a file and never a file it would refuse.
 *
 * <p>Comments and formatting of the old file are not kept: the file is rewritten from its accounts.
 */
public final class UsersFileWriter {
    static final String HEADER = "# Portcullis users (docs/users.md). Edited by 'portcullis users'; comments are not kept.\n";
    /** A new users file holds password hashes: owner only. */
    static final Set<PosixFilePermission> NEW_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    private final UsersFileLoader loader;

    public UsersFileWriter(UsersFileLoader loader) {
        this.loader = loader;
    }

    /** The YAML text of {@code users}. */
    public static String render(List<UserEntry> users) {
        StringBuilder out = new StringBuilder(HEADER).append("users:\n");
        for (UserEntry user : users) {
            out.append("  - username: ").append(quote(user.username())).append('\n');
            if (!user.displayName().equals(user.username())) {
                out.append("    display_name: ").append(quote(user.displayName())).append('\n');
            }
            user.emailAddress().ifPresent(e -> out.append("    email: ").append(quote(e)).append('\n'));
            if (!user.groups().isEmpty()) {
                out.append("    groups: [")
                        .append(user.groups().stream().map(UsersFileWriter::quote).collect(Collectors.joining(", ")))
                        .append("]\n");
            }
            out.append("    disabled: ").append(user.disabled()).append('\n');
            out.append("    password: ").append(quote(user.password().encoded())).append('\n');
        }
        return out.toString();
    }

    /**
     * Replaces {@code file} with {@code users}, atomically; a new file is created owner-only, an existing one keeps
     * its permissions.
     *
     * @throws ConfigException if the written text does not load back (a bug, never expected); the old file is kept
     */
    public UsersFile write(Path file, List<UserEntry> users) throws IOException, ConfigException {
        Path target = file.toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            setPermissions(target, temp);
            Files.writeString(temp, render(users));
            loader.load(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new UsersFile(file, users);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void setPermissions(Path target, Path temp) throws IOException {
        if (!Files.getFileStore(temp).supportsFileAttributeView("posix")) {
            return;
        }
        Files.setPosixFilePermissions(temp, Files.exists(target)
                ? Files.getPosixFilePermissions(target) : NEW_FILE_PERMISSIONS);
    }

    /** A YAML double-quoted scalar (YAML 1.2 §7.3.1): backslash and quote escaped, control characters escaped by code. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02X", c));
            } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0xFEFF) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
