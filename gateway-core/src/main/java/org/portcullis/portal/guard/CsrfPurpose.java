package org.portcullis.portal.guard;

/**
 * The form a session-bound CSRF token belongs to. A token for one purpose is useless for another, so a token leaked
 * from one page (in a referrer, a screenshot, a cached page) cannot sign out the user or confirm an enrolment.
 */
public enum CsrfPurpose {
    /** {@code POST /.portcullis/logout}. */
    LOGOUT,
    /** Second-factor verification (TOTP code entry, WebAuthn assertion). */
    SECOND_FACTOR,
    /** Adding or removing a factor. */
    ENROLMENT,
    /** Other account-page changes. */
    ACCOUNT
}
