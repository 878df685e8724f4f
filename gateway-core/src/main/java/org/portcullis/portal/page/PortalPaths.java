package org.portcullis.portal.page;

/**
 * The portal's fixed paths, all under the reserved prefix {@value #PREFIX} (see the sign-in contract of issue 4). Forms
 * and links in the pages use exactly these, relative to the portal origin.
 */
public final class PortalPaths {
    public static final String PREFIX = "/.portcullis/";
    /** The account home. */
    public static final String HOME = PREFIX;
    /** GET shows the form ({@code ?rd=URL}), POST signs in (username, password, csrf, rd). */
    public static final String LOGIN = PREFIX + "login";
    /** POST (csrf) signs out everywhere. */
    public static final String LOGOUT = PREFIX + "logout";
    /** For a session that still owes a second factor. */
    public static final String SECOND_FACTOR = PREFIX + "second-factor";

    /** Form field names of the sign-in and sign-out forms. */
    public static final String FIELD_USERNAME = "username";
    public static final String FIELD_PASSWORD = "password";
    public static final String FIELD_CSRF = "csrf";
    public static final String FIELD_RD = "rd";

    private PortalPaths() {
    }
}
