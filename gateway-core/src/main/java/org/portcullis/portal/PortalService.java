package org.portcullis.portal;

import java.util.concurrent.CompletableFuture;

/**
 * Answers the requests the gateway serves itself ({@link org.portcullis.portal.guard.PortalPaths}). Returns at once;
 * the work that blocks (password hashing, the store) runs on the sign-in pools, and the future completes there. A
 * failed future is answered with a 500 page by the caller: an error never signs anybody in.
 */
public interface PortalService {
    CompletableFuture<PortalResponse> handle(PortalRequest request);
}
