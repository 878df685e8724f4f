package org.portcullis.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code webauthn}: the relying party that security keys and passkeys see (W3C WebAuthn Level 2 §5.4, §7). Every key
 * is optional; an absent section means the defaults below, with the relying party derived from {@code portal}.
 *
 * @param rpId             the RP ID: the portal's host or a registrable suffix of it; empty means the portal's host.
 *                         Credentials are bound to it for ever: changing it later orphans every registered key
 * @param rpName           what the browser shows while registering; empty means {@code portal.branding.organisation}
 * @param origins          exact origins accepted in {@code clientDataJSON.origin}; empty means the portal's origin
 * @param attestation      {@link Attestation#NONE} (default) or {@link Attestation#DIRECT}
 * @param aaguids          with {@code DIRECT}: the authenticator models accepted; empty means any model
 * @param userVerification {@link UserVerification#PREFERRED} by default
 * @param algorithms       credential algorithms offered, in order of preference; default ES256, EdDSA, RS256
 * @param disableOnClone   whether a signature counter that goes backwards disables the key until an admin re-enables
 *                         it (default true)
 * @param passwordless     whether the sign-in page offers "Sign in with a passkey" (a discoverable credential, no
 *                         password); off by default. Such a sign-in counts as two factors only when the authenticator
 *                         reports user verification (a PIN or biometric), else as one
 */
public record WebAuthnConfig(
        Optional<String> rpId,
        Optional<String> rpName,
        List<String> origins,
        Attestation attestation,
        Set<UUID> aaguids,
        UserVerification userVerification,
        List<Algorithm> algorithms,
        boolean disableOnClone,
        boolean passwordless) {

    /** What the relying party asks authenticators to prove about their model (W3C WebAuthn §5.4.7). */
    public enum Attestation {
        NONE, DIRECT;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How strongly a PIN or biometric is demanded (W3C WebAuthn §5.8.6). */
    public enum UserVerification {
        PREFERRED, REQUIRED, DISCOURAGED;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Credential signature algorithms (COSE: ES256 -7, EdDSA -8, RS256 -257). */
    public enum Algorithm {
        ES256("ES256"), EDDSA("EdDSA"), RS256("RS256");

        private final String yamlName;

        Algorithm(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    public static final List<Algorithm> DEFAULT_ALGORITHMS = List.of(Algorithm.ES256, Algorithm.EDDSA,
            Algorithm.RS256);

    public WebAuthnConfig {
        Objects.requireNonNull(rpId, "rpId");
        Objects.requireNonNull(rpName, "rpName");
        Objects.requireNonNull(attestation, "attestation");
        Objects.requireNonNull(userVerification, "userVerification");
        origins = List.copyOf(origins);
        aaguids = Set.copyOf(aaguids);
        algorithms = List.copyOf(algorithms);
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("algorithms must not be empty");
        }
        if (attestation == Attestation.NONE && !aaguids.isEmpty()) {
            throw new IllegalArgumentException("aaguids need attestation direct");
        }
    }

    /** The settings without passwordless sign-in (as before that switch existed). */
    public WebAuthnConfig(Optional<String> rpId, Optional<String> rpName, List<String> origins, Attestation attestation,
                          Set<UUID> aaguids, UserVerification userVerification, List<Algorithm> algorithms,
                          boolean disableOnClone) {
        this(rpId, rpName, origins, attestation, aaguids, userVerification, algorithms, disableOnClone, false);
    }

    /**
     * No attestation, user verification preferred, ES256/EdDSA/RS256, clones disabled, no passwordless sign-in, the
     * rest from the portal.
     */
    public static WebAuthnConfig defaults() {
        return new WebAuthnConfig(Optional.empty(), Optional.empty(), List.of(), Attestation.NONE, Set.of(),
                UserVerification.PREFERRED, DEFAULT_ALGORITHMS, true, false);
    }

    /** {@link #rpId()} or the portal's host. */
    public String rpIdFor(PortalConfig portal) {
        return rpId.orElseGet(() -> portal.url().getHost());
    }

    /** {@link #rpName()} or the portal's organisation. */
    public String rpNameFor(PortalConfig portal) {
        return rpName.orElseGet(() -> portal.branding().organisation());
    }

    /** {@link #origins()} or the portal's origin alone. */
    public List<String> originsFor(PortalConfig portal) {
        return origins.isEmpty() ? List.of(portal.origin()) : origins;
    }
}
