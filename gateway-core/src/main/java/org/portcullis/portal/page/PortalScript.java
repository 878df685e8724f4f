package org.portcullis.portal.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The portal's one script, {@code webauthn.js}, read once from the classpath. It is served as a static file from the
 * portal's own origin so the pages that need it can allow it with {@code script-src 'self'} (no inline script, no
 * hash to keep in step, nothing from another origin); every other page allows no script at all.
 */
public final class PortalScript {
    private static final String RESOURCE = "webauthn.js";
    private static final byte[] BYTES = load();

    /** Headers of the script response: its type, no sniffing, and a short cache so a new release is picked up. */
    public static final List<PortalHeaders.Header> HEADERS = List.of(
            new PortalHeaders.Header(PortalHeaders.CONTENT_TYPE, "text/javascript; charset=utf-8"),
            new PortalHeaders.Header(PortalHeaders.X_CONTENT_TYPE_OPTIONS, "nosniff"),
            new PortalHeaders.Header(PortalHeaders.CACHE_CONTROL, "no-cache"));

    private PortalScript() {
    }

    /** The script's bytes (a copy). */
    public static byte[] bytes() {
        return BYTES.clone();
    }

    private static byte[] load() {
        try (InputStream in = PortalScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the portal script " + RESOURCE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the portal script", e);
        }
    }
}
