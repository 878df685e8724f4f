package org.portcullis.portal.page;

/**
 * Every sentence of the second-factor, enrolment and factor pages, in plain English. A refused code never says which
 * part was wrong (wrong digits, an old code, a code used already, a locked account all read alike to the person at
 * the keyboard, except the lock, which says to wait).
 */
public final class SecondFactorMessages {
    // --- second factor -----------------------------------------------------------------------------------------
    public static final String CODE_TITLE = "Enter your code";
    public static final String CODE_EXPLAINED = "Open your authenticator app and type the code it shows for this"
            + " account.";
    public static final String CODE_LABEL = "Code from your authenticator app";
    public static final String CODE_BUTTON = "Continue";
    /** Any refused code: wrong, malformed, already used. */
    public static final String WRONG_CODE = "That code did not work. Check that you are using the right account in"
            + " your app, wait for a new code and try again.";
    public static final String FORM_EXPIRED = "This form had expired. Please try again.";
    public static final String RECOVERY_TITLE = "Lost your phone?";
    public static final String RECOVERY_EXPLAINED = "You can use one of the recovery codes you saved when you set up"
            + " your authenticator. Each code works once.";
    /** The same for a user whose only second factors are security keys or passkeys. */
    public static final String RECOVERY_TITLE_KEY = "Lost your security key?";
    public static final String RECOVERY_EXPLAINED_KEY = "You can use one of the recovery codes you saved when you"
            + " registered your security key. Each code works once.";
    public static final String RECOVERY_LABEL = "Recovery code";
    public static final String RECOVERY_BUTTON = "Use recovery code";
    public static final String RECOVERY_ACCEPTED_TITLE = "Recovery code accepted";
    public static final String RECOVERY_REMAINING = "You are signed in. Recovery codes left: %d. Set up a new"
            + " authenticator, or make new recovery codes, from your account page before you run out.";
    public static final String CONTINUE = "Continue";
    public static final String LOCKED_TITLE = "Too many wrong codes";
    public static final String LOCKED = "There have been too many wrong codes, so this step is paused for a while to"
            + " protect the account.";

    // --- enrolment ---------------------------------------------------------------------------------------------
    public static final String ENROL_TITLE = "Set up an authenticator app";
    public static final String INVITATION_EXPLAINED = "Your account needs a second factor. To set one up you need the"
            + " enrolment code your administrator gave you. A password alone cannot set up a second factor: that"
            + " protects your account if someone learns your password.";
    public static final String INVITATION_LABEL = "Enrolment code";
    public static final String INVITATION_BUTTON = "Continue";
    public static final String WRONG_INVITATION = "That enrolment code did not work. Check it and try again, or ask"
            + " your administrator for a new one.";
    public static final String START_EXPLAINED = "Set up an authenticator app such as Microsoft Authenticator,"
            + " Google Authenticator, FreeOTP or Aegis on your phone.";
    public static final String START_BUTTON = "Set up an authenticator app";
    public static final String SCAN = "Scan this QR code with your authenticator app.";
    public static final String MANUAL_KEY = "If you cannot scan it, type this key into the app:";
    public static final String URI = "Or open this link on the device that has the app:";
    public static final String CONFIRM_EXPLAINED = "Then type the code the app shows. The app is only set up once"
            + " the code is right.";
    public static final String NAME_LABEL = "Name for this authenticator";
    public static final String DEFAULT_NAME = "Authenticator app";
    public static final String CONFIRM_BUTTON = "Confirm";
    public static final String ENROL_GONE = "This setup has ended. Please start again.";
    public static final String RECOVERY_CODES_TITLE = "Save your recovery codes";
    public static final String RECOVERY_CODES = "Your authenticator app is set up. If you lose your phone, each of"
            + " these codes lets you sign in once. Print them or store them somewhere safe now: they will not be"
            + " shown again.";
    public static final String RECOVERY_CODES_AFTER_KEY = "Your security key is registered. If you lose it, each"
            + " of these codes lets you sign in once. Print them or store them somewhere safe now: they will not be"
            + " shown again.";
    public static final String RECOVERY_CODES_NEW = "These are your new recovery codes; the old ones no longer work."
            + " Each code lets you sign in once. Print them or store them somewhere safe now: they will not be"
            + " shown again.";
    public static final String DOWNLOAD_CODES = "Download the codes as a text file";
    public static final String PRINT_CODES = "To print them, use your browser's Print command (Ctrl+P, or"
            + " Cmd+P on a Mac): only the codes are printed.";

    // --- account -----------------------------------------------------------------------------------------------
    public static final String FACTORS_TITLE = "Your authenticators";
    public static final String NO_FACTORS = "You have not set up an authenticator app yet.";
    public static final String ADD_FACTOR = "Add an authenticator app";
    public static final String RENAME_BUTTON = "Rename";
    public static final String REMOVE_BUTTON = "Remove";
    public static final String NEW_RECOVERY_CODES = "Make new recovery codes";
    public static final String RECOVERY_CODES_HEADING = "Recovery codes";
    public static final String ADD_HEADING = "Add another";
    public static final String KEEP_AND_GO_BACK = "Keep it and go back";
    public static final String CONFIRM_REMOVE_TITLE = "Remove %s?";
    public static final String CONFIRM_REMOVE = "After this, %s can no longer be used to sign in to your account.";
    public static final String CONFIRM_REMOVE_BUTTON = "Yes, remove %s";
    public static final String CONFIRM_NEW_CODES_TITLE = "Make new recovery codes?";
    public static final String CONFIRM_NEW_CODES = "Your current recovery codes will stop working at once, including"
            + " any you have printed or saved. You will get ten new ones to save.";
    public static final String CONFIRM_NEW_CODES_BUTTON = "Yes, make new codes";
    public static final String KEY_REGISTERED = "Your security key \u201c%s\u201d is registered. You can use it the"
            + " next time you sign in.";
    public static final String APP_ADDED = "Your authenticator app \u201c%s\u201d is set up. You can use it the"
            + " next time you sign in.";
    public static final String NEEDS_FRESH = "To change your authenticators, confirm it is you with a code first"
            + " (the last one was more than 5 minutes ago).";
    public static final String CONFIRM_WITH_CODE = "Confirm with a code";
    public static final String LAST_FACTOR = "You cannot remove your only authenticator: your account needs a second"
            + " factor to sign in. Add another one first, then remove this one.";
    public static final String BAD_NAME = "A name needs 1 to 64 characters.";
    public static final String RENAMED = "The authenticator was renamed.";
    public static final String REMOVED = "The authenticator was removed.";
    public static final String ADDED = "The authenticator app is set up.";
    public static final String NEVER = "never";

    private SecondFactorMessages() {
    }
}
