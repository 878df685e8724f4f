package org.portcullis.ssh;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.portcullis.config.SshConfig;
import org.portcullis.crypto.EncryptedSecrets;
import org.portcullis.crypto.SecretBox;
import org.portcullis.crypto.SecretContext;
import org.portcullis.storage.Database;
import org.portcullis.storage.StorageException;

/**
 * The jump host's host key: generated on the first start and kept in the store as an AES-256-GCM envelope in
 * {@code encrypted_secrets} (context {@code ssh_host_key||current}), so it is never plain text on disk,
 * {@code storage rotate-key} re-encrypts it and the start-up key check covers it. Every later start, and every node
 * sharing the store, presents the same key, so users' {@code known_hosts} entries stay valid.
 *
 * <p>Fails closed: a stored key that does not open or does not parse throws; the gateway never quietly makes a new
 * key, which would look exactly like a man in the middle to every user. Blocking (storage): call at start-up.
 */
public final class SshHostKeys {
    static final SecretContext CONTEXT = new SecretContext("ssh_host_key", "", "current");
    private static final int FORMAT = 1;

    private final Database database;
    private final EncryptedSecrets secrets;

    public SshHostKeys(Database database, SecretBox box, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.secrets = new EncryptedSecrets(database, Objects.requireNonNull(box, "box"), clock);
    }

    /** The stored host key, made and stored first (in one write transaction) if there is none. */
    public KeyPair loadOrCreate(SshConfig.HostKeyAlgorithm algorithm) {
        return database.write(c -> {
            Optional<byte[]> stored = secrets.getIn(c, CONTEXT);
            if (stored.isPresent()) {
                try {
                    return decode(stored.get());
                } finally {
                    Arrays.fill(stored.get(), (byte) 0);
                }
            }
            KeyPair generated = generate(algorithm);
            byte[] encoded = encode(generated);
            try {
                secrets.putIn(c, CONTEXT, encoded);
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
            return generated;
        });
    }

    /** The stored host key, if the jump host ever started with this store. */
    public Optional<KeyPair> load() {
        return database.read(c -> secrets.getIn(c, CONTEXT).map(bytes -> {
            try {
                return decode(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }));
    }

    /** What {@code ssh-keygen -lf} prints for the key: {@code SHA256:…}. */
    public static String fingerprint(KeyPair key) {
        return KeyUtils.getFingerPrint(key.getPublic());
    }

    /** The OpenSSH key type ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code ssh-rsa}). */
    public static String type(KeyPair key) {
        return KeyUtils.getKeyType(key);
    }

    static KeyPair generate(SshConfig.HostKeyAlgorithm algorithm) {
        try {
            switch (algorithm) {
                case ED25519:
                    return KeyUtils.generateKeyPair(KeyPairTypes.ED25519, 256);
                case ECDSA_P256:
                    return KeyUtils.generateKeyPair(KeyPairTypes.ECDSA_P256, 256);
                case RSA_3072:
                    return KeyUtils.generateKeyPair(KeyPairTypes.RSA, 3072);
                default:
                    throw new IllegalStateException("SshHostKeys: unknown algorithm " + algorithm);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SshHostKeys: cannot generate a " + algorithm + " host key: "
                    + e.getMessage(), e);
        }
    }

    /** Version, JCA algorithm name, X.509 public key, PKCS#8 private key. */
    private static byte[] encode(KeyPair key) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(key.getPrivate().getAlgorithm());
            byte[] publicKey = key.getPublic().getEncoded();
            out.writeInt(publicKey.length);
            out.write(publicKey);
            byte[] privateKey = key.getPrivate().getEncoded();
            out.writeInt(privateKey.length);
            out.write(privateKey);
            Arrays.fill(privateKey, (byte) 0);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
            if (in.readUnsignedByte() != FORMAT) {
                throw new StorageException("the stored SSH host key has an unknown format");
            }
            String algorithm = in.readUTF();
            byte[] publicKey = in.readNBytes(in.readInt());
            byte[] privateKey = in.readNBytes(in.readInt());
            try {
                KeyFactory factory = SecurityUtils.getKeyFactory(algorithm);
                PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(publicKey));
                PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(privateKey));
                return new KeyPair(pub, priv);
            } finally {
                Arrays.fill(privateKey, (byte) 0);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof StorageException storage) {
                throw storage;
            }
            throw new StorageException("the stored SSH host key is unusable: " + e.getClass().getSimpleName());
        }
    }

    /** The key type names MINA's generator takes. */
    private static final class KeyPairTypes {
        static final String ED25519 = "ssh-ed25519";
        static final String ECDSA_P256 = "ecdsa-sha2-nistp256";
        static final String RSA = "ssh-rsa";

        private KeyPairTypes() {
        }
    }
}
