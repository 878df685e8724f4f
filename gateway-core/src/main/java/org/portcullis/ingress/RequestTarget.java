package org.portcullis.ingress;

/**
 * A request-target split into its parts, still raw (RFC 9112 §3.2).
 *
 * @param scheme    "http" or "https" for absolute-form, null for origin-form
 * @param authority the raw authority of an absolute-form target, null for origin-form
 * @param rawPath   the path as sent, starting with '/' (for absolute-form with an empty path: "/")
 * @param query     the raw query after the first '?', validated, or null when there was no '?'
 */
public record RequestTarget(String scheme, String authority, String rawPath, String query) {
    public boolean isAbsoluteForm() {
        return authority != null;
    }
}
