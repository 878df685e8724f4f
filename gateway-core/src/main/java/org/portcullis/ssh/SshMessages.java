package org.portcullis.ssh;

import java.time.Instant;
import org.portcullis.regulation.Verdict;

/**
 * Every text an SSH user reads from the jump host: OpenSSH prints a disconnect reason as
 * {@code Received disconnect from HOST port P:CODE: TEXT}, a refused channel as
 * {@code channel N: open failed: administratively prohibited: TEXT}, and a keyboard-interactive instruction above the
 * prompt. Each starts with {@value #PREFIX} so the user knows the gateway, not the target, said it. None names a
 * password, code or whether an account exists.
 */
final class SshMessages {
    static final String PREFIX = "portcullis: ";
    static final String CODE_PROMPT = "Verification code: ";
    static final String RECOVERY_PROMPT = "Recovery code: ";
    static final String CODE_INSTRUCTION = "Enter the code from your authenticator app (or one of your recovery"
            + " codes).";
    static final String KEY_ONLY_INSTRUCTION = "Your security key cannot be used over SSH: enter one of your recovery"
            + " codes, or add an authenticator app in the portal.";
    static final String APPROVE_PROMPT = "Press Enter once approved, or type a recovery code: ";
    static final String APPROVE_ONLY_PROMPT = "Press Enter once approved: ";
    static final String APPROVAL_UNAVAILABLE = PREFIX + "the gateway cannot make an approval link now; try again in a"
            + " minute";
    static final String APPROVAL_EXPIRED = PREFIX + "the approval link expired (it works for 2 minutes); connect again"
            + " for a new one";
    static final String APPROVAL_DENIED = PREFIX + "the connection was refused in the browser (\"This was not me\")";
    static final String APPROVAL_OTHER_USER = PREFIX + "the approval link was opened in a browser signed in as another"
            + " user, so it no longer works; connect again and open the new link where you are signed in as yourself";
    static final String APPROVAL_NO_SECOND_FACTOR = PREFIX + "the approval link was opened in a browser session"
            + " without your second factor, so it no longer works; sign in there with your security key, then connect"
            + " again";
    static final String CODE_REFUSED = "That code was not accepted. Try again with the next code.";

    static final String NO_SHELL = PREFIX + "this gateway runs no shell and no command; use it as a jump host:"
            + " ssh -J USER@GATEWAY USER@TARGET";
    static final String NO_LOCAL_FORWARDING = PREFIX + "port forwarding (-L, -D) is not offered; use ssh -J"
            + " (ProxyJump) to reach a target";
    static final String NO_REMOTE_FORWARDING = PREFIX + "remote port forwarding (-R) is not offered";
    static final String BUSY = PREFIX + "the gateway is busy signing others in; try again in a minute";
    static final String NO_SECOND_FACTOR = PREFIX + "SSH needs a second factor and your account has none yet: sign in"
            + " at the portal and add an authenticator app, then connect again";
    static final String KEY_ONLY = PREFIX + "your only second factor is a security key, which SSH cannot use: add an"
            + " authenticator app in the portal (or ask for recovery codes), then connect again";
    static final String SIGN_IN_EXPIRED = PREFIX + "your sign-in took too long or was ended; connect again";
    static final String ERROR = PREFIX + "the gateway could not check your sign-in; try again later";

    private SshMessages() {
    }

    /** What is shown above the prompt of a security-key user: the link, what to do with it, and for how long. */
    static String approveInstruction(String link, boolean recoveryCodes) {
        return "Your second factor is a security key. Open this link in a browser where you are signed in to the"
                + " portal (or sign in there with your key), check the details and approve this connection:\n\n  "
                + link + "\n\nThe link works once, for 2 minutes."
                + (recoveryCodes ? " Without a browser, type one of your recovery codes instead." : "");
    }

    static String locked(Verdict.Locked locked, Instant now) {
        return PREFIX + "too many failed sign-ins: "
                + (locked.reason() == Verdict.Reason.ADDRESS ? "sign-ins from your address" : "this account")
                + locked.minutesLeft(now).map(m -> " can try again in " + m + " minute" + (m == 1 ? "" : "s"))
                        .orElse(" stays locked until an administrator unlocks it");
    }

    static String notReachable(String asked) {
        return PREFIX + "'" + printable(asked) + "' is not a target you may reach through this gateway";
    }

    static String unreachable(String target) {
        return PREFIX + "target '" + target + "' did not answer";
    }

    static String sessionEnded(String reason) {
        return PREFIX + "your session ended (" + reason + "); sign in again to reconnect";
    }

    /** What the client asked for, shown back to it: printable ASCII only, at most 100 characters. */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && shown.length() < 100; i++) {
            char c = text.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return shown.toString();
    }
}
