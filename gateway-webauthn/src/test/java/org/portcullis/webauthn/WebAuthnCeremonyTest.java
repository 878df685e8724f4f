package org.portcullis.webauthn;

import static org.assertj.core.api.Assertions.assertThat;

import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AuthenticatorAssertionResponse;
import com.webauthn4j.data.AuthenticatorAttestationResponse;
import com.webauthn4j.data.PublicKeyCredential;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.PublicKeyCredentialDescriptor;
import com.webauthn4j.data.PublicKeyCredentialRequestOptions;
import com.webauthn4j.data.PublicKeyCredentialRpEntity;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.extension.client.AuthenticationExtensionClientOutput;
import com.webauthn4j.data.extension.client.RegistrationExtensionClientOutput;
import com.webauthn4j.test.EmulatorUtil;
import com.webauthn4j.test.authenticator.webauthn.PackedAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnAuthenticatorAdaptor;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnModelAuthenticator;
import com.webauthn4j.test.client.ClientPlatform;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.fixtures.MutableClock;

/** Both ceremonies against webauthn4j's authenticator emulator, as a browser and a security key would run them. */
class WebAuthnCeremonyTest {

    private static final String RP_ID = "example.org";
    private static final String PORTAL = "https://portal.example.org";
    private static final String SESSION = "session-1";

    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final InMemoryCredentialRepository repository = new InMemoryCredentialRepository();
    private final WebAuthnUser alice = WebAuthnUser.withRandomHandle("alice", random);
    private final WebAuthnUser bob = WebAuthnUser.withRandomHandle("bob", random);
    private final ObjectConverter converter = new ObjectConverter();

    private RelyingPartySettings settings = RelyingPartySettings.defaults(RP_ID, "Portcullis", PORTAL);
    private InMemoryChallengeStore challenges = new InMemoryChallengeStore(random, clock, settings.challengeTtl());
    private WebAuthnModelAuthenticator authenticator = new PackedAuthenticator();
    private ClientPlatform browser = platform(PORTAL, authenticator);

    private static ClientPlatform platform(String origin, WebAuthnModelAuthenticator authenticator) {
        return new ClientPlatform(new Origin(origin), new WebAuthnAuthenticatorAdaptor(authenticator));
    }

    private RegistrationCeremony registration() {
        return new RegistrationCeremony(settings, challenges, repository, clock);
    }

    private AuthenticationCeremony authentication() {
        return new AuthenticationCeremony(settings, challenges, repository, clock);
    }

    private RegistrationResult register(WebAuthnUser user, String session, ClientPlatform client,
            PublicKeyCredentialCreationOptions options) {
        PublicKeyCredential<AuthenticatorAttestationResponse, RegistrationExtensionClientOutput> created =
                client.create(options);
        return registration().finish(session, user, created.getResponse().getClientDataJSON(),
                created.getResponse().getAttestationObject(), Set.of("usb"), "blue key");
    }

    private CredentialRecord registered(WebAuthnUser user) {
        RegistrationOptions options = registration().options(SESSION, user, repository.findByUser(user.name()));
        RegistrationResult result = register(user, SESSION, browser, options.publicKey());
        assertThat(result).isInstanceOf(RegistrationResult.Registered.class);
        return ((RegistrationResult.Registered) result).record();
    }

    private PublicKeyCredential<AuthenticatorAssertionResponse, AuthenticationExtensionClientOutput> assertion(
            PublicKeyCredentialRequestOptions options) {
        return browser.get(options);
    }

    private AuthenticationResult finish(WebAuthnUser user, String session,
            PublicKeyCredential<AuthenticatorAssertionResponse, AuthenticationExtensionClientOutput> credential) {
        AuthenticatorAssertionResponse response = credential.getResponse();
        return authentication().finish(session, user, Verifications.base64Url(credential.getRawId()),
                response.getClientDataJSON(), response.getAuthenticatorData(), response.getSignature(),
                response.getUserHandle());
    }

    private AuthenticationResult signIn(WebAuthnUser user) {
        AuthenticationOptions options = authentication().options(SESSION, user, repository.findByUser(user.name()));
        return finish(user, SESSION, assertion(options.publicKey()));
    }

    @Test
    void registersAndAuthenticatesWithCounterAndLastUseStored() {
        CredentialRecord record = registered(alice);
        assertThat(record.user()).isEqualTo("alice");
        assertThat(record.userHandle()).isEqualTo(alice.userHandle()).doesNotContain("alice");
        assertThat(repository.findById(record.credentialId())).isPresent();

        AuthenticationResult result = signIn(alice);

        assertThat(result).isInstanceOf(AuthenticationResult.Authenticated.class);
        CredentialRecord used = ((AuthenticationResult.Authenticated) result).record();
        assertThat(used.lastUsed()).isEqualTo(clock.instant());
        assertThat(repository.findById(record.credentialId()).orElseThrow()).isEqualTo(used);
        assertThat(record.toString()).doesNotContain("publicKey");
    }

