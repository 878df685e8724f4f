package org.portcullis.config;

/**
 * Every users-file error text (docs/users.md lists them), in the style of {@link Messages}. Password hashes are
 * never quoted: a message names what is wrong with the hash (algorithm, version, cost), not its value.
 */
final class UsersMessages {
    static final String PHC_FORMAT = "$argon2id$v=19$m=KIB,t=ITERATIONS,p=LANES$SALT$HASH";

    private UsersMessages() {
    }

    static String notUsername(String value) {
        return value + " is not a username (allowed: 1 to 64 of a-z, A-Z, 0-9, '.', '_' and '-', starting with a"
                + " letter or digit)";
    }

    static String notEmail(String value) {
        return value + " is not an email address (allowed: local-part@domain in ASCII, e.g. alice@example.org)";
    }

    static String notGroup(String value) {
        return value + " is not a group name (allowed: 1 to 64 of a-z, A-Z, 0-9, '.', '_' and '-')";
    }

    static String notDisplayName(String value) {
        return value + " is not a display name (allowed: up to 200 characters, no control characters)";
    }

    static String loginAlreadyUsed(String value, String firstPath) {
        return value + " is already used by " + firstPath + " (usernames and emails compare case-insensitively)";
    }

    static String referenceNotAllowed() {
        return "${env:…} and ${file:…} are not supported in a users file (allowed: the value itself)";
    }

    static String notPhc(String value) {
        return value + " is not a password hash (allowed: " + PHC_FORMAT + ", as written by 'portcullis hash-password')";
    }

    static String hashAlgorithm(String algorithm) {
        return "algorithm '" + ValueDisplay.escape(algorithm) + "' is not supported (allowed: argon2id)";
    }

    static String hashVersion(String version) {
        return "Argon2 version v=" + version + " is not supported (allowed: v=19)";
    }

    static String hashCostOutOfRange(String cost) {
        return cost + " is out of range (allowed: m 8×p to " + PasswordHash.MAX_MEMORY_KIB + " KiB, t 1 to "
                + PasswordHash.MAX_ITERATIONS + ", p 1 to " + PasswordHash.MAX_PARALLELISM + ")";
    }

    static String hashBelowMinimum(String cost) {
        return cost + " is below the OWASP minimum (allowed: at least m=" + PasswordHash.MIN_MEMORY_KIB + ",t="
                + PasswordHash.MIN_ITERATIONS + ",p=1 or m=" + PasswordHash.MIN_MEMORY_KIB_ONE_PASS
                + ",t=1,p=1; rehash with 'portcullis users passwd')";
    }

    static String hashSalt() {
        return "salt is not " + PasswordHash.MIN_SALT_BYTES + " to " + PasswordHash.MAX_SALT_BYTES
                + " bytes of unpadded base64";
    }

    static String hashBytes() {
        return "hash is not " + PasswordHash.MIN_HASH_BYTES + " to " + PasswordHash.MAX_HASH_BYTES
                + " bytes of unpadded base64";
    }
}
