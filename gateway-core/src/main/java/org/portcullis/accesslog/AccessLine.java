package org.portcullis.accesslog;

/**
 * The fields of one access-log line, exactly as the request path knew them: nothing is formatted or escaped yet (that
 * is the writer thread's job). Canonical values only, never the query, headers, cookies or bodies (they carry tokens
 * and patient identifiers). Any string may be null (a request the decoder refused has no method, host or path).
 *
 * @param epochMillis    when the request ended (the gateway's clock)
 * @param requestId      the id that joins the line to the request's audit event
 * @param client         the client address the decision was made for
 * @param method         the canonical method
 * @param host           the canonical host
 * @param path           the canonical path, without the query
 * @param status         the status the client got
 * @param route          the route name ({@code portal} for the gateway's own pages)
 * @param rule           the access rule that decided
 * @param outcome        the outcome code ({@code FORWARDED}, {@code POLICY_DENY}, a reject reason, …)
 * @param durationMicros from the request's first byte to its end
 */
public record AccessLine(long epochMillis, String requestId, String client, String method, String host, String path,
                         int status, String route, String rule, String outcome, long durationMicros) {
}
