package org.portcullis.totp;

/**
 * The HMAC algorithms RFC 6238 §1.2 allows, with the secret size we generate for each.
 *
 * <p>Secret sizes follow the HMAC block-output lengths: RFC 4226 §4 requires at least 128 bits and recommends 160 for
 * SHA-1; for SHA-256/512 we use the full hash length (256/512 bits), as in the RFC 6238 Appendix B test seeds.
 */
public enum TotpAlgorithm {
    SHA1("SHA1", "HmacSHA1", 20),
    SHA256("SHA256", "HmacSHA256", 32),
    SHA512("SHA512", "HmacSHA512", 64);

    private final String uriName;
    private final String jcaName;
    private final int secretBytes;

    TotpAlgorithm(String uriName, String jcaName, int secretBytes) {
        this.uriName = uriName;
        this.jcaName = jcaName;
        this.secretBytes = secretBytes;
    }

    /** The value of the {@code algorithm=} parameter in the Key Uri Format. */
    public String uriName() {
        return uriName;
    }

    /** The JCA {@code Mac} algorithm name. */
    public String jcaName() {
        return jcaName;
    }

    /** Bytes of a freshly generated secret. */
    public int secretBytes() {
        return secretBytes;
    }
}
