package org.portcullis.portal.guard;

/**
 * The paths the gateway answers itself on every host it serves, whatever the routes say: the portal under
 * {@value #PREFIX} and the JWKS for upstreams. They are never forwarded, so an upstream cannot shadow a portal page
 * and a client cannot reach an upstream path by dressing it up as one.
 */
public final class PortalPaths {
    public static final String PREFIX = "/.portcullis/";
    public static final String HOME = PREFIX;
    public static final String LOGIN = PREFIX + "login";
    public static final String LOGOUT = PREFIX + "logout";
    public static final String CALLBACK = PREFIX + "callback";
    public static final String SECOND_FACTOR = PREFIX + "second-factor";
    /** Setting up an authenticator app: invitation code or fresh second factor, QR code, confirmation. */
    public static final String ENROL = PREFIX + "enrol";
    /** Renaming and removing authenticators, new recovery codes (POST from the account page). */
    public static final String FACTORS = PREFIX + "factors";
    /**
     * The recovery codes as a text file (POST from the recovery codes page, which sends the codes it shows back):
     * {@code Content-Disposition: attachment}, {@code Cache-Control: no-store}.
     */
    public static final String RECOVERY_CODES_FILE = PREFIX + "recovery-codes.txt";
    /** The remote desktops the user may open, and (POST) the .rdp file of one. */
    public static final String DESKTOPS = PREFIX + "desktops";
    /** Registering a security key or passkey: invitation code or fresh second factor, then the browser's prompt. */
    public static final String SECURITY_KEY = PREFIX + "security-key";
    /** The portal's one script ({@code navigator.credentials}), allowed by {@code script-src 'self'}. */
    public static final String WEBAUTHN_SCRIPT = PREFIX + "webauthn.js";
    /** JSON endpoints of the WebAuthn ceremonies (POST, with the session's CSRF token in a header). */
    public static final String WEBAUTHN_AUTHENTICATE_OPTIONS = PREFIX + "webauthn/authenticate/options";
    public static final String WEBAUTHN_AUTHENTICATE = PREFIX + "webauthn/authenticate";
    public static final String WEBAUTHN_PASSKEY_OPTIONS = PREFIX + "webauthn/passkey/options";
    public static final String WEBAUTHN_PASSKEY = PREFIX + "webauthn/passkey";
    public static final String WEBAUTHN_REGISTER_OPTIONS = PREFIX + "webauthn/register/options";
    public static final String WEBAUTHN_REGISTER = PREFIX + "webauthn/register";
    /** {@code portcullis connect}'s loopback sign-in (GET) and its code-for-token exchange (POST), issue 17. */
    public static final String CONNECT_AUTHORIZE = PREFIX + "connect/authorize";
    public static final String CONNECT_TOKEN = PREFIX + "connect/token";
    /** The SSH jump host's security-key approval link: the request (GET, {@code ?c=…}) and the decision (POST). */
    public static final String SSH_APPROVE = PREFIX + "ssh/approve";
    /** {@code portcullis connect --device}: the codes (POST, no cookie) and the page the user code is typed on. */
    public static final String CONNECT_DEVICE = PREFIX + "connect/device";
    public static final String CONNECT_DEVICE_APPROVE = PREFIX + "connect/device-approve";
    /** The header the script sends the session's CSRF token in (not {@code X-Portcullis-*}: ingress strips those). */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String JWKS = "/.well-known/portcullis/jwks.json";

    /** Form field names of the sign-in and sign-out forms. */
    public static final String FIELD_USERNAME = "username";
    public static final String FIELD_PASSWORD = "password";
    public static final String FIELD_CSRF = "csrf";
    public static final String FIELD_RD = "rd";
    /**
     * Query parameter of the second-factor page: {@code webauthn} when the rule that sent the browser there accepts
     * only a security key. A hint for the page's wording; the policy decides again on the next request.
     */
    public static final String FIELD_NEED = "need";

    private PortalPaths() {
    }

    /** True for {@code /.portcullis}, everything under {@value #PREFIX}, and {@value #JWKS}; canonical paths only. */
    public static boolean isReserved(String canonicalPath) {
        return canonicalPath.startsWith(PREFIX) || canonicalPath.equals(PREFIX.substring(0, PREFIX.length() - 1))
                || canonicalPath.equals(JWKS);
    }
}
