/**
 * What the gateway shows people itself, answered under a snapshot: the {@link org.portcullis.portal.PortalService}
 * seam the proxy calls, error pages and challenges (redirect to the portal or 401). The endpoints are in {@code
 * portal.flow}; the pages ({@code portal.page}) and guards ({@code portal.guard}) sit below the snapshot, which holds
 * them compiled for its config.
 */
package org.portcullis.portal;
