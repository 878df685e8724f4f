package org.portcullis.portal.page;

/**
 * Every sentence the portal shows, in plain English, in one place. Each message says what happened and what to do
 * next, and none tells an attacker more than the user needs: a wrong password and an unknown user read the same
 * (issue 4, section 1).
 */
public final class PortalMessages {
    // --- sign-in -----------------------------------------------------------------------------------------------
    public static final String SIGN_IN_TITLE = "Sign in";
    public static final String USERNAME_LABEL = "Username or email address";
    public static final String PASSWORD_LABEL = "Password";
    public static final String SIGN_IN_BUTTON = "Sign in";
    public static final String PASSKEY_BUTTON = "Sign in with a passkey";
    /** After any failed sign-in: wrong password, unknown user, disabled account. */
    public static final String WRONG_CREDENTIALS =
            "The username or password is not right. Check them and try again.";
    /** After a sign-in form whose CSRF token or origin did not check out (an old tab, a form from elsewhere). */
    public static final String FORM_EXPIRED = "This sign-in form had expired. Please sign in again.";
    public static final String ERROR_SUMMARY_TITLE = "There is a problem";

    // --- locked and busy ---------------------------------------------------------------------------------------
    public static final String LOCKED_TITLE = "Too many failed attempts";
    public static final String LOCKED = "There have been too many failed attempts to sign in, so signing in is paused"
            + " for a while to protect the account.";
    /** %d minutes, %s the plural s. */
    public static final String LOCKED_RETRY = "You can try again in %d minute%s.";
    public static final String LOCKED_UNTIL_UNLOCKED = "It stays paused until your help desk unlocks it: contact them"
            + " to carry on.";
    public static final String BACK_TO_SIGN_IN = "Back to sign-in";
    public static final String NEED_HELP = "Need help?";
    public static final String BUSY_TITLE = "Sign-in is busy";
    public static final String UNAVAILABLE_TITLE = "Sign-in is unavailable";
    public static final String UNAVAILABLE = "Sign-in is unavailable, try again shortly.";
    public static final String BUSY = "Too many people are signing in at the moment. Wait a minute and try again.";

    // --- account and sign-out ----------------------------------------------------------------------------------
    public static final String ACCOUNT_TITLE = "Your account";
    public static final String SIGNED_IN_AS = "You are signed in as";
    public static final String SIGNING_IN_AS = "Signing in as";
    public static final String SIGN_OUT_EXPLAINED = "Signing out ends your session on every service you reached"
            + " through this sign-in.";
    public static final String SIGN_OUT_BUTTON = "Sign out";
    public static final String SIGNED_OUT_TITLE = "You have signed out";
    public static final String SIGNED_OUT = "You have been signed out of every service you reached through this"
            + " sign-in. If you are using a shared computer, close the browser as well.";
    public static final String SIGN_IN_AGAIN = "Sign in again";

    // --- session expired ---------------------------------------------------------------------------------------
    public static final String SESSION_EXPIRED_TITLE = "Your session has ended";
    public static final String SESSION_EXPIRED = "You have been signed out because you were inactive for a while, or"
            + " because you signed in a long time ago. Sign in again to carry on.";

    // --- second factor -----------------------------------------------------------------------------------------
    public static final String SECOND_FACTOR_TITLE = "A second factor is needed";
    public static final String SECOND_FACTOR = "Your account needs a second factor, such as a code from an"
            + " authenticator app or a security key, before you can carry on.";
    public static final String CANCEL_AND_SIGN_OUT = "Cancel and sign out";

    // --- error pages (the gateway answers instead of the service) ----------------------------------------------
    /** %d the status code. */
    public static final String ERROR_STATUS = "Error %d.";
    public static final String REFERENCE = "Reference:";
    public static final String QUOTE_REFERENCE = "Quote it if you contact support.";
    public static final String GO_TO_PORTAL = "Go to the sign-in page";
    public static final String GO_TO_SITE_START = "Go to the start page of this site";

    // --- not found ---------------------------------------------------------------------------------------------
    public static final String NOT_FOUND_TITLE = "Page not found";
    public static final String NOT_FOUND = "There is no page at this address. Check the address, or go to your"
            + " account page.";
    public static final String GO_TO_ACCOUNT = "Go to your account page";

    private PortalMessages() {
    }
}
