package org.portcullis.config;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argon2id password hash in the PHC string format
 * ({@code $argon2id$v=19$m=KIB,t=ITERATIONS,p=LANES$SALT$HASH}, salt and hash in unpadded standard base64, as the
 * reference implementation and RFC 9106 tooling write them). Only Argon2id version 19 (0x13) is accepted: Argon2i
 * and Argon2d are weaker against side channels or GPU trade-offs (RFC 9106 §4 recommends Argon2id), and version 16
 * has a known weakness.
 *
 * <p>Costs below OWASP's minimum (Password Storage Cheat Sheet: 19 MiB with t=2, or 46 MiB with t=1, p=1) are
 * refused, and so are costs above {@link #MAX_MEMORY_KIB}/{@link #MAX_ITERATIONS}/{@link #MAX_PARALLELISM}: a typo
 * such as {@code m=1945600} would otherwise make every login allocate 1.9 GiB.
 *
 * <p>The hash is not the password, but it is what an attacker cracks offline, so {@link #toString()} never shows
 * salt or hash. The arrays are copied in and out; the record is immutable.
 */
public record PasswordHash(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
    public static final String ALGORITHM = "argon2id";
    public static final int VERSION = 19;
    /** OWASP's minimum memory for t=2 (19 MiB). */
    public static final int MIN_MEMORY_KIB = 19456;
    public static final int MIN_ITERATIONS = 2;
    /** OWASP's alternative minimum with a single pass: 46 MiB, t=1. */
    public static final int MIN_MEMORY_KIB_ONE_PASS = 47104;
    public static final int MIN_PARALLELISM = 1;
    public static final int MAX_MEMORY_KIB = 1024 * 1024;
    public static final int MAX_ITERATIONS = 16;
    public static final int MAX_PARALLELISM = 16;
    public static final int MIN_SALT_BYTES = 8;
    public static final int MAX_SALT_BYTES = 64;
    public static final int MIN_HASH_BYTES = 16;
    public static final int MAX_HASH_BYTES = 64;

    private static final Pattern PHC = Pattern.compile(
            "\\$([a-z0-9-]+)\\$v=([0-9]{1,5})\\$m=([0-9]{1,10}),t=([0-9]{1,10}),p=([0-9]{1,10})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Pattern ALGORITHM_PREFIX = Pattern.compile("\\$([a-z0-9-]+)\\$.*", Pattern.DOTALL);
    private static final Base64.Decoder DECODER = Base64.getDecoder();
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    public PasswordHash {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(hash, "hash");
        salt = salt.clone();
        hash = hash.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** The PHC string, as written to the users file. */
    public String encoded() {
        return "$" + ALGORITHM + "$v=" + VERSION + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** Only the cost, never salt or hash. */
    public String costText() {
        return "m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
    }

    /** Whether the cost is at least OWASP's minimum. */
    public boolean meetsMinimumCost() {
        return meetsMinimumCost(memoryKib, iterations, parallelism);
    }

    public static boolean meetsMinimumCost(int memoryKib, int iterations, int parallelism) {
        boolean memoryAndPasses = memoryKib >= MIN_MEMORY_KIB && iterations >= MIN_ITERATIONS
                || memoryKib >= MIN_MEMORY_KIB_ONE_PASS && iterations >= 1;
        return memoryAndPasses && parallelism >= MIN_PARALLELISM;
    }

    /** Whether the cost is within the maximums (so that one login cannot exhaust memory or CPU). */
    public static boolean withinMaximumCost(int memoryKib, int iterations, int parallelism) {
        return memoryKib <= MAX_MEMORY_KIB && iterations <= MAX_ITERATIONS && parallelism <= MAX_PARALLELISM;
    }

    /**
     * Parses the syntax and checks algorithm, version, salt and hash lengths and the maximum cost; the minimum cost
     * is left to the caller ({@link #meetsMinimumCost()}), since tests hash with tiny costs.
     */
    public static Parsed parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = PHC.matcher(text);
        if (!m.matches()) {
            Matcher prefix = ALGORITHM_PREFIX.matcher(text);
            if (prefix.matches() && !prefix.group(1).equals(ALGORITHM)) {
                return Parsed.failed(UsersMessages.hashAlgorithm(prefix.group(1)));
            }
            return Parsed.failed(UsersMessages.notPhc(ValueDisplay.redacted(text)));
        }
        if (!m.group(1).equals(ALGORITHM)) {
            return Parsed.failed(UsersMessages.hashAlgorithm(m.group(1)));
        }
        if (!m.group(2).equals(Integer.toString(VERSION))) {
            return Parsed.failed(UsersMessages.hashVersion(m.group(2)));
        }
        long memory = Long.parseLong(m.group(3));
        long iterations = Long.parseLong(m.group(4));
        long parallelism = Long.parseLong(m.group(5));
        if (memory < 1 || iterations < 1 || parallelism < 1
                || !withinMaximumCost((int) Math.min(memory, Integer.MAX_VALUE),
                        (int) Math.min(iterations, Integer.MAX_VALUE), (int) Math.min(parallelism, Integer.MAX_VALUE))
                || memory < 8 * parallelism) {
            return Parsed.failed(UsersMessages.hashCostOutOfRange("m=" + memory + ",t=" + iterations
                    + ",p=" + parallelism));
        }
        byte[] salt = decode(m.group(6), MIN_SALT_BYTES, MAX_SALT_BYTES);
        if (salt == null) {
            return Parsed.failed(UsersMessages.hashSalt());
        }
        byte[] hash = decode(m.group(7), MIN_HASH_BYTES, MAX_HASH_BYTES);
        if (hash == null) {
            return Parsed.failed(UsersMessages.hashBytes());
        }
        return new Parsed(new PasswordHash((int) memory, (int) iterations, (int) parallelism, salt, hash), null);
    }

    /** Unpadded base64 of {@code min} to {@code max} bytes, or null. */
    private static byte[] decode(String text, int min, int max) {
        if (text.length() % 4 == 1) {
            return null; // never produced by unpadded base64
        }
        try {
            byte[] bytes = DECODER.decode(text);
            if (!ENCODER.encodeToString(bytes).equals(text)) {
                return null; // non-canonical trailing bits: two spellings of one hash
            }
            return bytes.length >= min && bytes.length <= max ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The outcome of {@link #parse(String)}: a hash, or a message saying what is wrong (never quoting the value). */
    public record Parsed(PasswordHash hash, String problem) {
        static Parsed failed(String problem) {
            return new Parsed(null, problem);
        }

        public boolean ok() {
            return hash != null;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasswordHash h && memoryKib == h.memoryKib && iterations == h.iterations
                && parallelism == h.parallelism && Arrays.equals(salt, h.salt) && Arrays.equals(hash, h.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(memoryKib, iterations, parallelism, Arrays.hashCode(salt), Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "PasswordHash[" + ALGORITHM + ", " + costText() + ", salt and hash redacted]";
    }
}
