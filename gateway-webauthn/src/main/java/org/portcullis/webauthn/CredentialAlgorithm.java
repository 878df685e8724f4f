package org.portcullis.webauthn;

import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;

/**
 * Signature algorithms the relying party accepts for new credentials, with their COSE identifiers
 * (RFC 9053 §2 and §2.2, RFC 8812 §2). Order in {@link RelyingPartySettings#algorithms()} is the order of
 * preference sent to the browser in {@code pubKeyCredParams}.
 */
public enum CredentialAlgorithm {
    /** ECDSA with P-256 and SHA-256, COSE -7: what almost every security key and platform authenticator uses. */
    ES256(COSEAlgorithmIdentifier.ES256),
    /** EdDSA (Ed25519), COSE -8. */
    EDDSA(COSEAlgorithmIdentifier.EdDSA),
    /** RSASSA-PKCS1-v1_5 with SHA-256, COSE -257: Windows Hello. */
    RS256(COSEAlgorithmIdentifier.RS256);

    private final COSEAlgorithmIdentifier cose;

    CredentialAlgorithm(COSEAlgorithmIdentifier cose) {
        this.cose = cose;
    }

    COSEAlgorithmIdentifier cose() {
        return cose;
    }

    /** The COSE algorithm number, as in {@code pubKeyCredParams[].alg}. */
    public long coseValue() {
        return cose.getValue();
    }
}
