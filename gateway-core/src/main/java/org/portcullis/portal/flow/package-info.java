/**
 * The portal's endpoints: sign-in, the single sign-on callback, sign-out and the account pages. Each endpoint is
 * one class; {@link org.portcullis.portal.flow.SignInPortal} dispatches by path and method. Store work and password
 * hashing run on the sign-in pools; every failure ends in a page that signs nobody in (SECURITY-RULES 10).
 */
package org.portcullis.portal.flow;
