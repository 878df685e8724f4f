package org.portcullis.webauthn;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.PublicKeyCredentialDescriptor;
import com.webauthn4j.data.PublicKeyCredentialRequestOptions;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.UserVerificationRequirement;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Authentication with a registered credential (W3C WebAuthn §7.2). The credential must exist, belong to the user
 * signing in, not be disabled, and answer the session's current challenge; webauthn4j checks type, origin,
 * rpIdHash, UP/UV and the signature. A signature counter that does not move forward (§6.1.1) is a clone signal:
 * the sign-in is refused and, if configured, the credential is disabled until an admin re-enables it.
 */
public final class AuthenticationCeremony {

    private final RelyingPartySettings settings;
    private final ChallengeStore challenges;
    private final CredentialRepository credentials;
    private final Clock clock;
    private final ObjectConverter converter = new ObjectConverter();
    private final WebAuthnManager manager;

    public AuthenticationCeremony(RelyingPartySettings settings, ChallengeStore challenges,
            CredentialRepository credentials, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.manager = Verifications.manager(settings, converter);
    }

    /** Options for {@code navigator.credentials.get}: a fresh challenge and the user's enabled credentials. */
    public AuthenticationOptions options(String sessionBinding, WebAuthnUser user, List<CredentialRecord> userCredentials) {
        List<PublicKeyCredentialDescriptor> allow = userCredentials.stream()
                .filter(c -> c.user().equals(user.name()) && !c.disabled())
                .map(c -> new PublicKeyCredentialDescriptor(PublicKeyCredentialType.PUBLIC_KEY,
                        Verifications.fromBase64Url(c.credentialId()), null))
                .toList();
        return options(sessionBinding, allow);
    }

    /**
     * Options for a sign-in with a discoverable credential (a passkey, W3C WebAuthn §6.2.2): an empty
     * {@code allowCredentials}, so the authenticator offers the credentials it holds for this RP ID and the user is
     * found afterwards by the credential's user handle.
     */
    public AuthenticationOptions discoverableOptions(String binding) {
        return options(binding, List.of());
    }

    private AuthenticationOptions options(String sessionBinding, List<PublicKeyCredentialDescriptor> allow) {
        byte[] challenge = challenges.issue(sessionBinding, CeremonyPurpose.AUTHENTICATION);
        PublicKeyCredentialRequestOptions publicKey = new PublicKeyCredentialRequestOptions(
                new com.webauthn4j.data.client.challenge.DefaultChallenge(challenge),
                settings.challengeTtl().toMillis(),
                settings.rpId(),
                allow,
                UserVerificationRequirement.create(settings.userVerification().wireValue()),
                null);
        return new AuthenticationOptions(publicKey, converter.getJsonConverter().writeValueAsString(publicKey));
    }

    /**
     * Verifies an assertion from {@code user}'s browser session.
     *
     * @param credentialId base64url of {@code rawId}
     * @param userHandle   {@code response.userHandle}, or null when the authenticator returned none
     */
    public AuthenticationResult finish(String sessionBinding, WebAuthnUser user, String credentialId,
            byte[] clientDataJSON, byte[] authenticatorData, byte[] signature, byte[] userHandle) {
        try {
            return verify(sessionBinding, user, credentialId, clientDataJSON, authenticatorData, signature,
                    userHandle);
        } catch (RuntimeException e) {
            return new AuthenticationResult.Refused(Verifications.reasonFor(e));
        }
    }

    /**
     * Verifies an assertion of a discoverable credential, before anyone is signed in. The owner is the credential's
     * user, and the authenticator must return that user's handle (W3C WebAuthn §7.2 step 6: required when no user
     * was identified before the ceremony). Success is {@link AuthenticationResult.Discovered}, which says whether the
     * authenticator performed user verification.
     */
    public AuthenticationResult finishDiscoverable(String binding, String credentialId, byte[] clientDataJSON,
            byte[] authenticatorData, byte[] signature, byte[] userHandle) {
        try {
            return verify(binding, null, credentialId, clientDataJSON, authenticatorData, signature, userHandle);
        } catch (RuntimeException e) {
            return new AuthenticationResult.Refused(Verifications.reasonFor(e));
        }
    }

