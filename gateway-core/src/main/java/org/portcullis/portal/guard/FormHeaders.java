package org.portcullis.portal.guard;

import java.util.List;

/**
 * The request headers a CSRF check reads, each with every value the request carried (Netty's
 * {@code headers.getAll(name)}; an empty list when absent). Duplicates are kept: they are part of what is checked.
 */
public record FormHeaders(List<String> origin, List<String> secFetchSite, List<String> cookie) {

    public FormHeaders {
        origin = List.copyOf(origin);
        secFetchSite = List.copyOf(secFetchSite);
        cookie = List.copyOf(cookie);
    }

    @Override
    public String toString() {
        return "FormHeaders[origin=" + origin.size() + " value(s), secFetchSite=" + secFetchSite.size()
                + " value(s), cookie=" + cookie.size() + " header(s)]";
    }
}
