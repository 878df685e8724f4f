/**
 * Pure building blocks that keep the portal and single sign-on safe: where the portal lives and its reserved paths
 * ({@link org.portcullis.portal.guard.PortalOrigin}, {@link org.portcullis.portal.guard.PortalPaths}), the {@code rd}
 * return-target check (SECURITY-RULES 16), CSRF defences for every portal form (rule 17) and the one-time codes of the
 * cross-host callback. Nothing here touches Netty; the portal's handlers call these classes.
 */
package org.portcullis.portal.guard;
