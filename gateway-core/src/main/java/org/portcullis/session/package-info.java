/**
 * Server-side sessions: an opaque 256-bit id in a {@code __Host-} cookie, state behind the {@link
 * org.portcullis.session.SessionStore} seam (SQLite by default), idle and absolute timeouts, a new id after each
 * factor, logout and admin revocation (SECURITY-RULES 11 and 12).
 */
package org.portcullis.session;
