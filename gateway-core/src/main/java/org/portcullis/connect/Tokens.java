package org.portcullis.connect;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * The command's token, in memory only (never on disk, never printed): signed in for on first use, and again after the
 * gateway refused it (its session ended: signed out, revoked, expired). One sign-in at a time; connections that
 * arrive meanwhile wait for it.
 */
final class Tokens {
    private final SignIn signIn;
    private final String target;
    private final PrintWriter log;
    private String token;

    Tokens(SignIn signIn, String target, PrintWriter log) {
        this.signIn = signIn;
        this.target = target;
        this.log = log;
    }

    synchronized String current() throws IOException, LoopbackSignIn.SignInFailed {
        if (token == null) {
            token = signIn.signIn(target);
            log.println("Signed in: connections to " + target + " now go through the gateway.");
        }
        return token;
    }

    /** The gateway refused {@code used}: the next connection signs in again (unless a newer token came meanwhile). */
    synchronized void refused(String used) {
        if (used.equals(token)) {
            token = null;
        }
    }
}
