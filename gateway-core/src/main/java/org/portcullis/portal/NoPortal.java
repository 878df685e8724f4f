package org.portcullis.portal;

import java.util.concurrent.CompletableFuture;

/**
 * The gateway's own paths when sign-in is not configured: every one is "not found". They stay reserved, so turning
 * sign-in on later never changes what an upstream path means.
 */
public final class NoPortal implements PortalService {
    public static final NoPortal INSTANCE = new NoPortal();

    private NoPortal() {
    }

    @Override
    public CompletableFuture<PortalResponse> handle(PortalRequest request) {
        return CompletableFuture.completedFuture(ChallengeResponses.fromErrorPage(404,
                ErrorPages.wantsJson(request.request().headers()), "PORTAL_NOT_CONFIGURED", request.requestId(),
                request.snapshot()));
    }
}
