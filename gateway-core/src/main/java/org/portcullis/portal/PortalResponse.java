package org.portcullis.portal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A complete answer from the gateway itself (portal page, redirect, JSON), as a value: the Netty side writes it.
 *
 * @param outcome a short code for the access log and audit trail ({@code SIGN_IN_OK}, {@code CSRF_REFUSED}, …)
 */
public record PortalResponse(int status, List<Header> headers, byte[] body, String outcome) {

    /** One response header; the value never carries a secret other than a {@code Set-Cookie} the browser needs. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    // Response splitting (CWE-113) is impossible by construction, not by hope.
                    throw new IllegalArgumentException("PortalResponse: control character in header " + name);
                }
            }
        }
    }

    public PortalResponse {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** A 302/303 to {@code location}, no body, never cached. */
    public static PortalResponse redirect(int status, String location, String outcome, List<Header> extra) {
        List<Header> headers = new ArrayList<>(extra);
        headers.add(new Header("Location", location));
        headers.add(new Header("Cache-Control", "no-store"));
        return new PortalResponse(status, headers, new byte[0], outcome);
    }

    /** A small JSON body for API clients; {@code json} is a constant text built by the gateway. */
    public static PortalResponse json(int status, String json, String outcome, List<Header> extra) {
        List<Header> headers = new ArrayList<>(extra);
        headers.add(new Header("Content-Type", "application/json"));
        headers.add(new Header("Cache-Control", "no-store"));
        headers.add(new Header("X-Content-Type-Options", "nosniff"));
        return new PortalResponse(status, headers, json.getBytes(StandardCharsets.UTF_8), outcome);
    }

    /** This response with {@code header} added. */
    public PortalResponse with(Header header) {
        List<Header> next = new ArrayList<>(headers);
        next.add(header);
        return new PortalResponse(status, next, body, outcome);
    }
}
