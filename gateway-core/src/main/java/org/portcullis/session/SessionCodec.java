package org.portcullis.session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The text form of a session's factor and attribute maps in a store column: {@code PASSWORD:1767261600000,TOTP:…}
 * and {@code csrf=<base64url>,…}. Decoding is strict and throws {@link IllegalArgumentException} on anything else: a
 * row that cannot be read is a failure, never an empty (and so maybe weaker or stronger) session.
 */
final class SessionCodec {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private SessionCodec() {
    }

    static String encodeFactors(Map<?, Instant> factors) {
        StringJoiner text = new StringJoiner(",");
        new TreeMap<>(factors).forEach((factor, at) -> text.add(factor + ":" + at.toEpochMilli()));
        return text.toString();
    }

    static <F extends Enum<F>> Map<F, Instant> decodeFactors(String text, Class<F> type) {
        Map<F, Instant> factors = new EnumMap<>(type);
        if (text.isEmpty()) {
            return factors;
        }
        for (String entry : text.split(",", -1)) {
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("malformed factor entry");
            }
            F factor = Enum.valueOf(type, entry.substring(0, colon));
            if (factors.put(factor, Instant.ofEpochMilli(Long.parseLong(entry.substring(colon + 1)))) != null) {
                throw new IllegalArgumentException("factor listed twice");
            }
        }
        return factors;
    }

    static String encodeAttributes(Map<String, String> attributes) {
        StringJoiner text = new StringJoiner(",");
        new TreeMap<>(attributes).forEach((key, value) ->
                text.add(key + "=" + ENCODER.encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return text.toString();
    }

    static Map<String, String> decodeAttributes(String text) {
        Map<String, String> attributes = new TreeMap<>();
        if (text.isEmpty()) {
            return attributes;
        }
        for (String entry : text.split(",", -1)) {
            int equals = entry.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("malformed attribute entry");
            }
            String value = new String(DECODER.decode(entry.substring(equals + 1)), StandardCharsets.UTF_8);
            if (attributes.put(entry.substring(0, equals), value) != null) {
                throw new IllegalArgumentException("attribute listed twice");
            }
        }
        return attributes;
    }
}
