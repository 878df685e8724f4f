package org.portcullis.upstream;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.portcullis.config.SigningKeyPem;

/**
 * One ES256 key pair (P-256) and its key id.
 *
 * <p>{@link #kid()} is the RFC 7638 JWK thumbprint: base64url of SHA-256 over
 * {@code {"crv":"P-256","kty":"EC","x":…,"y":…}} (the required members in lexicographic order, no white space).
 * It names the key in the JWT header and in the JWKS, and it is derived from the key itself, so the same key always
 * gets the same id and an upstream can cache the JWKS by id.
 *
 * <p>The public key is computed from the private one (Q = d·G with Bouncy Castle's fixed-point comb multiplier), so
 * only the private key needs to be stored or configured: a PKCS#8 file need not carry the optional public key.
 * {@link #toString()} shows the id only.
 */
public final class SigningKey {
    static final String ALGORITHM = "ES256";
    static final String CURVE = "P-256";
    static final String KEY_TYPE = "EC";
    private static final int COORDINATE_BYTES = 32;

    private final ECPrivateKey privateKey;
    private final ECPublicKey publicKey;
    private final String x;
    private final String y;
    private final String kid;

    private SigningKey(ECPrivateKey privateKey, ECPublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.x = Base64Url.encode(Base64Url.fixedLength(publicKey.getW().getAffineX(), COORDINATE_BYTES));
        this.y = Base64Url.encode(Base64Url.fixedLength(publicKey.getW().getAffineY(), COORDINATE_BYTES));
        this.kid = thumbprint(x, y);
    }

    /** The pair of a P-256 private key (from {@code identity.signing_key} or the store). */
    public static SigningKey of(ECPrivateKey privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (!SigningKeyPem.isP256(privateKey.getParams())) {
            throw new IllegalArgumentException("SigningKey: the key is not on P-256");
        }
        return new SigningKey(privateKey, publicKeyOf(privateKey.getS()));
    }

    /** A new random key pair (JDK SunEC, seeded from the JDK's default SecureRandom). */
    public static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SigningKey: P-256 is unavailable in this JDK: " + e.getMessage(), e);
        }
    }

    /** The RFC 7638 thumbprint, used as {@code kid}. */
    public String kid() {
        return kid;
    }

    public ECPublicKey publicKey() {
        return publicKey;
    }

    ECPrivateKey privateKey() {
        return privateKey;
    }

    /** The public x coordinate, base64url of 32 bytes (RFC 7518 §6.2.1.2). */
    String x() {
        return x;
    }

    /** The public y coordinate, base64url of 32 bytes (RFC 7518 §6.2.1.3). */
    String y() {
        return y;
    }

    /** PKCS#8 DER of the private key, for the encrypted store; the caller wipes it. */
    byte[] pkcs8() {
        return privateKey.getEncoded();
    }

    private static ECPublicKey publicKeyOf(BigInteger d) {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier().multiply(curve.getG(), d).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC")
                    .generatePublic(new ECPublicKeySpec(w, SigningKeyPem.P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SigningKey: cannot build the public key: " + e.getMessage(), e);
        }
    }

    private static String thumbprint(String x, String y) {
        String canonical = "{\"crv\":\"" + CURVE + "\",\"kty\":\"" + KEY_TYPE + "\",\"x\":\"" + x + "\",\"y\":\"" + y
                + "\"}";
        try {
            return Base64Url.encode(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + "]";
    }
}