    @Test
    void optionsCarryFreshChallengeOpaqueHandleAlgorithmsAndExcludeCredentials() {
        CredentialRecord existing = registered(alice);
        RegistrationOptions options = registration().options(SESSION, alice, List.of(existing));
        assertThat(options.publicKey().getChallenge().getValue()).hasSize(32);
        assertThat(options.publicKey().getUser().getId()).isNotEqualTo("alice".getBytes());
        assertThat(options.publicKey().getPubKeyCredParams()).extracting(p -> p.getAlg().getValue())
                .containsExactly(-7L, -8L, -257L);
        assertThat(options.publicKey().getExcludeCredentials()).extracting(PublicKeyCredentialDescriptor::getId)
                .containsExactly(Verifications.fromBase64Url(existing.credentialId()));
        assertThat(options.json()).contains("\"attestation\":\"none\"").contains("\"userVerification\":\"preferred\"");
    }

    @Test
    void refusesRegistrationFromAnotherOrigin() {
        RegistrationOptions options = registration().options(SESSION, alice, List.of());
        RegistrationResult result = register(alice, SESSION, platform("https://evil.example.org", authenticator),
                options.publicKey());
        assertThat(result).isEqualTo(new RegistrationResult.Refused(RefusalReason.WRONG_ORIGIN));
        assertThat(repository.findByUser("alice")).isEmpty();
    }

    @Test
    void refusesRegistrationScopedToAnotherRpId() {
        PublicKeyCredentialCreationOptions options = registration().options(SESSION, alice, List.of()).publicKey();
        PublicKeyCredentialCreationOptions otherRp = new PublicKeyCredentialCreationOptions(
                new PublicKeyCredentialRpEntity("portal.example.org", "Other"), options.getUser(),
                options.getChallenge(), options.getPubKeyCredParams(), options.getTimeout(),
                options.getExcludeCredentials(), options.getAuthenticatorSelection(), options.getAttestation(), null);
        assertThat(register(alice, SESSION, browser, otherRp))
                .isEqualTo(new RegistrationResult.Refused(RefusalReason.WRONG_RP_ID));
    }

    @Test
    void refusesReplayedRegistrationChallenge() {
        RegistrationOptions options = registration().options(SESSION, alice, List.of());
        assertThat(register(alice, SESSION, browser, options.publicKey()))
                .isInstanceOf(RegistrationResult.Registered.class);
        assertThat(register(alice, SESSION, browser, options.publicKey()))
                .isEqualTo(new RegistrationResult.Refused(RefusalReason.CHALLENGE_INVALID));
    }

    @Test
    void refusesExpiredChallenge() {
        registered(alice);
        AuthenticationOptions options = authentication().options(SESSION, alice, repository.findByUser("alice"));
        var credential = assertion(options.publicKey());
        clock.advance(Duration.ofMinutes(2));
        assertThat(finish(alice, SESSION, credential))
                .isEqualTo(new AuthenticationResult.Refused(RefusalReason.CHALLENGE_INVALID));
    }

    @Test
    void acceptsChallengeJustBeforeExpiry() {
        registered(alice);
        AuthenticationOptions options = authentication().options(SESSION, alice, repository.findByUser("alice"));
        var credential = assertion(options.publicKey());
        clock.advance(Duration.ofMinutes(2).minusSeconds(1));
        assertThat(finish(alice, SESSION, credential)).isInstanceOf(AuthenticationResult.Authenticated.class);
    }

    @Test
    void refusesChallengeIssuedToAnotherSession() {
        registered(alice);
        AuthenticationOptions options = authentication().options("session-2", alice, repository.findByUser("alice"));
        assertThat(finish(alice, SESSION, assertion(options.publicKey())))
                .isEqualTo(new AuthenticationResult.Refused(RefusalReason.CHALLENGE_INVALID));
    }

    @Test
    void refusesRegistrationChallengeUsedForAuthentication() {
        registered(alice);
        RegistrationOptions reg = registration().options(SESSION, alice, List.of());
        PublicKeyCredentialRequestOptions forged = requestOptions(reg.publicKey().getChallenge(),
                repository.findByUser("alice").get(0));
        assertThat(finish(alice, SESSION, assertion(forged)))
                .isEqualTo(new AuthenticationResult.Refused(RefusalReason.CHALLENGE_INVALID));
    }

