package org.portcullis.portal;

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
    public static final String JWKS = "/.well-known/portcullis/jwks.json";

    /** Form field names of the sign-in and sign-out forms. */
    public static final String FIELD_USERNAME = "username";
    public static final String FIELD_PASSWORD = "password";
    public static final String FIELD_CSRF = "csrf";
    public static final String FIELD_RD = "rd";

    private PortalPaths() {
    }

    /** True for {@code /.portcullis}, everything under {@value #PREFIX}, and {@value #JWKS}; canonical paths only. */
    public static boolean isReserved(String canonicalPath) {
        return canonicalPath.startsWith(PREFIX) || canonicalPath.equals(PREFIX.substring(0, PREFIX.length() - 1))
                || canonicalPath.equals(JWKS);
    }
}
