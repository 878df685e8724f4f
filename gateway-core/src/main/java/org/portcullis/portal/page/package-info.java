/**
 * The portal's server-rendered pages (sign-in, account, sign-out, notices): plain Java that builds HTML strings, every
 * dynamic value through {@link org.portcullis.portal.page.Html}, no template engine and no JavaScript, with the
 * security headers that go with them ({@link org.portcullis.portal.page.PortalHeaders}). Nothing here touches Netty's
 * pipeline; the portal handler sends what these classes render.
 */
package org.portcullis.portal.page;
