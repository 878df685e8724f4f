package org.portcullis.rdg;

/** HRESULTs the gateway answers with (MS-TSGU 2.2.6); clients show them as the reason a connection failed. */
public final class ErrorCodes {
    public static final int OK = 0;
    public static final int E_PROXY_INTERNALERROR = 0x800759D8;
    public static final int E_PROXY_RAP_ACCESSDENIED = 0x800759DA;
    public static final int E_PROXY_NAP_ACCESSDENIED = 0x800759DB;
    public static final int E_PROXY_TS_CONNECTFAILED = 0x800759DD;
    public static final int E_PROXY_COOKIE_BADPACKET = 0x800759F7;
    public static final int E_PROXY_COOKIE_AUTHENTICATION_ACCESS_DENIED = 0x800759F8;
    public static final int E_PROXY_UNSUPPORTED_AUTHENTICATION_METHOD = 0x800759F9;
    public static final int E_PROXY_SESSIONTIMEOUT = 0x000059F6;
    public static final int E_PROXY_CONNECTIONABORTED = 0x000004D4;

    /** ExtendedAuthentication values of the handshake: the gateway speaks PAA (its own access token) only. */
    public static final int EXTENDED_AUTH_PAA = 0x2;

    private ErrorCodes() {
    }
}
