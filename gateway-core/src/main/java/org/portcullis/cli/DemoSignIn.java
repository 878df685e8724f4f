package org.portcullis.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;

/**
 * The demo's sign-in: a storage key kept in the demo folder (made once, mode 0600) and a users file with one account,
 * {@value #USERNAME}, whose password is new at every start and printed for the person trying the demo. Demo only: a
 * real deployment keeps its key outside the data folder and its users in a file an admin maintains.
 */
final class DemoSignIn {
    static final String USERNAME = "demo";
    static final String KEY_FILE = "storage.key";
    /** The audit trail's HMAC key: its own key, never the storage key (the config loader refuses a shared one). */
    static final String AUDIT_KEY_FILE = "audit.key";
    static final String USERS_FILE = "users.yaml";
    private static final int PASSWORD_CHARS = 16;
    /** No look-alikes (0/O, 1/l/I), so the printed password can be typed without doubt. */
    private static final String PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ";

    private DemoSignIn() {
    }

    /** Writes the keys (if missing) and a users file with a fresh password; returns the password. */
    static String prepare(Path dataDir, SecureRandom random) throws IOException {
        for (String name : new String[] {KEY_FILE, AUDIT_KEY_FILE}) {
            Path key = dataDir.resolve(name);
            if (!Files.exists(key)) {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                Files.writeString(key, HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.US_ASCII);
                restrict(key);
            }
        }
        StringBuilder password = new StringBuilder(PASSWORD_CHARS);
        for (int i = 0; i < PASSWORD_CHARS; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        String hash = new PasswordHasher(Argon2Parameters.defaults()).hash(password.toString().toCharArray());
        Path users = dataDir.resolve(USERS_FILE);
        Files.writeString(users, """
                # Written by `./portcullis demo` at every start, with a new password.
                users:
                  - username: %s
                    display_name: Demo Clinician
                    groups: [clinicians]
                    password: "%s"
                """.formatted(USERNAME, hash), StandardCharsets.UTF_8);
        restrict(users);
        return password.toString();
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the demo folder's own permissions apply.
        }
    }
}
