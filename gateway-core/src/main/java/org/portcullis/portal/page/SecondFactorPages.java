package org.portcullis.portal.page;

import static org.portcullis.portal.page.Html.escape;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.portal.guard.PortalPaths;

/**
 * The second-factor pages: the code form (with recovery codes as the way out), enrolment (invitation code, QR code,
 * confirmation, recovery codes shown once) and the account page with the user's authenticators. Same frame, headers
 * and accessibility rules as the sign-in form ({@link LoginPage}): labelled fields, errors in a focused
 * {@code role="alert"} region, no script. Code fields are {@code inputmode="numeric"} with
 * {@code autocomplete="one-time-code"} so phones offer the digit keyboard and the code the OS received.
 */
public final class SecondFactorPages {
    /** Form fields. */
    public static final String FIELD_CODE = "code";
    public static final String FIELD_RECOVERY_CODE = "recovery_code";
    public static final String FIELD_INVITATION = "invitation";
    public static final String FIELD_STEP = "step";
    public static final String FIELD_NAME = "name";
    public static final String FIELD_ID = "id";
    public static final String FIELD_ACTION = "action";
    /** Values of {@link #FIELD_STEP} (enrolment) and {@link #FIELD_ACTION} (account). */
    public static final String STEP_INVITATION = "invitation";
    public static final String STEP_START = "start";
    public static final String STEP_CONFIRM = "confirm";
    public static final String ACTION_RENAME = "rename";
    public static final String ACTION_REMOVE = "remove";
    public static final String ACTION_RECOVERY_CODES = "recovery_codes";
    /** Set by the confirmation page's form: without it, remove and new recovery codes only ask first. */
    public static final String FIELD_CONFIRMED = "confirmed";
    public static final String CONFIRMED = "yes";
    /** The codes the download form sends back ({@link PortalPaths#RECOVERY_CODES_FILE}), separated by spaces. */
    public static final String FIELD_CODES = "codes";

    /** What the recovery codes page says the codes are for. */
    public enum RecoveryCodesFor {
        /** The first factor was an authenticator app. */
        APP,
        /** The first factor was a security key or passkey. */
        SECURITY_KEY,
        /** New codes from the account page, replacing the old ones. */
        NEW_SET
    }

    static final String ERROR_ID = "error-summary";
    private static final String AUTOFOCUS = " autofocus=\"\"";

    /** One authenticator as the account page lists it; every value is display text. */
    public record FactorRow(String id, String name, String type, String added, String lastUsed) {
        public FactorRow {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(added, "added");
            Objects.requireNonNull(lastUsed, "lastUsed");
        }
    }

    private final PortalLayout layout;
    private final Optional<String> helpContact;