    @Test
    void refusesAssertionWithoutUserPresence() throws Exception {
        registered(alice);
        AuthenticationOptions options = authentication().options(SESSION, alice, repository.findByUser("alice"));
        var credential = assertion(options.publicKey());
        assertThat(finishResigned(alice, credential, (byte) 0))
                .isEqualTo(new AuthenticationResult.Refused(RefusalReason.USER_NOT_PRESENT));
    }

    @Test
    void refusesAssertionWithoutUserVerificationWhenRequired() throws Exception {
        settings = settings.withUserVerification(UserVerification.REQUIRED);
        registered(alice);
        AuthenticationOptions options = authentication().options(SESSION, alice, repository.findByUser("alice"));
        assertThat(options.json()).contains("\"userVerification\":\"required\"");
        var credential = assertion(options.publicKey());
        assertThat(finishResigned(alice, credential, AuthenticatorData.BIT_UP))
                .isEqualTo(new AuthenticationResult.Refused(RefusalReason.USER_NOT_VERIFIED));
    }

    @Test
    void acceptsAssertionWithoutUserVerificationWhenPreferred() throws Exception {
        registered(alice);
        AuthenticationOptions options = authentication().options(SESSION, alice, repository.findByUser("alice"));
        var credential = assertion(options.publicKey());
        assertThat(finishResigned(alice, credential, AuthenticatorData.BIT_UP))
                .isInstanceOf(AuthenticationResult.Authenticated.class);
    }

    @Test
    void refusesTamperedSignature() {
        registered(alice);
        AuthenticationOptions options = authentication().options(SESSION, alice, repository.findByUser("alice"));
        var credential = assertion(options.publicKey());
        byte[] signature = credential.getResponse().getSignature();
        signature[signature.length - 1] ^= 1;
        AuthenticatorAssertionResponse r = credential.getResponse();
        assertThat(authentication().finish(SESSION, alice, Verifications.base64Url(credential.getRawId()),
                r.getClientDataJSON(), r.getAuthenticatorData(), signature, r.getUserHandle()))
                .isEqualTo(new AuthenticationResult.Refused(RefusalReason.BAD_SIGNATURE));
    }

    @Test
    void counterRegressionIsRefusedAsCloneAndDisablesTheCredential() {
        CredentialRecord record = registered(alice);
        // the clone signed in elsewhere first and moved the stored counter past this authenticator's
        repository.update(record.withUse(1_000, clock.instant()));

        AuthenticationResult result = signIn(alice);

        assertThat(result).isInstanceOf(AuthenticationResult.CloneSuspected.class);
        assertThat(((AuthenticationResult.CloneSuspected) result).record().disabled()).isTrue();
        assertThat(repository.findById(record.credentialId()).orElseThrow().disabled()).isTrue();
        assertThat(signInIgnoringAllowList(alice, record))
                .isEqualTo(new AuthenticationResult.Refused(RefusalReason.CREDENTIAL_DISABLED));

        repository.update(repository.findById(record.credentialId()).orElseThrow().withDisabled(false)
                .withUse(0, clock.instant()));
        assertThat(signIn(alice)).isInstanceOf(AuthenticationResult.Authenticated.class);
    }

    @Test
    void counterRegressionLeavesCredentialEnabledWhenConfigured() {
        settings = settings.withDisableOnCloneSignal(false);
        CredentialRecord record = registered(alice);
        repository.update(record.withUse(1_000, clock.instant()));
        assertThat(signIn(alice)).isInstanceOf(AuthenticationResult.CloneSuspected.class);
        assertThat(repository.findById(record.credentialId()).orElseThrow().disabled()).isFalse();
    }

    @Test
    void refusesUnknownCredential() {
        CredentialRecord record = registered(alice);
        InMemoryCredentialRepository empty = new InMemoryCredentialRepository();
        AuthenticationCeremony ceremony = new AuthenticationCeremony(settings, challenges, empty, clock);
        AuthenticationOptions options = ceremony.options(SESSION, alice, List.of(record));
        var credential = assertion(options.publicKey());
        AuthenticatorAssertionResponse r = credential.getResponse();
        assertThat(ceremony.finish(SESSION, alice, Verifications.base64Url(credential.getRawId()),
                r.getClientDataJSON(), r.getAuthenticatorData(), r.getSignature(), r.getUserHandle()))
                .isEqualTo(new AuthenticationResult.Refused(RefusalReason.UNKNOWN_CREDENTIAL));
    }

    @Test
    void refusesAnotherUsersCredential() {
        CredentialRecord alicesKey = registered(alice);
        AuthenticationOptions bobs = authentication().options(SESSION, bob, List.of(alicesKey));
        assertThat(bobs.publicKey().getAllowCredentials()).isEmpty();
        assertThat(finish(bob, SESSION, assertion(requestOptions(bobs.publicKey().getChallenge(), alicesKey))))
                .isEqualTo(new AuthenticationResult.Refused(RefusalReason.NOT_USERS_CREDENTIAL));
    }

