package org.portcullis.session;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SHA-256 of a {@link SessionId}: the key under which a store keeps a session. A stolen database file, backup or log
 * line holds only hashes, and a hash cannot be turned back into a cookie.
 *
 * <p>Admins and logs name a session by its {@link #displayId()}: the first {@value #DISPLAY_ID_LENGTH} hex digits of
 * a second, domain-separated hash. It is not secret and does not reveal the key either, so the CLI may print it. With
 * 32 bits, two sessions out of many thousands may share one; revoking by prefix then ends both, which errs on the safe
 * side.
 */
public final class SessionIdHash {

    static final int DISPLAY_ID_LENGTH = 8;
    private static final byte[] DISPLAY_DOMAIN = SessionId.ascii("portcullis session display id\0");
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    SessionIdHash(byte[] bytes) {
        if (bytes.length != SessionId.BYTES) {
            throw new IllegalArgumentException("SessionIdHash: " + SessionId.BYTES + " bytes expected, got "
                    + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /** A hash read back from a store. */
    public static SessionIdHash of(byte[] bytes) {
        return new SessionIdHash(bytes);
    }

    /** A copy of the 32 bytes, for a store's key. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The short, non-secret name shown by {@code portcullis sessions list} and used by {@code revoke --id-prefix}. */
    public String displayId() {
        return HEX.formatHex(SessionId.sha256(DISPLAY_DOMAIN, bytes)).substring(0, DISPLAY_ID_LENGTH);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionIdHash that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SessionIdHash[" + displayId() + "]";
    }
}
