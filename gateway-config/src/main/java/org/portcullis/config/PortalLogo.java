package org.portcullis.config;

import java.util.Objects;

/**
 * {@code portal.branding.logo}: the logo file as read when the config loaded, ready to inline as a {@code data:} URI
 * (RFC 2397), so the portal's Content-Security-Policy needs no image origin but {@code data:}.
 *
 * @param file      absolute
 * @param mediaType {@code image/png}, {@code image/svg+xml} or {@code image/jpeg}, from the file's first bytes, not
 *                  from its name
 * @param base64    the file's bytes, standard base64 with padding
 */
public record PortalLogo(java.nio.file.Path file, String mediaType, String base64) {
    public PortalLogo {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(base64, "base64");
    }

    /** {@code data:MEDIA-TYPE;base64,…}. */
    public String dataUri() {
        return "data:" + mediaType + ";base64," + base64;
    }

    /** Without the bytes: a logged config should not be hundreds of kilobytes long. */
    @Override
    public String toString() {
        return "PortalLogo[file=" + file + ", mediaType=" + mediaType + ", base64=(" + base64.length() + " chars)]";
    }
}
