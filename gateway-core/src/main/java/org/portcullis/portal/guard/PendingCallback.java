package org.portcullis.portal.guard;

import java.time.Instant;
import java.util.Objects;
import org.portcullis.session.SessionIdHash;

/**
 * What a callback code stands for while it waits to be redeemed.
 *
 * @param host               the protected host the code was issued for; any other host refuses it
 * @param portalSession      the portal session that signed in
 * @param returnPathAndQuery where the callback sends the browser on {@code host}
 * @param stateBinding       the {@link SsoState#binding} of the nonce of the browser that started the sign-in; only
 *                           a browser holding that nonce can redeem the code
 * @param issuedAt           when the code was issued
 * @param expiresAt          the first instant at which the code no longer counts
 */
public record PendingCallback(String host, SessionIdHash portalSession, String returnPathAndQuery,
        String stateBinding, Instant issuedAt, Instant expiresAt) {

    public PendingCallback {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(portalSession, "portalSession");
        Objects.requireNonNull(returnPathAndQuery, "returnPathAndQuery");
        if (!CsrfTokens.isWellFormed(stateBinding)) {
            throw new IllegalArgumentException("PendingCallback: stateBinding must be a state binding");
        }
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("PendingCallback: expiresAt must be after issuedAt");
        }
    }
}
