package org.portcullis.webauthn;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AttestationConveyancePreference;
import com.webauthn4j.data.AuthenticatorSelectionCriteria;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.PublicKeyCredentialDescriptor;
import com.webauthn4j.data.PublicKeyCredentialRpEntity;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.PublicKeyCredentialUserEntity;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.ResidentKeyRequirement;
import com.webauthn4j.data.UserVerificationRequirement;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Registration of a new credential (W3C WebAuthn §7.1). Parsing and the signature, origin, rpIdHash, flag and
 * algorithm checks are webauthn4j's; the challenge (single use, session-bound, expiring), the AAGUID allow-list and
 * credential id uniqueness are checked here. Every failure, including any unexpected exception, is a refusal.
 */
public final class RegistrationCeremony {

    private final RelyingPartySettings settings;
    private final ChallengeStore challenges;
    private final CredentialRepository credentials;
    private final Clock clock;
    private final ObjectConverter converter = new ObjectConverter();
    private final WebAuthnManager manager;

    public RegistrationCeremony(RelyingPartySettings settings, ChallengeStore challenges,
            CredentialRepository credentials, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.manager = Verifications.manager(settings, converter);
    }

    /**
     * Options for {@code navigator.credentials.create}: a fresh challenge bound to {@code sessionBinding}, the user's
     * opaque handle, the configured algorithms, and {@code excludeCredentials} listing the user's existing
     * credentials so the same authenticator is not registered twice (§5.4.3).
     */
    public RegistrationOptions options(String sessionBinding, WebAuthnUser user,
            List<CredentialRecord> existingCredentials) {
        return options(sessionBinding, user, existingCredentials, false);
    }

    /**
     * {@link #options(String, WebAuthnUser, List)}, with {@code residentKey: preferred} when {@code discoverable}
     * (passwordless sign-in is on): the authenticator then keeps a discoverable credential if it can (§5.4.6), so the
     * key can later sign in without a username. Otherwise {@code discouraged}, which spares a security key's few
     * resident slots.
     */
    public RegistrationOptions options(String sessionBinding, WebAuthnUser user,
            List<CredentialRecord> existingCredentials, boolean discoverable) {
        byte[] challenge = challenges.issue(sessionBinding, CeremonyPurpose.REGISTRATION);
        List<PublicKeyCredentialDescriptor> exclude = existingCredentials.stream()
                .map(c -> new PublicKeyCredentialDescriptor(PublicKeyCredentialType.PUBLIC_KEY,
                        Verifications.fromBase64Url(c.credentialId()), null))
                .toList();
        UserVerificationRequirement uv = UserVerificationRequirement.create(settings.userVerification().wireValue());
        PublicKeyCredentialCreationOptions publicKey = new PublicKeyCredentialCreationOptions(
                new PublicKeyCredentialRpEntity(settings.rpId(), settings.rpName()),
                new PublicKeyCredentialUserEntity(user.userHandleBytes(), user.name(), user.name()),
                new DefaultChallenge(challenge),
                Verifications.credentialParameters(settings),
                settings.challengeTtl().toMillis(),
                exclude,
                new AuthenticatorSelectionCriteria(null, discoverable ? ResidentKeyRequirement.PREFERRED
                        : ResidentKeyRequirement.DISCOURAGED, uv),
                AttestationConveyancePreference.create(settings.attestation().wireValue()),
                null);
        return new RegistrationOptions(publicKey, converter.getJsonConverter().writeValueAsString(publicKey));
    }

    /**
     * Verifies the browser's answer and stores the credential.
     *
     * @param transports the {@code getTransports()} values; may be empty
     * @param name       the label the user gave the credential
     */
    public RegistrationResult finish(String sessionBinding, WebAuthnUser user, byte[] clientDataJSON,
            byte[] attestationObject, Set<String> transports, String name) {
        try {
            return verify(sessionBinding, user, clientDataJSON, attestationObject, transports, name);
        } catch (RuntimeException e) {
            return new RegistrationResult.Refused(Verifications.reasonFor(e));
        }
    }

    private RegistrationResult verify(String sessionBinding, WebAuthnUser user, byte[] clientDataJSON,
            byte[] attestationObject, Set<String> transports, String name) {
        RegistrationData parsed = manager.parse(new RegistrationRequest(attestationObject, clientDataJSON, transports));
        byte[] challenge = parsed.getCollectedClientData().getChallenge().getValue();
        if (!challenges.consume(sessionBinding, CeremonyPurpose.REGISTRATION, challenge, clock.instant())) {
            return new RegistrationResult.Refused(RefusalReason.CHALLENGE_INVALID);
        }
        boolean uvRequired = settings.userVerification() == UserVerification.REQUIRED;
        manager.verify(parsed, new RegistrationParameters(Verifications.serverProperty(settings, challenge),
                Verifications.credentialParameters(settings), uvRequired, true));

        AttestedCredentialData attested = parsed.getAttestationObject().getAuthenticatorData()
                .getAttestedCredentialData();
        UUID aaguid = attested.getAaguid().getValue();
        if (rejectAaguid(aaguid, parsed.getAttestationObject().getFormat())) {
            return new RegistrationResult.Refused(RefusalReason.ATTESTATION_REJECTED);
        }
        CredentialRecord record = new CredentialRecord(
                Verifications.base64Url(attested.getCredentialId()),
                user.name(),
                user.userHandle(),
                Verifications.encodeCoseKey(converter, attested.getCOSEKey()),
                parsed.getAttestationObject().getAuthenticatorData().getSignCount(),
                aaguid,
                name,
                false,
                clock.instant(),
                null);
        if (!credentials.add(record)) {
            return new RegistrationResult.Refused(RefusalReason.CREDENTIAL_ID_IN_USE);
        }
        return new RegistrationResult.Registered(record);
    }

    /**
     * With DIRECT attestation and an allow-list, the model must be listed, and a "none" statement cannot vouch for
     * any model, so it is refused too.
     */
    private boolean rejectAaguid(UUID aaguid, String format) {
        if (settings.attestation() != AttestationConveyance.DIRECT || settings.aaguidAllowList().isEmpty()) {
            return false;
        }
        return "none".equals(format) || !settings.aaguidAllowList().contains(aaguid);
    }

}
