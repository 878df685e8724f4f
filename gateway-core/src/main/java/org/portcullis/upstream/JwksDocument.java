package org.portcullis.upstream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * The public signing keys as a JSON Web Key Set (RFC 7517 §5), served at {@value #PATH} on every protected host so an
 * upstream can verify the JWT assertions. Each key is
 * {@code {"kty":"EC","crv":"P-256","x":…,"y":…,"use":"sig","alg":"ES256","kid":…}} (RFC 7518 §6.2.1), members in
 * that order, no white space: the same keys always give byte-for-byte the same document (stable ETag, cache
 * friendly). Public data only; the private key has no path into this class.
 */
public final class JwksDocument {
    /** Where the document is served. */
    public static final String PATH = "/.well-known/portcullis/jwks.json";
    /** RFC 7517 §8.5. */
    public static final String MEDIA_TYPE = "application/jwk-set+json";

    private final byte[] json;

    private JwksDocument(byte[] json) {
        this.json = json;
    }

    /** The set of {@code keys}, in the order given (the current key first). */
    public static JwksDocument of(List<SigningKey> keys) {
        return new JwksDocument(JwtSigner.json(json -> {
            json.writeName("keys");
            json.writeStartArray();
            for (SigningKey key : keys) {
                writeKey(json, key);
            }
            json.writeEndArray();
        }));
    }

    /** The set of the one key. */
    public static JwksDocument of(SigningKey key) {
        return of(List.of(key));
    }

    /** The UTF-8 (in fact ASCII) bytes of the document; a fresh copy. */
    public byte[] bytes() {
        return json.clone();
    }

    /** The document as text. */
    public String json() {
        return new String(json, StandardCharsets.UTF_8);
    }

    private static void writeKey(JsonGenerator json, SigningKey key) {
        json.writeStartObject();
        json.writeStringProperty("kty", SigningKey.KEY_TYPE);
        json.writeStringProperty("crv", SigningKey.CURVE);
        json.writeStringProperty("x", key.x());
        json.writeStringProperty("y", key.y());
        json.writeStringProperty("use", "sig");
        json.writeStringProperty("alg", SigningKey.ALGORITHM);
        json.writeStringProperty("kid", key.kid());
        json.writeEndObject();
    }
}
