package org.portcullis.portal.page;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One rendered portal page: the status to send and the complete HTML document. Send it with {@link PortalHeaders}.
 *
 * @param status an HTTP status code (RFC 9110 §15)
 * @param html   the whole document, starting with {@code <!DOCTYPE html>}
 */
public record PortalPage(int status, String html) {
    public PortalPage {
        Objects.requireNonNull(html, "html");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("PortalPage: status " + status + " is not an HTTP status");
        }
    }

    /** The body as UTF-8, matching the {@code charset=utf-8} in {@link PortalHeaders}. */
    public byte[] body() {
        return html.getBytes(StandardCharsets.UTF_8);
    }

    /** The same page answered with {@code otherStatus} (a refused form keeps its page, with a refusal status). */
    public PortalPage withStatus(int otherStatus) {
        return new PortalPage(otherStatus, html);
    }
}
