package org.portcullis.portal.guard;

/**
 * Why an {@code rd} value was not honoured. The audit log records this reason, never the raw value (it is attacker
 * text). Every refusal ends at the portal's home page.
 */
public enum ReturnTargetRefusal {
    /** No {@code rd}, or an empty one. Not an attack; simply nowhere to return to. */
    ABSENT,
    /** Longer than {@value ReturnTargetPolicy#MAX_LENGTH} characters. */
    TOO_LONG,
    /** A control character or whitespace (tab, CR, LF, space, NUL, DEL) anywhere. */
    CONTROL_OR_WHITESPACE,
    /** A character outside ASCII: IDN and look-alike hosts, full-width slashes and dots. */
    NON_ASCII,
    /** A '\' anywhere: browsers read it as '/' in special URLs, so {@code /\evil.com} is {@code //evil.com}. */
    BACKSLASH,
    /** A '#': a fragment can hide the real authority from naive parsers ({@code https://app#@evil}). */
    FRAGMENT,
    /** Starts with {@code //} or {@code ///}: a scheme-relative URL to another host. */
    SCHEME_RELATIVE,
    /** Has a scheme other than exactly the portal's ({@code https}): {@code javascript:}, {@code http:}, {@code HTTPS:}. */
    SCHEME_NOT_ALLOWED,
    /** Neither {@code /path} nor {@code scheme://host/path}: a bare name, a relative path, an encoded URL. */
    NOT_A_URL,
    /** An absolute URL with nothing after the authority, or a query straight after it ({@code https://h?x}). */
    MISSING_PATH,
    /** User info ('@') in the authority: {@code https://app.test@evil.com} goes to evil.com. */
    USER_INFO,
    /** A '%' in the authority: a host must be written out, never encoded. */
    ENCODED_AUTHORITY,
    /** An IPv6 literal ({@code [::1]}): never a protected host. */
    IP_LITERAL,
    /** A host that is not a plain DNS name: empty, an empty label, or a character other than letters, digits, '-', '_', '.'. */
    MALFORMED_HOST,
    /** A host ending in '.': the same DNS name, a different string; refused rather than repaired. */
    TRAILING_DOT,
    /** A well-formed host that is neither a configured protected host nor the portal host. */
    HOST_NOT_PROTECTED,
    /** A port that is empty, not decimal, has a leading zero or is out of range. */
    MALFORMED_PORT,
    /** A well-formed port (explicit or default) that is not one the gateway serves. */
    PORT_NOT_ALLOWED,
    /** A path the ingress itself would refuse: encoded '/', '\' or '%', control bytes, ';', non-ASCII escapes. */
    PATH_REFUSED,
    /** A path with dot segments ({@code /./}, {@code /../}, also encoded) or {@code //} inside. */
    PATH_NOT_CANONICAL,
    /** A '%' in the query not followed by two hex digits. */
    MALFORMED_QUERY
}
