package org.portcullis.portal.page;

/**
 * Every sentence of the security-key pages and of the JSON answers the portal's script shows, in plain English. A
 * refused key never says which check failed (the audit trail does), except what the user can act on: the key is not
 * registered, it was disabled, or the organisation does not accept that model.
 */
public final class WebAuthnMessages {
    // --- second factor -----------------------------------------------------------------------------------------
    public static final String TITLE = "Confirm it is you";
    public static final String KEY_HEADING = "Security key or passkey";
    public static final String KEY_EXPLAINED = "Insert or touch your security key, or use the passkey on this device"
            + " (fingerprint, face or PIN), when your browser asks.";
    public static final String KEY_BUTTON = "Use your security key or passkey";
    public static final String APP_HEADING = "Authenticator app";
    public static final String NEEDS_SCRIPT = "Security keys need JavaScript, which is turned off in this browser.";
    public static final String KEY_REQUIRED = "This page needs a security key or passkey; a code from an"
            + " authenticator app is not enough here.";

    /** A webauthn-only rule and a user without a key. */
    public static final String REQUIRED_TITLE = "A security key is needed";
    public static final String REQUIRED_EXPLAINED = "The page you asked for needs a security key or passkey, because"
            + " it holds sensitive records. Your account does not have one yet. Register one now: you will confirm it"
            + " is you with your authenticator app first if you have not just done so.";
    public static final String REGISTER_LINK = "Register a security key or passkey";

    // --- registration ------------------------------------------------------------------------------------------
    public static final String REGISTER_TITLE = "Register a security key or passkey";
    public static final String REGISTER_EXPLAINED = "Give the key a name you will recognise, then press the button"
            + " and follow your browser: insert and touch the key, or confirm with this device's fingerprint, face or"
            + " PIN.";
    public static final String NAME_LABEL = "Name for this key";
    public static final String DEFAULT_NAME = "Security key";
    public static final String REGISTER_BUTTON = "Register this key";
    public static final String INVITATION_EXPLAINED = "Your account needs a second factor. To register a security"
            + " key you need the enrolment code your administrator gave you. A password alone cannot set up a second"
            + " factor: that protects your account if someone learns your password.";
    public static final String USE_KEY_INSTEAD = "Use a security key or passkey instead";
    public static final String ADD_KEY = "Add a security key or passkey";
    public static final String NEEDS_FRESH = "To register a security key, confirm it is you first (your last second"
            + " factor was more than 5 minutes ago).";
    public static final String KEY_TYPE = "Security key or passkey";
    public static final String KEY_TYPE_DISABLED = "Security key or passkey (disabled: contact your administrator)";

    // --- answers to the script ---------------------------------------------------------------------------------
    public static final String NOT_ACCEPTED = "That did not work. Try again with a key registered for this account.";
    public static final String NOT_REGISTERED = "This security key or passkey is not registered for your account.";
    public static final String DISABLED = "This security key has been disabled because it may have been copied. Use"
            + " another second factor or a recovery code, and contact your administrator.";
    public static final String NO_KEY = "Your account has no security key that can be used. Use another second"
            + " factor or a recovery code, or contact your administrator.";
    public static final String ALREADY_REGISTERED = "This key is already registered.";
    public static final String MODEL_NOT_ACCEPTED = "Your organisation does not accept this model of security key."
            + " Ask your administrator which keys to use.";
    public static final String REGISTRATION_FAILED = "The key could not be registered. Please try again.";
    public static final String FORM_EXPIRED = "This page had expired. Reload it and try again.";
    public static final String LOCKED = "There have been too many failed attempts, so this step is paused for a"
            + " while to protect the account. Try again later.";
    public static final String PROOF_REQUIRED = "Confirm it is you first, then register the key.";
    public static final String SIGN_IN_AGAIN = "Your session has ended. Sign in again.";

    private WebAuthnMessages() {
    }
}
