package org.portcullis.audit;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * One line of the trail as read back: its flat fields (every value as its JSON text, strings unescaped) and its chain
 * fields. {@link #parse} accepts only what {@link AuditChain} writes: one JSON object of scalar values that ends in
 * {@code ,"event.hash":"<64 hex>"}} and has an integer {@code event.sequence}; anything else is not an audit line.
 *
 * @param fields        every field of the line, by name
 * @param sequence      {@code event.sequence}
 * @param hash          {@code event.hash}, lower-case hex
 * @param previousHash  {@code chain.previous_hash} (a file's first line), or null
 * @param keyId         {@code chain.key_id} (a file's first line), or null
 * @param contentLength how many leading bytes of {@code raw} the hash covers
 * @param raw           the line's bytes (at least {@code contentLength} of them); not copied, do not change
 */
public record AuditLine(Map<String, String> fields, long sequence, String hash, String previousHash, String keyId,
                        int contentLength, byte[] raw) {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** The line's {@code event.action}, or null. */
    public String action() {
        return fields.get(AuditJson.ACTION);
    }

    public String field(String name) {
        return fields.get(name);
    }

    /** The line read from {@code bytes[0, length)} (no newline), or null when it is not a sealed audit line. */
    public static AuditLine parse(byte[] bytes, int length) {
        int sealAt = length - AuditChain.SEAL_LENGTH;
        if (sealAt <= 0 || bytes[length - 1] != '}' || bytes[length - 2] != '"'
                || !Arrays.equals(bytes, sealAt, sealAt + AuditChain.SEAL_START.length, AuditChain.SEAL_START, 0,
                        AuditChain.SEAL_START.length)) {
            return null;
        }
        for (int i = sealAt + AuditChain.SEAL_START.length; i < length - 2; i++) {
            byte b = bytes[i];
            if (!(b >= '0' && b <= '9' || b >= 'a' && b <= 'f')) {
                return null;
            }
        }
        Map<String, String> fields = new HashMap<>(32);
        try (JsonParser parser = FACTORY.createParser(bytes, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isStructStart() || fields.put(name, parser.getString()) != null) {
                    return null; // nested values or a duplicate field: not something the writer produces
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
        } catch (JacksonException e) {
            return null;
        }
        String sequence = fields.get(AuditJson.SEQUENCE);
        if (sequence == null || !sequence.matches("[1-9][0-9]{0,18}")) {
            return null;
        }
        return new AuditLine(fields, Long.parseLong(sequence), fields.get(AuditJson.HASH),
                fields.get(AuditJson.PREVIOUS_HASH), fields.get(AuditJson.KEY_ID), sealAt, bytes);
    }
}
