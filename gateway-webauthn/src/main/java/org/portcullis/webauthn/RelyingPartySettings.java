package org.portcullis.webauthn;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The relying party as the browser and the authenticator see it (W3C WebAuthn §5.4.2, §7.1 and §7.2).
 *
 * @param rpId                 the RP ID: a registrable domain suffix of the portal's host; its SHA-256 must equal the
 *                             rpIdHash in every authenticator data
 * @param rpName               shown by the browser while creating a credential
 * @param allowedOrigins       exact origins ({@code https://portal.example.org}) accepted in clientDataJSON
 * @param attestation          {@link AttestationConveyance#NONE} by default
 * @param aaguidAllowList      with {@code DIRECT}: authenticator models accepted; empty means any model
 * @param userVerification     {@link UserVerification#PREFERRED} by default
 * @param algorithms           accepted credential algorithms, in order of preference
 * @param challengeTtl         how long an issued challenge may be answered (2 minutes by default)
 * @param disableOnCloneSignal whether a signature counter regression disables the credential until an admin
 *                             re-enables it (on by default)
 */
public record RelyingPartySettings(
        String rpId,
        String rpName,
        Set<String> allowedOrigins,
        AttestationConveyance attestation,
        Set<UUID> aaguidAllowList,
        UserVerification userVerification,
        List<CredentialAlgorithm> algorithms,
        Duration challengeTtl,
        boolean disableOnCloneSignal) {

    /** Two minutes: long enough to find and touch a key, short enough that a stolen options page goes stale. */
    public static final Duration DEFAULT_CHALLENGE_TTL = Duration.ofMinutes(2);

    public static final List<CredentialAlgorithm> DEFAULT_ALGORITHMS =
            List.of(CredentialAlgorithm.ES256, CredentialAlgorithm.EDDSA, CredentialAlgorithm.RS256);

    public RelyingPartySettings {
        Objects.requireNonNull(rpId, "rpId");
        Objects.requireNonNull(rpName, "rpName");
        Objects.requireNonNull(attestation, "attestation");
        Objects.requireNonNull(userVerification, "userVerification");
        Objects.requireNonNull(challengeTtl, "challengeTtl");
        if (rpId.isBlank() || !rpId.equals(rpId.toLowerCase(Locale.ROOT)) || rpId.contains(":") || rpId.contains("/")) {
            throw new IllegalArgumentException("rpId must be a lower-case host name without scheme or port: " + rpId);
        }
        allowedOrigins = Set.copyOf(allowedOrigins);
        if (allowedOrigins.isEmpty()) {
            throw new IllegalArgumentException("allowedOrigins must name at least the portal origin");
        }
        aaguidAllowList = Set.copyOf(aaguidAllowList);
        if (attestation == AttestationConveyance.NONE && !aaguidAllowList.isEmpty()) {
            throw new IllegalArgumentException("aaguidAllowList needs attestation DIRECT: without it the AAGUID is unchecked");
        }
        algorithms = List.copyOf(algorithms);
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("algorithms must not be empty");
        }
        if (challengeTtl.isNegative() || challengeTtl.isZero()) {
            throw new IllegalArgumentException("challengeTtl must be positive: " + challengeTtl);
        }
    }

    /** Defaults of the issue: no attestation, UV preferred, ES256/EdDSA/RS256, 2-minute challenges, clones disabled. */
    public static RelyingPartySettings defaults(String rpId, String rpName, String portalOrigin) {
        return new RelyingPartySettings(rpId, rpName, Set.of(portalOrigin), AttestationConveyance.NONE, Set.of(),
                UserVerification.PREFERRED, DEFAULT_ALGORITHMS, DEFAULT_CHALLENGE_TTL, true);
    }

    public RelyingPartySettings withUserVerification(UserVerification value) {
        return new RelyingPartySettings(rpId, rpName, allowedOrigins, attestation, aaguidAllowList, value, algorithms,
                challengeTtl, disableOnCloneSignal);
    }

    public RelyingPartySettings withDirectAttestation(Set<UUID> allowedAaguids) {
        return new RelyingPartySettings(rpId, rpName, allowedOrigins, AttestationConveyance.DIRECT, allowedAaguids,
                userVerification, algorithms, challengeTtl, disableOnCloneSignal);
    }

    public RelyingPartySettings withDisableOnCloneSignal(boolean value) {
        return new RelyingPartySettings(rpId, rpName, allowedOrigins, attestation, aaguidAllowList, userVerification,
                algorithms, challengeTtl, value);
    }
}
