package org.portcullis.upstream;

import java.math.BigInteger;
import java.util.Base64;

/** base64url without padding (RFC 7515 §2, RFC 4648 §5), the only base64 of JOSE. */
final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Base64Url() {
    }

    static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * A non-negative integer as exactly {@code length} big-endian bytes (RFC 7518 §6.2.1.2: EC coordinates are the
     * full size of the field, leading zero bytes included).
     */
    static byte[] fixedLength(BigInteger value, int length) {
        byte[] raw = value.toByteArray(); // two's complement: may have one extra leading 0 byte
        if (value.signum() < 0 || raw.length > length + 1 || (raw.length == length + 1 && raw[0] != 0)) {
            throw new IllegalArgumentException("Base64Url: integer does not fit in " + length + " bytes");
        }
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }
}