    @Test
    void refusesSecondRegistrationOfTheSameCredentialId() {
        CredentialRecord record = registered(alice);
        CredentialRecord other = new CredentialRecord(record.credentialId(), "bob", bob.userHandle(),
                record.publicKeyCose(), 0, record.aaguid(), "copy", false, clock.instant(), null);
        assertThat(repository.add(other)).isFalse();
        assertThat(repository.findById(record.credentialId()).orElseThrow().user()).isEqualTo("alice");
    }

    @Test
    void directAttestationRefusesModelOutsideAllowList() {
        settings = settings.withDirectAttestation(Set.of(UUID.randomUUID()));
        RegistrationOptions options = registration().options(SESSION, alice, List.of());
        assertThat(options.json()).contains("\"attestation\":\"direct\"");
        assertThat(register(alice, SESSION, browser, options.publicKey()))
                .isEqualTo(new RegistrationResult.Refused(RefusalReason.ATTESTATION_REJECTED));
        assertThat(repository.findByUser("alice")).isEmpty();
    }

    @Test
    void directAttestationAcceptsListedModel() {
        UUID model = registered(bob).aaguid();
        settings = settings.withDirectAttestation(Set.of(model));
        RegistrationOptions options = registration().options(SESSION, alice, List.of());
        assertThat(register(alice, SESSION, browser, options.publicKey()))
                .isInstanceOf(RegistrationResult.Registered.class);
    }

    @Test
    void directAttestationRefusesNoneAttestationEvenForListedModel() {
        authenticator = EmulatorUtil.NONE_ATTESTATION_AUTHENTICATOR;
        browser = platform(PORTAL, authenticator);
        UUID model = registered(bob).aaguid();
        settings = settings.withDirectAttestation(Set.of(model));
        RegistrationOptions options = registration().options(SESSION, alice, List.of());
        assertThat(register(alice, SESSION, browser, options.publicKey()))
                .isEqualTo(new RegistrationResult.Refused(RefusalReason.ATTESTATION_REJECTED));
    }

    @Test
    void refusesGarbage() {
        registration().options(SESSION, alice, List.of());
        assertThat(registration().finish(SESSION, alice, "{}".getBytes(), new byte[] {1, 2, 3}, Set.of(), "x"))
                .isInstanceOf(RegistrationResult.Refused.class);
        assertThat(authentication().finish(SESSION, alice, "AAAA", new byte[0], new byte[0], new byte[0], null))
                .isInstanceOf(AuthenticationResult.Refused.class);
    }

    private static PublicKeyCredentialRequestOptions requestOptions(
            com.webauthn4j.data.client.challenge.Challenge challenge, CredentialRecord credential) {
        return new PublicKeyCredentialRequestOptions(challenge, 120_000L, RP_ID,
                List.of(new PublicKeyCredentialDescriptor(PublicKeyCredentialType.PUBLIC_KEY,
                        Verifications.fromBase64Url(credential.credentialId()), null)),
                com.webauthn4j.data.UserVerificationRequirement.PREFERRED, null);
    }

    private AuthenticationResult signInIgnoringAllowList(WebAuthnUser user, CredentialRecord credential) {
        AuthenticationOptions options = authentication().options(SESSION, user, List.of());
        return finish(user, SESSION, assertion(requestOptions(options.publicKey().getChallenge(), credential)));
    }

    /**
     * Rewrites the flags of a genuine assertion and signs it again with the credential's own private key, so only
     * the flag check can refuse it: what an authenticator that skipped the touch or the PIN would send.
     */
    private AuthenticationResult finishResigned(WebAuthnUser user,
            PublicKeyCredential<AuthenticatorAssertionResponse, AuthenticationExtensionClientOutput> credential,
            byte flags) throws Exception {
        AuthenticatorAssertionResponse r = credential.getResponse();
        AuthenticatorDataConverter dataConverter = new AuthenticatorDataConverter(converter);
        AuthenticatorData<?> original = dataConverter.convert(r.getAuthenticatorData());
        byte[] changed = dataConverter.convert(new AuthenticatorData<>(original.getRpIdHash(), flags,
                original.getSignCount()));
        byte[] clientDataHash = MessageDigest.getInstance("SHA-256").digest(r.getClientDataJSON());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(authenticator.lookup(credential.getRawId()).getPrivateKey().getPrivateKey());
        signer.update(changed);
        signer.update(clientDataHash);
        return authentication().finish(SESSION, user, Verifications.base64Url(credential.getRawId()),
                r.getClientDataJSON(), changed, signer.sign(), r.getUserHandle());
    }
}
