package org.portcullis.portal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.portcullis.ingress.HexDigit;

/**
 * A strict {@code application/x-www-form-urlencoded} reader (WHATWG URL §5.1) for the portal's small forms and query
 * strings: {@code +} is a space, {@code %XX} a byte, the bytes are UTF-8. It refuses rather than repairs: a malformed
 * escape, invalid UTF-8, a control character, a field named twice (which copy would count?) or more than
 * {@value #MAX_FIELDS} fields make the whole form unreadable, and the portal answers as if no form had been sent.
 */
public final class FormBody {
    static final int MAX_FIELDS = 16;

    private final Map<String, String> fields;

    private FormBody(Map<String, String> fields) {
        this.fields = Map.copyOf(fields);
    }

    /** The fields of {@code encoded}, or empty when it is malformed. An empty text is a form with no fields. */
    public static Optional<FormBody> parse(String encoded) {
        Map<String, String> fields = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return Optional.of(new FormBody(fields));
        }
        String[] pairs = encoded.split("&", -1);
        if (pairs.length > MAX_FIELDS) {
            return Optional.empty();
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            Optional<String> name = decode(equals < 0 ? pair : pair.substring(0, equals));
            Optional<String> value = decode(equals < 0 ? "" : pair.substring(equals + 1));
            if (name.isEmpty() || value.isEmpty() || fields.put(name.get(), value.get()) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(new FormBody(fields));
    }

    public static Optional<FormBody> parse(byte[] body) {
        for (byte b : body) {
            if (b < 0x20 || b == 0x7f) {
                return Optional.empty();
            }
        }
        return parse(new String(body, StandardCharsets.ISO_8859_1));
    }

    /** The value of {@code name}, or empty when the form has no such field. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** The value of {@code name}, or "" when absent. */
    public String text(String name) {
        return fields.getOrDefault(name, "");
    }

    private static Optional<String> decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= text.length()) {
                    return Optional.empty();
                }
                int high = HexDigit.value(text.charAt(i + 1));
                int low = HexDigit.value(text.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c < 0x20 || c >= 0x7f) {
                return Optional.empty();
            } else {
                bytes.write(c);
            }
        }
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
            for (int i = 0; i < decoded.length(); i++) {
                if (Character.isISOControl(decoded.charAt(i))) {
                    return Optional.empty();
                }
            }
            return Optional.of(decoded);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
