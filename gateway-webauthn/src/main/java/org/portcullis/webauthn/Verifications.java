package org.portcullis.webauthn;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.attestation.statement.androidkey.AndroidKeyAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.none.NoneAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.tpm.TPMAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.u2f.FIDOU2FAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.NullCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.self.DefaultSelfAttestationTrustworthinessVerifier;
import com.webauthn4j.verifier.exception.BadAaguidException;
import com.webauthn4j.verifier.exception.BadAttestationStatementException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.BadTopOriginException;
import com.webauthn4j.verifier.exception.CertificateException;
import com.webauthn4j.verifier.exception.CrossOriginException;
import com.webauthn4j.verifier.exception.InconsistentClientDataTypeException;
import com.webauthn4j.verifier.exception.MissingChallengeException;
import com.webauthn4j.verifier.exception.NotAllowedAlgorithmException;
import com.webauthn4j.verifier.exception.SelfAttestationProhibitedException;
import com.webauthn4j.verifier.exception.TrustAnchorNotFoundException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What both ceremonies share: the webauthn4j manager, server property, exception mapping and encodings. */
final class Verifications {

    private Verifications() {
    }

    static WebAuthnManager manager(RelyingPartySettings settings, ObjectConverter converter) {
        if (settings.attestation() == AttestationConveyance.NONE) {
            // W3C WebAuthn §7.1 step 21/24: with conveyance "none" the statement is not relied on, so do not verify it
            return WebAuthnManager.createNonStrictWebAuthnManager(converter);
        }
        // DIRECT: verify the statement's signature and certificate contents, and refuse self attestation (a key
        // vouching for itself proves no model). Trust anchors (FIDO MDS) are not configured yet: see docs/webauthn.md.
        return new WebAuthnManager(
                List.of(new NoneAttestationStatementVerifier(), new PackedAttestationStatementVerifier(),
                        new FIDOU2FAttestationStatementVerifier(), new TPMAttestationStatementVerifier(),
                        new AndroidKeyAttestationStatementVerifier()),
                new NullCertPathTrustworthinessVerifier(),
                new DefaultSelfAttestationTrustworthinessVerifier(false),
                List.of(), List.of(), converter);
    }

    static ServerProperty serverProperty(RelyingPartySettings settings, byte[] challenge) {
        Set<Origin> origins = settings.allowedOrigins().stream().map(Origin::new).collect(Collectors.toSet());
        return ServerProperty.builder()
                .origins(origins)
                .rpId(settings.rpId())
                .challenge(new DefaultChallenge(challenge))
                .build();
    }

    static List<PublicKeyCredentialParameters> credentialParameters(RelyingPartySettings settings) {
        return settings.algorithms().stream()
                .map(a -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, a.cose()))
                .toList();
    }

    /** Maps whatever webauthn4j threw to a reason; anything unrecognised is still a refusal. */
    static RefusalReason reasonFor(RuntimeException e) {
        if (e instanceof DataConversionException) {
            return RefusalReason.MALFORMED;
        } else if (e instanceof BadChallengeException || e instanceof MissingChallengeException) {
            return RefusalReason.CHALLENGE_INVALID;
        } else if (e instanceof InconsistentClientDataTypeException) {
            return RefusalReason.WRONG_TYPE;
        } else if (e instanceof BadOriginException || e instanceof BadTopOriginException
                || e instanceof CrossOriginException) {
            return RefusalReason.WRONG_ORIGIN;
        } else if (e instanceof BadRpIdException) {
            return RefusalReason.WRONG_RP_ID;
        } else if (e instanceof UserNotPresentException) {
            return RefusalReason.USER_NOT_PRESENT;
        } else if (e instanceof UserNotVerifiedException) {
            return RefusalReason.USER_NOT_VERIFIED;
        } else if (e instanceof BadSignatureException) {
            return RefusalReason.BAD_SIGNATURE;
        } else if (e instanceof NotAllowedAlgorithmException) {
            return RefusalReason.ALGORITHM_NOT_ALLOWED;
        } else if (e instanceof BadAttestationStatementException || e instanceof BadAaguidException
                || e instanceof SelfAttestationProhibitedException || e instanceof TrustAnchorNotFoundException
                || e instanceof CertificateException) {
            return RefusalReason.ATTESTATION_REJECTED;
        }
        return RefusalReason.VERIFICATION_FAILED;
    }

    static byte[] encodeCoseKey(ObjectConverter converter, COSEKey key) {
        return converter.getCborConverter().writeValueAsBytes(key);
    }

    static COSEKey decodeCoseKey(ObjectConverter converter, byte[] cose) {
        return converter.getCborConverter().readValue(cose, COSEKey.class);
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] fromBase64Url(String text) {
        return Base64.getUrlDecoder().decode(text);
    }
}
