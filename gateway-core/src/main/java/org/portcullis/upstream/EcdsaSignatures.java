package org.portcullis.upstream;

/**
 * Converts the JDK's ECDSA signature encoding to the one JWS needs. {@code Signature("SHA256withECDSA")} returns the
 * ASN.1 DER {@code SEQUENCE { INTEGER r, INTEGER s }} (RFC 3279 §2.2.3); an ES256 JWS carries {@code r || s}, each an
 * unsigned big-endian integer of exactly 32 bytes (RFC 7518 §3.4). A DER integer has no leading zeros except one
 * 0x00 that keeps a high bit from reading as a sign, so r and s are 1 to 33 bytes long and must be stripped or
 * left-padded; a JWS with a 33-byte or 31-byte half is refused by every verifier.
 */
final class EcdsaSignatures {
    static final int P256_HALF = 32;
    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;

    private EcdsaSignatures() {
    }

    /**
     * {@code r || s} of a DER signature.
     *
     * @throws IllegalStateException if {@code der} is not exactly one well-formed signature for a 32-byte curve (the
     *                               JDK never produces one; this stops a silent bad token)
     */
    static byte[] derToJose(byte[] der) {
        Reader in = new Reader(der);
        in.expect(SEQUENCE);
        int sequenceLength = in.length();
        if (sequenceLength != der.length - in.position) {
            throw malformed("sequence length");
        }
        byte[] out = new byte[2 * P256_HALF];
        in.integer(out, 0);
        in.integer(out, P256_HALF);
        if (in.position != der.length) {
            throw malformed("trailing bytes");
        }
        return out;
    }

    private static IllegalStateException malformed(String what) {
        return new IllegalStateException("EcdsaSignatures: malformed DER signature (" + what + ")");
    }

    private static final class Reader {
        private final byte[] der;
        private int position;

        Reader(byte[] der) {
            this.der = der;
        }

        int next() {
            if (position >= der.length) {
                throw malformed("truncated");
            }
            return der[position++] & 0xff;
        }

        void expect(int tag) {
            if (next() != tag) {
                throw malformed("tag");
            }
        }

        /**
         * DER length, short form only: a P-256 signature is at most 72 bytes, and DER demands the shortest form
         * (X.690 §10.1), so a long form can only come from something that is not a JDK P-256 signature.
         */
        int length() {
            int length = next();
            if (length >= 0x80) {
                throw malformed("length form");
            }
            return length;
        }

        /** One INTEGER, written right-aligned into {@code out[offset .. offset + 32)}. */
        void integer(byte[] out, int offset) {
            expect(INTEGER);
            int length = length();
            if (length < 1 || position + length > der.length) {
                throw malformed("integer length");
            }
            int start = position;
            int end = position + length;
            position = end;
            if ((der[start] & 0x80) != 0) {
                throw malformed("negative integer");
            }
            while (start < end - 1 && der[start] == 0) {
                start++;
            }
            int digits = end - start;
            if (digits > P256_HALF) {
                throw malformed("integer too large");
            }
            System.arraycopy(der, start, out, offset + P256_HALF - digits, digits);
        }
    }
}
