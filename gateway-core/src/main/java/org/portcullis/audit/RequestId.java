package org.portcullis.audit;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Short random ids that join a request's access-log line and its audit event. 64 random bits make a collision within
 * one trail unlikely; the id guards nothing, so a fast non-cryptographic source is enough.
 */
public final class RequestId {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int LENGTH = 16;

    private RequestId() {
    }

    /** 16 lower-case hex characters. */
    public static String next() {
        long bits = ThreadLocalRandom.current().nextLong();
        char[] id = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            id[i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
        return new String(id);
    }
}