    SecondFactorPages(PortalLayout layout, Optional<String> helpContact) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.helpContact = Objects.requireNonNull(helpContact, "helpContact");
    }

    /** GET/POST {@link PortalPaths#SECOND_FACTOR}: the code form, then the recovery-code form, then sign-out. */
    public PortalPage codeForm(int status, String csrf, String rd, Optional<String> error) {
        return codeForm(status, csrf, rd, error, "");
    }

    /** @param account the username signing in, shown so a user on a shared device sees whose code is asked for */
    public PortalPage codeForm(int status, String csrf, String rd, Optional<String> error, String account) {
        StringBuilder html = new StringBuilder(2048);
        html.append(Fragments.heading(SecondFactorMessages.CODE_TITLE)).append(alert(error))
                .append(Fragments.signingInAs(account))
                .append(Fragments.paragraph(SecondFactorMessages.CODE_EXPLAINED))
                .append(formStart(PortalPaths.SECOND_FACTOR, csrf, rd))
                .append(codeField(FIELD_CODE, SecondFactorMessages.CODE_LABEL, error, true))
                .append(button(SecondFactorMessages.CODE_BUTTON)).append("</form>\n")
                .append("<h2>").append(escape(SecondFactorMessages.RECOVERY_TITLE)).append("</h2>\n")
                .append(Fragments.paragraph(SecondFactorMessages.RECOVERY_EXPLAINED))
                .append(formStart(PortalPaths.SECOND_FACTOR, csrf, rd))
                .append(label(FIELD_RECOVERY_CODE, SecondFactorMessages.RECOVERY_LABEL))
                .append("<input id=\"").append(FIELD_RECOVERY_CODE).append("\" name=\"").append(FIELD_RECOVERY_CODE)
                .append("\" type=\"text\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"/>\n")
                .append(button(SecondFactorMessages.RECOVERY_BUTTON)).append("</form>\n")
                .append(Fragments.signOutForm(csrf, PortalMessages.CANCEL_AND_SIGN_OUT));
        return layout.page(status, title(SecondFactorMessages.CODE_TITLE, error), html.toString());
    }

    /** Too many wrong codes for this account or address; no time known. */
    public PortalPage locked(String csrf) {
        return locked(csrf, Optional.empty());
    }

    /**
     * Too many wrong codes for this account or address: how long to wait, whom to ask, and sign-out.
     *
     * @param minutesLeft whole minutes until the lock ends, rounded up; empty when only an admin's unlock ends it
     */
    public PortalPage locked(String csrf, Optional<Long> minutesLeft) {
        return layout.page(429, SecondFactorMessages.LOCKED_TITLE, Fragments.heading(SecondFactorMessages.LOCKED_TITLE)
                + Fragments.paragraph(SecondFactorMessages.LOCKED)
                + Fragments.paragraph(Fragments.retryText(minutesLeft)) + Fragments.help(helpContact)
                + Fragments.signOutForm(csrf, PortalMessages.CANCEL_AND_SIGN_OUT));
    }

    /** After a recovery code: how many are left, and the way on. */
    public PortalPage recoveryAccepted(int remaining, String continuePath) {
        return layout.page(200, SecondFactorMessages.RECOVERY_ACCEPTED_TITLE,
                Fragments.heading(SecondFactorMessages.RECOVERY_ACCEPTED_TITLE)
                        + "<div role=\"status\">" + Fragments.paragraph(
                                String.format(SecondFactorMessages.RECOVERY_REMAINING, remaining)) + "</div>\n"
                        + Fragments.link(continuePath, SecondFactorMessages.CONTINUE));
    }

    /**
     * The first step of an enrolment: the invitation code form ({@code invitationNeeded}), or a button that starts
     * one (a fresh second factor, or {@code enrolment.allow_first_factor_only}).
     */
    public PortalPage enrolStart(int status, String csrf, String rd, boolean invitationNeeded, Optional<String> error) {
        StringBuilder html = new StringBuilder(2048);
        html.append(Fragments.heading(SecondFactorMessages.ENROL_TITLE)).append(alert(error))
                .append(Fragments.paragraph(invitationNeeded ? SecondFactorMessages.INVITATION_EXPLAINED
                        : SecondFactorMessages.START_EXPLAINED))
                .append(formStart(PortalPaths.ENROL, csrf, rd));
        if (invitationNeeded) {
            html.append(Fragments.hidden(FIELD_STEP, STEP_INVITATION))
                    .append(label(FIELD_INVITATION, SecondFactorMessages.INVITATION_LABEL))
                    .append("<input id=\"").append(FIELD_INVITATION).append("\" name=\"").append(FIELD_INVITATION)
                    .append("\" type=\"text\" autocomplete=\"off\" autocapitalize=\"characters\"")
                    .append(" spellcheck=\"false\" required=\"\"").append(invalid(error)).append(AUTOFOCUS)
                    .append("/>\n")
                    .append(button(SecondFactorMessages.INVITATION_BUTTON));
        } else {
            html.append(Fragments.hidden(FIELD_STEP, STEP_START))
                    .append(button(SecondFactorMessages.START_BUTTON));
        }
        html.append("</form>\n")
                .append(Fragments.link(WebAuthnPages.securityKeyPath(rd), WebAuthnMessages.USE_KEY_INSTEAD))
                .append(Fragments.signOutForm(csrf, PortalMessages.CANCEL_AND_SIGN_OUT));
        return layout.page(status, title(SecondFactorMessages.ENROL_TITLE, error), html.toString());
    }

    /**
     * The new authenticator: QR code (inline SVG), the manual key in groups of four, the {@code otpauth://} URI, and
     * the form that confirms it with a code from the app. The page holds the secret: it is sent with
     * {@code Cache-Control: no-store} like every portal page, and never logged.
     *
     * @param qrSvg markup from {@code org.portcullis.totp.QrSvg}, which builds it from numbers only
     */
    public PortalPage enrolShow(int status, String csrf, String rd, String qrSvg, String manualKey, String uri,
                                String name, Optional<String> error) {
        StringBuilder html = new StringBuilder(8192 + qrSvg.length());
        html.append(Fragments.heading(SecondFactorMessages.ENROL_TITLE)).append(alert(error))
                .append(Fragments.paragraph(SecondFactorMessages.SCAN))
                .append("<div class=\"qr\">").append(qrSvg).append("</div>\n")
                .append(Fragments.paragraph(SecondFactorMessages.MANUAL_KEY))
                .append("<p><code id=\"manual-key\">").append(escape(manualKey)).append("</code></p>\n")
                .append(Fragments.paragraph(SecondFactorMessages.URI))
                .append("<p><a id=\"otpauth-uri\" href=\"").append(escape(uri)).append("\">")
                .append(escape(uri)).append("</a></p>\n")
                .append(Fragments.paragraph(SecondFactorMessages.CONFIRM_EXPLAINED))
                .append(formStart(PortalPaths.ENROL, csrf, rd))
                .append(Fragments.hidden(FIELD_STEP, STEP_CONFIRM))
                .append(label(FIELD_NAME, SecondFactorMessages.NAME_LABEL))
                .append("<input id=\"").append(FIELD_NAME).append("\" name=\"").append(FIELD_NAME)
                .append("\" type=\"text\" maxlength=\"64\" autocomplete=\"off\" value=\"").append(escape(name))
                .append("\"/>\n")
                // No autofocus here: on a phone it would scroll the heading and the QR code off the screen and open
                // the keyboard over them, before the user has scanned anything.
                .append(codeField(FIELD_CODE, SecondFactorMessages.CODE_LABEL, error, false))
                .append(button(SecondFactorMessages.CONFIRM_BUTTON)).append("</form>\n")
                .append(Fragments.signOutForm(csrf, PortalMessages.CANCEL_AND_SIGN_OUT));
        return layout.page(status, title(SecondFactorMessages.ENROL_TITLE, error), html.toString());
    }

    /** The recovery codes after an authenticator app, without the download form (kept for older callers). */
    public PortalPage recoveryCodes(List<String> codes, String continuePath) {
        return recoveryCodes(codes, continuePath, "", RecoveryCodesFor.APP);
    }

    /**
     * The recovery codes, shown this once: what they are for (worded for what the user has), a download of them as a
     * text file, how to print them (the print stylesheet leaves only the codes), and the way on.
     *
     * @param csrf the session's token for the download form; empty for no download form
     */
    public PortalPage recoveryCodes(List<String> codes, String continuePath, String csrf, RecoveryCodesFor kind) {
        StringBuilder html = new StringBuilder(2048);
        html.append(Fragments.heading(SecondFactorMessages.RECOVERY_CODES_TITLE))
                .append(Fragments.paragraph(switch (kind) {
                    case APP -> SecondFactorMessages.RECOVERY_CODES;
                    case SECURITY_KEY -> SecondFactorMessages.RECOVERY_CODES_AFTER_KEY;
                    case NEW_SET -> SecondFactorMessages.RECOVERY_CODES_NEW;
                }))
                .append("<ul class=\"recovery-codes\">\n");
        for (String code : codes) {
            html.append("<li><code>").append(escape(code)).append("</code></li>\n");
        }
        html.append("</ul>\n");
        if (!csrf.isEmpty()) {
            // Posted back, not kept: the gateway stores only the codes' hashes, so the file is made from the
            // codes this page already shows (checked to be recovery-code shaped, nothing else is echoed).
            html.append("<form method=\"post\" action=\"").append(PortalPaths.RECOVERY_CODES_FILE).append("\">\n")
                    .append(Fragments.hidden(PortalPaths.FIELD_CSRF, csrf))
                    .append(Fragments.hidden(FIELD_CODES, String.join(" ", codes)))
                    .append(button(SecondFactorMessages.DOWNLOAD_CODES)).append("</form>\n");
        }
        html.append("<p class=\"no-print\">").append(escape(SecondFactorMessages.PRINT_CODES)).append("</p>\n")
                .append(Fragments.link(continuePath, SecondFactorMessages.CONTINUE));
        return layout.page(200, SecondFactorMessages.RECOVERY_CODES_TITLE, html.toString());
    }

    /**
     * The step before a destructive change on the account page: what will happen, the button that does it (the
     * same form with {@link #FIELD_CONFIRMED}) and the way back that changes nothing.
     *
     * @param action {@link #ACTION_REMOVE} or {@link #ACTION_RECOVERY_CODES}
     * @param id     the authenticator to remove; empty for new recovery codes
     */
    public PortalPage confirm(String csrf, String action, String id, String title, String explained,
                              String buttonText) {
        String html = Fragments.heading(title) + Fragments.paragraph(explained)
                + "<div class=\"actions\">\n"
                + formStart(PortalPaths.FACTORS, csrf, "")
                + Fragments.hidden(FIELD_ACTION, action)
                + (id.isEmpty() ? "" : Fragments.hidden(FIELD_ID, id))
                + Fragments.hidden(FIELD_CONFIRMED, CONFIRMED)
                + button(buttonText) + "</form>\n"
                + "<a href=\"" + PortalPaths.HOME + "\">" + escape(SecondFactorMessages.KEEP_AND_GO_BACK) + "</a>\n"
                + "</div>\n";
        return layout.page(200, title, html);
    }

    /**
     * The account home: who is signed in, their authenticators (name, type, added, last used) with rename and remove,
     * new recovery codes, adding an authenticator, and sign-out.
     *
     * @param message a result or refusal to announce (status or alert), if any
     */
    public PortalPage account(int status, String displayName, String username, String csrf, List<FactorRow> factors,
                              Optional<String> message, boolean alert) {
        StringBuilder html = new StringBuilder(4096);
        html.append(Fragments.heading(PortalMessages.ACCOUNT_TITLE));
        if (message.isPresent()) {
            html.append(alert ? alert(message) : "<div role=\"status\">" + Fragments.paragraph(message.get())
                    + "</div>\n");
        }
        html.append("<p>").append(escape(PortalMessages.SIGNED_IN_AS)).append(" <strong>").append(escape(displayName))
                .append("</strong> (username <strong>").append(escape(username)).append("</strong>).</p>\n")
                .append("<h2>").append(escape(SecondFactorMessages.FACTORS_TITLE)).append("</h2>\n");
        if (factors.isEmpty()) {
            html.append(Fragments.paragraph(SecondFactorMessages.NO_FACTORS));
        } else {
            html.append("<div class=\"table-scroll\" role=\"region\" aria-label=\"")
                    .append(escape(SecondFactorMessages.FACTORS_TITLE)).append("\" tabindex=\"0\">\n")
                    .append("<table>\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Type</th>")
                    .append("<th scope=\"col\">Added</th><th scope=\"col\">Last used</th></tr></thead>\n<tbody>\n");
            for (FactorRow row : factors) {
                html.append("<tr><td>").append(escape(row.name())).append("</td><td>").append(escape(row.type()))
                        .append("</td><td class=\"date\">").append(escape(row.added()))
                        .append("</td><td class=\"date\">").append(escape(row.lastUsed())).append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n</div>\n");
            for (FactorRow row : factors) {
                String field = "name-" + row.id();
                html.append(formStart(PortalPaths.FACTORS, csrf, ""))
                        .append(Fragments.hidden(FIELD_ACTION, ACTION_RENAME))
                        .append(Fragments.hidden(FIELD_ID, row.id()))
                        .append("<label for=\"").append(escape(field)).append("\">New name for ")
                        .append(escape(row.name())).append("</label>\n")
                        .append("<input id=\"").append(escape(field)).append("\" name=\"").append(FIELD_NAME)
                        .append("\" type=\"text\" maxlength=\"64\" required=\"\" value=\"").append(escape(row.name()))
                        .append("\"/>\n").append(button(SecondFactorMessages.RENAME_BUTTON)).append("</form>\n")
                        // Removing asks first (the confirmation page); set apart and outlined, not a second
                        // primary button flush under "Rename".
                        .append("<form method=\"post\" action=\"").append(PortalPaths.FACTORS)
                        .append("\" class=\"secondary\">\n").append(Fragments.hidden(PortalPaths.FIELD_CSRF, csrf))
                        .append(Fragments.hidden(FIELD_ACTION, ACTION_REMOVE))
                        .append(Fragments.hidden(FIELD_ID, row.id()))
                        .append("<button type=\"submit\">").append(escape(SecondFactorMessages.REMOVE_BUTTON + " "
                                + row.name())).append("</button>\n</form>\n");
            }
            html.append("<h2>").append(escape(SecondFactorMessages.RECOVERY_CODES_HEADING)).append("</h2>\n")
                    .append(formStart(PortalPaths.FACTORS, csrf, ""))
                    .append(Fragments.hidden(FIELD_ACTION, ACTION_RECOVERY_CODES))
                    .append(button(SecondFactorMessages.NEW_RECOVERY_CODES)).append("</form>\n");
        }
        html.append("<h2>").append(escape(SecondFactorMessages.ADD_HEADING)).append("</h2>\n")
                .append(formStart(PortalPaths.ENROL, csrf, ""))
                .append(Fragments.hidden(FIELD_STEP, STEP_START))
                .append(button(SecondFactorMessages.ADD_FACTOR)).append("</form>\n")
                .append(Fragments.link(PortalPaths.SECURITY_KEY, WebAuthnMessages.ADD_KEY))
                .append(Fragments.paragraph(PortalMessages.SIGN_OUT_EXPLAINED))
                .append(Fragments.signOutForm(csrf, PortalMessages.SIGN_OUT_BUTTON));
        return layout.page(status, PortalMessages.ACCOUNT_TITLE, html.toString());
    }

    /** A refusal with one way on: a link to one of the portal's own paths. */
    public PortalPage refusal(int status, String title, String message, String linkPath, String linkText) {
        return layout.page(status, "Error: " + title, Fragments.heading(title) + alert(Optional.of(message))
                + Fragments.link(linkPath, linkText));
    }

    static String title(String title, Optional<String> error) {
        return error.isPresent() ? "Error: " + title : title;
    }

    static String alert(Optional<String> error) {
        if (error.isEmpty()) {
            return "";
        }
        return "<div class=\"alert\" id=\"" + ERROR_ID + "\" role=\"alert\" aria-live=\"assertive\" tabindex=\"-1\""
                + AUTOFOCUS + ">\n<h2>" + escape(PortalMessages.ERROR_SUMMARY_TITLE) + "</h2>\n"
                + Fragments.paragraph(error.get()) + "</div>\n";
    }

    private static String invalid(Optional<String> error) {
        return error.isPresent() ? " aria-invalid=\"true\" aria-describedby=\"" + ERROR_ID + "\"" : "";
    }

    static String formStart(String action, String csrf, String rd) {
        return "<form method=\"post\" action=\"" + action + "\">\n" + Fragments.hidden(PortalPaths.FIELD_CSRF, csrf)
                + (rd.isEmpty() ? "" : Fragments.hidden(PortalPaths.FIELD_RD, rd));
    }

    static String label(String id, String text) {
        return "<label for=\"" + id + "\">" + escape(text) + "</label>\n";
    }

    static String codeField(String name, String text, Optional<String> error, boolean focus) {
        return label(name, text) + "<input id=\"" + name + "\" name=\"" + name + "\" type=\"text\""
                + " inputmode=\"numeric\" pattern=\"[0-9]*\" autocomplete=\"one-time-code\" maxlength=\"8\""
                + " required=\"\"" + invalid(error) + (focus && error.isEmpty() ? AUTOFOCUS : "") + "/>\n";
    }

    static String button(String text) {
        return "<button type=\"submit\">" + escape(text) + "</button>\n";
    }
}
