package org.portcullis.demo;

import com.sun.net.httpserver.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the demo shows in its "request details" box: who connected, and every copy of the forwarding and identity
 * headers it received. Showing every copy (not just the first) makes a duplicated or spoofed header visible.
 *
 * @param method        request method
 * @param rawPath       the path as received, not decoded
 * @param peer          address of the TCP peer (the gateway, when one is in front)
 * @param shownHeaders  each name in {@link #SHOWN_HEADERS} with the values received for it (possibly none)
 */
record RequestDetails(String method, String rawPath, String peer, List<Map.Entry<String, List<String>>> shownHeaders) {

    /** Headers a user of the demo wants to see: what the gateway forwarded and who it says the user is. */
    static final List<String> SHOWN_HEADERS = List.of(
            "Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-User",
            "X-Forwarded-Name", "X-Forwarded-Email", "X-Forwarded-Groups");

    /** Longer user names are not recorded as a note's author. */
    static final int MAX_USER_CHARS = 128;

    RequestDetails {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(peer, "peer");
        shownHeaders = List.copyOf(shownHeaders);
    }

    static RequestDetails of(String method, String rawPath, String peer, Headers headers) {
        List<Map.Entry<String, List<String>>> shown = new ArrayList<>();
        for (String name : SHOWN_HEADERS) {
            List<String> values = headers.get(name); // Headers looks names up case-insensitively
            shown.add(Map.entry(name, values == null ? List.of() : List.copyOf(values)));
        }
        return new RequestDetails(method, rawPath, peer, shown);
    }

    /** The single user the gateway named, or {@link CareRecords#UNKNOWN_AUTHOR} if none, several or an overlong one were sent. */
    String forwardedUser() {
        for (Map.Entry<String, List<String>> entry : shownHeaders) {
            if (entry.getKey().equals("X-Forwarded-User") && entry.getValue().size() == 1
                    && !entry.getValue().get(0).isBlank() && entry.getValue().get(0).length() <= MAX_USER_CHARS) {
                return entry.getValue().get(0);
            }
        }
        return CareRecords.UNKNOWN_AUTHOR;
    }
}
