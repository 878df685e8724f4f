package org.portcullis.identity;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.portcullis.config.PasswordHash;

/**
 * Argon2id (RFC 9106) with Bouncy Castle's {@link Argon2BytesGenerator}: new hashes get a 16-byte random salt
 * (RFC 9106 §3.1 recommends 16) and a 32-byte tag, written as a PHC string; stored hashes are verified with the
 * parameters they were made with and compared with {@link MessageDigest#isEqual} (constant time).
 *
 * <p>Hashing is deliberately slow (≈0.3 s with the defaults). Never call this on a Netty event loop: go through
 * {@link PasswordCheckPool} (SECURITY-RULES 18).
 *
 * <p>Passwords are encoded as UTF-8. A password with non-ASCII characters is first normalised to NFKC, as NIST
 * SP 800-63B §5.1.1.2 asks, so that "é" typed as one code point or as e + combining accent is the same password;
 * that step makes a {@code String} copy that cannot be wiped, which pure-ASCII passwords avoid. The byte copy made
 * here is wiped; the caller's {@code char[]} is left to the caller.
 */
public final class PasswordHasher implements HashVerifier {
    public static final int SALT_BYTES = 16;
    public static final int HASH_BYTES = 32;

    private final Argon2Parameters parameters;
    private final SecureRandom random;

    public PasswordHasher(Argon2Parameters parameters) {
        this(parameters, new SecureRandom());
    }

    public PasswordHasher(Argon2Parameters parameters, SecureRandom random) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.random = Objects.requireNonNull(random, "random");
    }

    public Argon2Parameters parameters() {
        return parameters;
    }

    /** A new PHC string for {@code password} ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}). */
    public String hash(char[] password) {
        return hashOf(password).encoded();
    }

    @Override
    public PasswordHash hashOf(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] tag = derive(password, parameters, salt, HASH_BYTES);
        try {
            return new PasswordHash(parameters.memoryKib(), parameters.iterations(), parameters.parallelism(), salt,
                    tag);
        } finally {
            Arrays.fill(tag, (byte) 0);
        }
    }

    /** Whether {@code password} matches the PHC string {@code phc}; false for a malformed string. */
    public boolean verify(char[] password, String phc) {
        PasswordHash.Parsed parsed = PasswordHash.parse(phc);
        return parsed.ok() && verify(password, parsed.hash());
    }

    @Override
    public boolean verify(char[] password, PasswordHash stored) {
        byte[] expected = stored.hash();
        byte[] actual = derive(password, Argon2Parameters.of(stored), stored.salt(), expected.length);
        try {
            return MessageDigest.isEqual(actual, expected);
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    private static byte[] derive(char[] password, Argon2Parameters cost, byte[] salt, int length) {
        org.bouncycastle.crypto.params.Argon2Parameters bcParameters =
                new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                        org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                        .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                        .withMemoryAsKB(cost.memoryKib())
                        .withIterations(cost.iterations())
                        .withParallelism(cost.parallelism())
                        .withSalt(salt)
                        .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(bcParameters);
        byte[] passwordBytes = utf8(password);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(passwordBytes, out);
            return out;
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    /** UTF-8 bytes of the (NFKC-normalised) password, without an intermediate String for ASCII passwords. */
    static byte[] utf8(char[] password) {
        CharBuffer chars = CharBuffer.wrap(password);
        boolean ascii = true;
        for (char c : password) {
            ascii &= c < 0x80;
        }
        if (!ascii) {
            chars = CharBuffer.wrap(Normalizer.normalize(chars, Normalizer.Form.NFKC));
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer buffer;
        try {
            buffer = encoder.encode(chars);
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("PasswordHasher: UTF-8 encoding failed with REPLACE", e);
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }
}
