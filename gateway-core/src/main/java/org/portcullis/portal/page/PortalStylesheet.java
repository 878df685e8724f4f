package org.portcullis.portal.page;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

import org.portcullis.config.RgbColour;

/**
 * The portal's one stylesheet, inlined in a {@code <style>} element and allowed by the Content-Security-Policy only
 * through its SHA-256 hash (CSP Level 3, "hash-source"), so no injected style element or {@code style} attribute can
 * apply. The branding colour is part of the text, so the stylesheet and its hash are built once per config.
 *
 * <p>Colours: body text #1d2733 on white (15:1), the primary colour behind white text and as the link colour on white
 * (at least 4.5:1, checked when the config loads), a dark focus outline that is visible on white and on the primary
 * colour, and errors marked by a border and text, never by colour alone (WCAG 2.1 SC 1.4.1, 1.4.3, 2.4.7). Touch
 * targets are at least 44 CSS pixels high (SC 2.5.5's size, recommended for phones).
 */
public final class PortalStylesheet {
    private static final String PRIMARY = "{{primary}}";
    private static final String TEMPLATE = ""
            + "*,*::before,*::after{box-sizing:border-box}"
            + "html{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;font-size:100%;"
            + "line-height:1.5;color:#1d2733;background:#f3f5f7;-webkit-text-size-adjust:100%}"
            + "body{margin:0;min-height:100vh;display:flex;flex-direction:column}"
            + "header{background:{{primary}};color:#fff;padding:.75rem 1rem;display:flex;align-items:center;"
            + "gap:.75rem;flex-wrap:wrap}"
            + "header img{max-height:3rem;max-width:12rem;height:auto;background:#fff;padding:.25rem;"
            + "border-radius:2px}"
            + ".organisation{font-size:1.25rem;font-weight:700;margin:0}"
            + "main{flex:1;width:100%;max-width:32rem;margin:0 auto;padding:1.5rem 1rem}"
            + ".card{background:#fff;padding:1.5rem;border-radius:4px;box-shadow:0 1px 3px rgba(0,0,0,.25);"
            + "overflow-wrap:break-word}"
            // Long unbroken text (the otpauth:// link, a request id) wraps anywhere rather than widen the page.
            + "#otpauth-uri,.reference code{overflow-wrap:anywhere;word-break:break-all}"
            + ".qr svg{display:block;width:100%;max-width:14rem;height:auto;margin:0 0 1rem}"
            // The manual key: large, monospaced, one tap or click selects all of it for copying.
            + "#manual-key{display:block;font-family:ui-monospace,\"SFMono-Regular\",Menlo,Consolas,monospace;"
            + "font-size:1.375rem;line-height:1.6;letter-spacing:.05em;padding:.5rem .75rem;background:#f3f5f7;"
            + "border:1px solid #c3ccd5;border-radius:4px;user-select:all;-webkit-user-select:all;"
            + "overflow-wrap:anywhere;margin:0 0 1rem}"
            + ".table-scroll{overflow-x:auto;margin:0 0 1rem}"
            + "table{border-collapse:collapse}th,td{text-align:left;padding:.25rem .75rem .25rem 0;"
            + "vertical-align:top}td.date{white-space:nowrap}"
            + ".recovery-codes{font-family:ui-monospace,\"SFMono-Regular\",Menlo,Consolas,monospace;"
            + "font-size:1.125rem}"
            + "form{margin:0}"
            + "h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}"
            + "p{margin:0 0 1rem}"
            + "label{display:block;font-weight:700;margin:0 0 .25rem}"
            + "input{display:block;width:100%;font:inherit;color:#1d2733;background:#fff;padding:.5rem;"
            + "min-height:2.75rem;border:2px solid #1d2733;border-radius:0;margin:0 0 1.25rem}"
            + "input[aria-invalid=true]{border-color:#b10e1e;border-width:3px}"
            + "button{display:block;width:100%;font:inherit;font-weight:700;color:#fff;background:{{primary}};"
            + "border:2px solid {{primary}};border-radius:4px;padding:.5rem 1.25rem;min-height:2.75rem;"
            + "cursor:pointer}"
            + "button:hover{text-decoration:underline}"
            // Secondary and destructive actions: outlined, not filled, and set apart from the primary button, so
            // nobody cancels or removes by aiming for "Continue" (WCAG 2.2 SC 2.5.8 target spacing, at least 24px).
            + ".secondary{margin-top:2rem;padding-top:1rem;border-top:1px solid #c3ccd5}"
            + ".secondary button,button.secondary{color:{{primary}};background:#fff;font-weight:400}"
            + ".actions{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:center;margin:0 0 1rem}"
            + ".actions form{margin:0}"
            + ".action-gap{margin-top:1.5rem}"
            + "a{color:{{primary}};text-decoration:underline;text-underline-offset:.15em}"
            + "a:hover{text-decoration-thickness:.15em}"
            // A link that is a paragraph's only element is an action of its own ("Back to sign-in"): a target of
            // at least 24 by 24 px (WCAG 2.2 SC 2.5.8), not the height of a line of text.
            + ".card p>a:only-child,.actions a{display:inline-block;min-height:1.5rem;padding:.375rem 0}"
            + ":focus{outline:3px solid #1d2733;outline-offset:3px}"
            + "button:focus,a:focus{box-shadow:0 0 0 3px #fff}"
            + ".alert{border:4px solid #b10e1e;padding:1rem;margin:0 0 1.5rem;background:#fff}"
            + ".alert h2{font-size:1.125rem;margin:0 0 .5rem}"
            + ".alert p{margin:0}"
            + "footer{background:#fff;border-top:1px solid #c3ccd5;padding:1rem;color:#36434f}"
            + "footer p{max-width:30rem;margin:0 auto;white-space:pre-line}"
            + "@media (min-width:40rem){main{padding-top:3rem}button{width:auto}}"
            + "@media (prefers-reduced-motion:reduce){*{transition:none!important}}"
            // Printing the recovery codes (or any page): the content only, black on white, no buttons or forms.
            + "@media print{header,footer,form,.no-print{display:none!important}html,body{background:#fff}"
            + "main{padding:0;max-width:none}.card{box-shadow:none;padding:0}a{color:#000}}";

    private final String text;
    private final String cspHashSource;

    private PortalStylesheet(String text) {
        this.text = text;
        this.cspHashSource = "'sha256-" + Base64.getEncoder().encodeToString(sha256(text)) + "'";
    }

    /**
     * The stylesheet for {@code primaryColour}. {@link RgbColour#hex()} is always {@code #} and six hex digits, so the
     * colour cannot end the rule or the element it is placed in.
     */
    public static PortalStylesheet of(RgbColour primaryColour) {
        Objects.requireNonNull(primaryColour, "primaryColour");
        return new PortalStylesheet(TEMPLATE.replace(PRIMARY, primaryColour.hex()));
    }

    /** The exact content of the {@code <style>} element: its hash is what the CSP allows. */
    public String text() {
        return text;
    }

    /** {@code 'sha256-BASE64'}, the CSP hash-source of {@link #text()} as UTF-8. */
    public String cspHashSource() {
        return cspHashSource;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("PortalStylesheet: the JDK has no SHA-256", e); // every JDK has it
        }
    }
}
