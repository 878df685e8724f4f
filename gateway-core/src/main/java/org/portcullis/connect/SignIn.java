package org.portcullis.connect;

import java.io.IOException;

/** How the command gets its token: the loopback sign-in in a browser, or (when the gateway allows it) a device code. */
interface SignIn {
    /** Signs in for {@code target}; returns the token (kept in memory only). */
    String signIn(String target) throws IOException, LoopbackSignIn.SignInFailed;
}
