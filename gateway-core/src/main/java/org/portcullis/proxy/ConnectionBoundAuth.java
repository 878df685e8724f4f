package org.portcullis.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises HTTP authentication schemes that authenticate a connection rather than a request (SECURITY-RULES 21):
 * NTLM and Negotiate (SPNEGO: Kerberos or NTLM inside; RFC 4559), and the rare bare {@code Kerberos} scheme. IIS
 * and other Windows-integrated servers keep the login on the TCP connection once the handshake is done, so any
 * later request on it is that user's, credentials or not.
 *
 * <p>Errs on the side of pinning: a scheme name anywhere among the comma- or space-separated tokens of the header
 * counts (a {@code WWW-Authenticate} field may list several challenges). Pinning a connection that needed none costs
 * one keep-alive reuse; sharing one that needed it hands a login to a stranger.
 */
final class ConnectionBoundAuth {
    private static final Set<String> SCHEMES = Set.of("ntlm", "negotiate", "kerberos");

    private ConnectionBoundAuth() {
    }

    /** True when the request sends connection-bound credentials upstream ({@code Authorization}). */
    static boolean sentBy(HttpHeaders request) {
        return namesScheme(request, HttpHeaderNames.AUTHORIZATION);
    }

    /** True when the response challenges for, or continues, a connection-bound handshake ({@code WWW-Authenticate}). */
    static boolean challengedBy(HttpHeaders response) {
        return namesScheme(response, HttpHeaderNames.WWW_AUTHENTICATE);
    }

    private static boolean namesScheme(HttpHeaders headers, CharSequence name) {
        if (!headers.contains(name)) {
            return false; // the common case, answered without the list getAll makes
        }
        for (String value : headers.getAll(name)) {
            for (String token : value.split("[\\s,]+")) {
                if (SCHEMES.contains(token.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }
}
