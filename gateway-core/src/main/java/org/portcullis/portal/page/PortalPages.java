package org.portcullis.portal.page;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.config.PortalBranding;
import org.portcullis.portal.guard.PortalPaths;

/**
 * Every portal page, rendered for one branding. Build one per loaded config (the stylesheet, its CSP hash and the
 * header and footer are computed once) and send each page with {@link #headers()}. Every argument is plain text:
 * the pages escape it. No page contains a script.
 *
 * <p>Statuses: the sign-in form 200 (also after a failure: the form is the answer; a 401 would need a
 * {@code WWW-Authenticate} challenge, RFC 9110 §15.5.2), locked 429, busy 503, not found 404, every other page 200.
 * A caller that needs another status wraps the HTML in a new {@link PortalPage}.
 */
public final class PortalPages {
    private final PortalLayout layout;
    private final PortalHeaders headers;
    private final SecondFactorPages secondFactor;
    private final PortalHeaders scriptHeaders;
    private final WebAuthnPages webauthn;
    private final Optional<String> helpContact;

    /**
     * @param branding          from {@code portal.branding} ({@link PortalBranding#defaults()} when there is none)
     * @param formActionOrigins the protected hosts' origins, which the sign-in POST redirects to (see
     *                          {@link PortalHeaders#of})
     */
    public PortalPages(PortalBranding branding, List<String> formActionOrigins) {
        this(branding, formActionOrigins, Optional.empty());
    }

    /** @param helpContact {@code portal.help_contact}: shown on the dead-end pages (lockout, errors) */
    public PortalPages(PortalBranding branding, List<String> formActionOrigins, Optional<String> helpContact) {
        Objects.requireNonNull(branding, "branding");
        this.helpContact = Objects.requireNonNull(helpContact, "helpContact");
        PortalStylesheet stylesheet = PortalStylesheet.of(branding.primaryColour());
        this.layout = new PortalLayout(branding, stylesheet);
        this.headers = PortalHeaders.of(stylesheet, formActionOrigins);
        this.secondFactor = new SecondFactorPages(layout, helpContact);
        this.scriptHeaders = headers.withOwnScript();
        this.webauthn = new WebAuthnPages(layout);
    }

    /** {@code portal.help_contact}, if configured. */
    public Optional<String> helpContact() {
        return helpContact;
    }

    /**
     * A page the gateway answers with instead of the service (bad request, denied, not found, upstream failed …), in
     * the portal's design: what happened, the request id to quote (it joins the access-log line and the audit event),
     * whom to ask, and one way on.
     *
     * @param requestId the request's id, or null when it has none
     * @param wayOn     where the link leads: the portal's account page, or this site's start page; a fixed or
     *                  configured URL, never one the client sent
     */
    public PortalPage error(int status, String title, String message, String requestId, String wayOn,
                            String wayOnText) {
        StringBuilder html = new StringBuilder(1024);
        html.append(Fragments.heading(title)).append(Fragments.paragraph(message));
        if (requestId != null) {
            html.append(Fragments.reference(status, requestId));
        } else {
            html.append(Fragments.paragraph(String.format(PortalMessages.ERROR_STATUS, status)));
        }
        html.append(Fragments.help(helpContact)).append(Fragments.link(wayOn, wayOnText));
        return layout.page(status, title, html.toString());
    }

    /** The security-key pages (second factor with a key, registration); send them with {@link #scriptHeaders()}. */
    public WebAuthnPages webauthn() {
        return webauthn;
    }

    /** {@link #headers()} with {@code script-src 'self'}, for the pages of {@link #webauthn()} only. */
    public PortalHeaders scriptHeaders() {
        return scriptHeaders;
    }

    /** The second-factor, enrolment and account-factor pages, in the same frame. */
    public SecondFactorPages secondFactor() {
        return secondFactor;
    }

    /** The headers for every page rendered here. */
    public PortalHeaders headers() {
        return headers;
    }

    /** The frame, for pages built elsewhere (the second-factor and enrolment pages of later issues). */
    public PortalLayout layout() {
        return layout;
    }

    /** GET {@link PortalPaths#LOGIN}: the empty form. */
    public PortalPage login(String csrf, String rd) {
        return loginPage(csrf, rd, "", Optional.empty());
    }

    /**
     * The form with a "Sign in with a passkey" button under it ({@code webauthn.passwordless}); send it with
     * {@link #scriptHeaders()}, the button needs the portal's script.
     */
    public PortalPage loginWithPasskey(String csrf, String rd) {
        return layout.page(200, LoginPage.title(Optional.empty()), LoginPage.content(csrf, rd, "", Optional.empty())
                + WebAuthnPages.passkeyBlock(csrf, rd));
    }

