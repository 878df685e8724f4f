package org.portcullis.portal.flow;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.PortalConfig;
import org.portcullis.config.WebAuthnConfig;
import org.portcullis.factor.WebAuthnCredentials;
import org.portcullis.session.SessionId;
import org.portcullis.webauthn.AttestationConveyance;
import org.portcullis.webauthn.AuthenticationCeremony;
import org.portcullis.webauthn.ChallengeStore;
import org.portcullis.webauthn.CredentialAlgorithm;
import org.portcullis.webauthn.InMemoryChallengeStore;
import org.portcullis.webauthn.RegistrationCeremony;
import org.portcullis.webauthn.RelyingPartySettings;
import org.portcullis.webauthn.UserVerification;

/**
 * The WebAuthn relying party of the running portal: settings from the config's {@code webauthn} and {@code portal}
 * sections (rebuilt when a reload changes them), the ceremonies on the store's credentials, and the outstanding
 * challenges.
 *
 * <p>Challenges: 32 random bytes, single use, two minutes, bound to the hash of the portal session id and to the
 * ceremony. A single gateway keeps them in its memory ({@link InMemoryChallengeStore}); with {@code cache.redis} they
 * are in Redis ({@code cluster.RedisChallengeStore}), so the two requests of a ceremony may reach different nodes. A
 * restart of the memory store forgets them, which only means pressing the button again.
 */
final class WebAuthnService {
    private final WebAuthnCredentials credentials;
    private final Clock clock;
    private final ChallengeStore challenges;
    private volatile Built built;

    private record Built(WebAuthnConfig webauthn, PortalConfig portal, RelyingPartySettings settings,
                         RegistrationCeremony registration, AuthenticationCeremony authentication) {
    }

    WebAuthnService(WebAuthnCredentials credentials, Clock clock, ChallengeStore challenges) {
        this.credentials = credentials;
        this.clock = clock;
        this.challenges = challenges;
    }

    /** The single gateway's challenge store. */
    static ChallengeStore inMemory(Clock clock, SecureRandom random) {
        return new InMemoryChallengeStore(random, clock, RelyingPartySettings.DEFAULT_CHALLENGE_TTL);
    }

    RegistrationCeremony registration(GatewayConfig config) {
        return built(config).registration();
    }

    AuthenticationCeremony authentication(GatewayConfig config) {
        return built(config).authentication();
    }

    WebAuthnCredentials credentials() {
        return credentials;
    }

    /** The challenge binding of a session: the hex of its id's hash, never the id itself. */
    static String binding(SessionId id) {
        return HexFormat.of().formatHex(id.hash().bytes());
    }

    /** Drops expired challenges; called on each options request so the map stays small without a timer. */
    void purge() {
        if (challenges instanceof InMemoryChallengeStore memory) {
            memory.purgeExpired();
        }
    }

    private Built built(GatewayConfig config) {
        Built current = built;
        if (current != null && current.webauthn().equals(config.webauthn())
                && current.portal().equals(config.portal())) {
            return current;
        }
        RelyingPartySettings settings = settings(config.webauthn(), config.portal());
        Built next = new Built(config.webauthn(), config.portal(), settings,
                new RegistrationCeremony(settings, challenges, credentials, clock),
                new AuthenticationCeremony(settings, challenges, credentials, clock));
        built = next;
        return next;
    }

    static RelyingPartySettings settings(WebAuthnConfig webauthn, PortalConfig portal) {
        List<CredentialAlgorithm> algorithms = webauthn.algorithms().stream().map(a -> switch (a) {
            case ES256 -> CredentialAlgorithm.ES256;
            case EDDSA -> CredentialAlgorithm.EDDSA;
            case RS256 -> CredentialAlgorithm.RS256;
        }).toList();
        UserVerification uv = switch (webauthn.userVerification()) {
            case PREFERRED -> UserVerification.PREFERRED;
            case REQUIRED -> UserVerification.REQUIRED;
            case DISCOURAGED -> UserVerification.DISCOURAGED;
        };
        AttestationConveyance attestation = webauthn.attestation() == WebAuthnConfig.Attestation.DIRECT
                ? AttestationConveyance.DIRECT : AttestationConveyance.NONE;
        Set<String> origins = new HashSet<>(webauthn.originsFor(portal));
        return new RelyingPartySettings(webauthn.rpIdFor(portal), webauthn.rpNameFor(portal), origins, attestation,
                webauthn.aaguids(), uv, algorithms, RelyingPartySettings.DEFAULT_CHALLENGE_TTL,
                webauthn.disableOnClone());
    }
}
