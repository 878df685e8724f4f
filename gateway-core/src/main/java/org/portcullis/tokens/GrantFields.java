package org.portcullis.tokens;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * What a token grants, as bytes for {@link HashedTokens}: a fixed number of text fields, each length-prefixed (so no
 * field can spill into the next, whatever characters it holds), read back exactly or refused.
 */
public final class GrantFields {
    private GrantFields() {
    }

    public static byte[] write(String... fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(fields.length);
            for (String field : fields) {
                out.writeUTF(Objects.requireNonNull(field, "field"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The {@code count} fields of {@code bytes}; {@link IllegalStateException} for anything else. */
    public static String[] read(byte[] bytes, int count) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readUnsignedByte() != count) {
                throw new IllegalStateException("GrantFields: unexpected number of fields");
            }
            String[] fields = new String[count];
            for (int i = 0; i < count; i++) {
                fields[i] = in.readUTF();
            }
            if (in.available() != 0) {
                throw new IllegalStateException("GrantFields: trailing bytes");
            }
            return fields;
        } catch (IOException e) {
            throw new IllegalStateException("GrantFields: unreadable grant", e);
        }
    }
}
