package org.portcullis.identity;

import org.portcullis.config.PasswordHash;

/**
 * The cost of one Argon2id hash (RFC 9106 §3.1): memory in KiB ({@code m}), passes ({@code t}) and lanes
 * ({@code p}).
 *
 * <p>{@link #defaults()} is m=65536 (64 MiB), t=4, p=1. Measured on the 2-core reference machine (AMD EPYC, JDK 17,
 * Bouncy Castle 1.87, one hash at a time; docs/users.md has the whole table) it takes about 0.3 s, inside the 0.3–0.6 s
 * a sign-in can afford, and is well above OWASP's minimum (m=19456, t=2, p=1, about 0.05 s here). Memory is the cost
 * that hurts GPU and ASIC attackers most, so it is raised before passes. p=1 because the hash runs on a one-thread
 * pool ({@link PasswordCheckPool}): more lanes would not run in parallel here (Bouncy Castle computes lanes in turn).
 */
public record Argon2Parameters(int memoryKib, int iterations, int parallelism) {
    public static final int DEFAULT_MEMORY_KIB = 65536;
    public static final int DEFAULT_ITERATIONS = 4;
    public static final int DEFAULT_PARALLELISM = 1;

    public Argon2Parameters {
        if (iterations < 1 || parallelism < 1 || memoryKib < 8 * parallelism
                || !PasswordHash.withinMaximumCost(memoryKib, iterations, parallelism)) {
            throw new IllegalArgumentException("Argon2 parameters out of range: m=" + memoryKib + ",t=" + iterations
                    + ",p=" + parallelism);
        }
    }

    public static Argon2Parameters defaults() {
        return new Argon2Parameters(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);
    }

    /** The parameters a stored hash was made with (to verify it, or to make a dummy hash of the same cost). */
    public static Argon2Parameters of(PasswordHash hash) {
        return new Argon2Parameters(hash.memoryKib(), hash.iterations(), hash.parallelism());
    }

    public boolean meetsMinimumCost() {
        return PasswordHash.meetsMinimumCost(memoryKib, iterations, parallelism);
    }

    @Override
    public String toString() {
        return "m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
    }
}
