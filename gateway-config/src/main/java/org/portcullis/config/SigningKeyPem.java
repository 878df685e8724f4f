package org.portcullis.config;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Reads {@code identity.signing_key}: one unencrypted PKCS#8 PEM block ({@code -----BEGIN PRIVATE KEY-----},
 * RFC 7468 §10) holding an EC private key on P-256 (secp256r1, FIPS 186-4 §D.1.2.3), the only curve of ES256
 * (RFC 7518 §3.4). Shared by the config validator, which reports a bad key with its line, and the gateway, which
 * checks keys it reads back from its store.
 *
 * <p>Made with {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out jwt-key.pem}. A SEC1
 * {@code EC PRIVATE KEY} block (what {@code openssl ecparam -genkey} writes) and an encrypted PKCS#8 block are
 * refused with a reason that says how to convert them. No reason ever quotes the key.
 */
public final class SigningKeyPem {
    static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    static final String END = "-----END PRIVATE KEY-----";
    private static final String SEC1_BEGIN = "-----BEGIN EC PRIVATE KEY-----";
    private static final String ENCRYPTED_BEGIN = "-----BEGIN ENCRYPTED PRIVATE KEY-----";

    /** P-256 domain parameters, FIPS 186-4 §D.1.2.3. */
    private static final BigInteger P = new BigInteger(
            "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    private static final BigInteger A = P.subtract(BigInteger.valueOf(3));
    private static final BigInteger B = new BigInteger(
            "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);
    private static final BigInteger GX = new BigInteger(
            "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296", 16);
    private static final BigInteger GY = new BigInteger(
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", 16);
    private static final BigInteger N = new BigInteger(
            "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

    /** The parameters of P-256, for code that builds a public key from the curve. */
    public static final ECParameterSpec P256 = new ECParameterSpec(
            new EllipticCurve(new ECFieldFp(P), A, B), new ECPoint(GX, GY), N, 1);

    private SigningKeyPem() {
    }

    /** Why {@code pem} is not usable, in words that never contain the key. */
    public static final class NotAKeyException extends Exception {
        private static final long serialVersionUID = 1L;

        NotAKeyException(String reason) {
            super(reason);
        }
    }

    /**
     * The P-256 private key in {@code pem}. White space around the block is ignored; anything else around it is not.
     *
     * @throws NotAKeyException with a short reason (never quoting the text)
     */
    public static ECPrivateKey parse(String pem) throws NotAKeyException {
        Objects.requireNonNull(pem, "pem");
        String text = pem.strip();
        if (text.startsWith(SEC1_BEGIN)) {
            throw new NotAKeyException("it is a SEC1 'EC PRIVATE KEY' block; convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt");
        }
        if (text.startsWith(ENCRYPTED_BEGIN)) {
            throw new NotAKeyException("it is encrypted; decrypt it with openssl pkcs8 -nocrypt");
        }
        if (!text.startsWith(BEGIN) || !text.endsWith(END) || text.length() < BEGIN.length() + END.length()) {
            throw new NotAKeyException("it is not one '" + BEGIN + "' block");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length())
                    .replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new NotAKeyException("the block is not base64");
        }
        try {
            return requireP256(decodePkcs8(der));
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** The key in DER PKCS#8 {@code der} (as {@link java.security.Key#getEncoded()} gives it), checked for P-256. */
    public static ECPrivateKey decodePkcs8(byte[] der) throws NotAKeyException {
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new NotAKeyException("it is not a PKCS#8 EC private key");
        }
        if (!(key instanceof ECPrivateKey ec)) {
            throw new NotAKeyException("it is not a PKCS#8 EC private key");
        }
        return requireP256(ec);
    }

    /** True when {@code params} are exactly P-256's, whatever the provider calls the curve. */
    public static boolean isP256(ECParameterSpec params) {
        return params != null
                && params.getCurve().getField() instanceof ECFieldFp field && field.getP().equals(P)
                && params.getCurve().getA().equals(A) && params.getCurve().getB().equals(B)
                && params.getGenerator().equals(P256.getGenerator())
                && params.getOrder().equals(N) && params.getCofactor() == 1;
    }

    private static ECPrivateKey requireP256(ECPrivateKey key) throws NotAKeyException {
        if (!isP256(key.getParams())) {
            throw new NotAKeyException("the curve is not P-256");
        }
        BigInteger d = key.getS();
        if (d.signum() <= 0 || d.compareTo(N) >= 0) {
            throw new NotAKeyException("the private value is out of range");
        }
        return key;
    }
}
