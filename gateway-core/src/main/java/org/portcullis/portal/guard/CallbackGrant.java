package org.portcullis.portal.guard;

import java.util.Objects;
import org.portcullis.session.SessionIdHash;

/**
 * What a redeemed callback code grants the host it was issued for: the portal session that signed in (the host's new
 * session is linked to it, so sign-out at the portal ends both) and where to send the browser.
 */
public record CallbackGrant(SessionIdHash portalSession, String returnPathAndQuery) {

    public CallbackGrant {
        Objects.requireNonNull(portalSession, "portalSession");
        Objects.requireNonNull(returnPathAndQuery, "returnPathAndQuery");
    }
}