    /** {@code user} null: a discoverable credential, whose user handle must be present and the owner's. */
    private AuthenticationResult verify(String sessionBinding, WebAuthnUser user, String credentialId,
            byte[] clientDataJSON, byte[] authenticatorData, byte[] signature, byte[] userHandle) {
        byte[] rawId = Verifications.fromBase64Url(credentialId);
        AuthenticationData parsed = manager.parse(
                new AuthenticationRequest(rawId, userHandle, authenticatorData, clientDataJSON, signature));
        byte[] challenge = parsed.getCollectedClientData().getChallenge().getValue();
        // consume before any lookup: a failed attempt of any kind burns the challenge
        if (!challenges.consume(sessionBinding, CeremonyPurpose.AUTHENTICATION, challenge, clock.instant())) {
            return new AuthenticationResult.Refused(RefusalReason.CHALLENGE_INVALID);
        }
        Optional<CredentialRecord> found = credentials.findById(Verifications.base64Url(rawId));
        if (found.isEmpty()) {
            return new AuthenticationResult.Refused(RefusalReason.UNKNOWN_CREDENTIAL);
        }
        CredentialRecord record = found.get();
        if (user == null ? rejectUserHandle(record, userHandle) : rejectOwner(record, user, userHandle)) {
            return new AuthenticationResult.Refused(RefusalReason.NOT_USERS_CREDENTIAL);
        }
        if (record.disabled()) {
            return new AuthenticationResult.Refused(RefusalReason.CREDENTIAL_DISABLED);
        }
        boolean uvRequired = settings.userVerification() == UserVerification.REQUIRED;
        try {
            manager.verify(parsed, new AuthenticationParameters(Verifications.serverProperty(settings, challenge),
                    webauthn4jRecord(record), List.of(rawId), uvRequired, true));
        } catch (MaliciousCounterValueException e) {
            return cloneSuspected(record);
        }
        CredentialRecord used = record.withUse(parsed.getAuthenticatorData().getSignCount(), clock.instant());
        credentials.update(used);
        if (user == null) {
            return new AuthenticationResult.Discovered(used, parsed.getAuthenticatorData().isFlagUV());
        }
        return new AuthenticationResult.Authenticated(used);
    }

    private static boolean rejectUserHandle(CredentialRecord record, byte[] userHandle) {
        return userHandle == null || userHandle.length == 0
                || !MessageDigest.isEqual(userHandle, Verifications.fromBase64Url(record.userHandle()));
    }

    /** The credential must be the user's own, and a returned user handle must be the owner's (§7.2 step 6). */
    private static boolean rejectOwner(CredentialRecord record, WebAuthnUser user, byte[] userHandle) {
        if (!record.user().equals(user.name())) {
            return true;
        }
        return userHandle != null && userHandle.length > 0
                && !MessageDigest.isEqual(userHandle, Verifications.fromBase64Url(record.userHandle()));
    }

    private AuthenticationResult cloneSuspected(CredentialRecord record) {
        CredentialRecord after = record;
        if (settings.disableOnCloneSignal()) {
            after = record.withDisabled(true);
            credentials.update(after);
        }
        return new AuthenticationResult.CloneSuspected(after);
    }

    private CredentialRecordImpl webauthn4jRecord(CredentialRecord record) {
        AttestedCredentialData attested = new AttestedCredentialData(new AAGUID(record.aaguid()),
                Verifications.fromBase64Url(record.credentialId()),
                Verifications.decodeCoseKey(converter, record.publicKeyCose()));
        return new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null, record.signCount(),
                attested, null, null, null, null);
    }
}