    /**
     * The form again after a failed attempt, with {@code message} announced ({@link PortalMessages#WRONG_CREDENTIALS}
     * or {@link PortalMessages#FORM_EXPIRED}) and the username kept; the password never is.
     */
    /** {@link #loginFailed} with the passkey button, for {@code webauthn.passwordless}. */
    public PortalPage loginFailedWithPasskey(String csrf, String rd, String username, String message) {
        Optional<String> error = Optional.of(Objects.requireNonNull(message, "message"));
        return layout.page(200, LoginPage.title(error), LoginPage.content(csrf, rd, username, error)
                + WebAuthnPages.passkeyBlock(csrf, rd));
    }

    public PortalPage loginFailed(String csrf, String rd, String username, String message) {
        return loginPage(csrf, rd, username, Optional.of(Objects.requireNonNull(message, "message")));
    }

    /** Too many failed attempts for this account or address; no time known (kept for callers without one). */
    public PortalPage locked() {
        return locked(Optional.empty(), "");
    }

    /**
     * Too many failed attempts for this account or address: how long to wait (or that the help desk must unlock it),
     * whom to ask, and the sign-in form's address to come back to.
     *
     * @param minutesLeft whole minutes until the lock ends, rounded up; empty when only an admin's unlock ends it
     * @param rd          where the user was going, kept in the sign-in link; may be empty
     */
    public PortalPage locked(Optional<Long> minutesLeft, String rd) {
        return notice(429, PortalMessages.LOCKED_TITLE, PortalMessages.LOCKED,
                Fragments.paragraph(Fragments.retryText(minutesLeft)) + Fragments.help(helpContact)
                        + Fragments.link(Fragments.loginPath(rd), PortalMessages.BACK_TO_SIGN_IN));
    }

    /** The password-check pool is full: try again shortly. */
    public PortalPage busy() {
        return notice(503, PortalMessages.BUSY_TITLE, PortalMessages.BUSY, "");
    }

    /** The user directory could not be asked: nothing was checked; try again shortly (docs/ldap.md). */
    public PortalPage signInUnavailable(String rd) {
        return notice(503, PortalMessages.UNAVAILABLE_TITLE, PortalMessages.UNAVAILABLE,
                Fragments.link(Fragments.loginPath(rd), PortalMessages.BACK_TO_SIGN_IN));
    }

    /** GET {@link PortalPaths#HOME} with a full session. */
    public PortalPage account(String displayName, String username, String csrf) {
        return layout.page(200, PortalMessages.ACCOUNT_TITLE, AccountPage.content(displayName, username, csrf));
    }

    /** After POST {@link PortalPaths#LOGOUT}. */
    public PortalPage signedOut() {
        return notice(200, PortalMessages.SIGNED_OUT_TITLE, PortalMessages.SIGNED_OUT,
                Fragments.link(PortalPaths.LOGIN, PortalMessages.SIGN_IN_AGAIN));
    }

    /**
     * The session timed out or was revoked.
     *
     * @param rd where the user was going, carried into the sign-in link (percent-encoded); may be empty
     */
    public PortalPage sessionExpired(String rd) {
        Objects.requireNonNull(rd, "rd");
        return notice(200, PortalMessages.SESSION_EXPIRED_TITLE, PortalMessages.SESSION_EXPIRED,
                Fragments.link(Fragments.loginPath(rd), PortalMessages.SIGN_IN_AGAIN));
    }

    /** GET {@link PortalPaths#SECOND_FACTOR} while no second factor can be used yet. */
    public PortalPage secondFactorRequired(String csrf) {
        return secondFactorRequired(csrf, "");
    }

    /**
     * @param message a further sentence for the slot under the fixed explanation (for example how to get an
     *                enrolment code); empty for none
     */
    public PortalPage secondFactorRequired(String csrf, String message) {
        String slot = message.isEmpty() ? "" : Fragments.paragraph(message);
        return notice(200, PortalMessages.SECOND_FACTOR_TITLE, PortalMessages.SECOND_FACTOR,
                slot + Fragments.signOutForm(csrf, PortalMessages.CANCEL_AND_SIGN_OUT));
    }

    /** Any path under {@link PortalPaths#PREFIX} that is not a portal page. */
    public PortalPage notFound() {
        return notice(404, PortalMessages.NOT_FOUND_TITLE, PortalMessages.NOT_FOUND,
                Fragments.link(PortalPaths.HOME, PortalMessages.GO_TO_ACCOUNT));
    }

    private PortalPage loginPage(String csrf, String rd, String username, Optional<String> error) {
        return layout.page(200, LoginPage.title(error), LoginPage.content(csrf, rd, username, error));
    }

    /** A heading, one message and an optional action ({@code extra}: markup from {@link Fragments}). */
    private PortalPage notice(int status, String title, String message, String extra) {
        return layout.page(status, title, Fragments.heading(title) + Fragments.paragraph(message) + extra);
    }
}
