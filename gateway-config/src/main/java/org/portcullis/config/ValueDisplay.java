package org.portcullis.config;

/**
 * Renders config values for messages. A value read through {@code ${env:…}} or {@code ${file:…}} is shown only as
 * {@code (redacted, N chars)}; anything else is quoted, with control and non-ASCII characters escaped so that a
 * config value can never forge a log line (SECURITY-RULES 20).
 */
final class ValueDisplay {
    private ValueDisplay() {
    }

    static String show(YamlNode.YamlScalar scalar) {
        if (scalar.secret()) {
            return redacted(scalar.text());
        }
        return "'" + escape(scalar.text()) + "'";
    }

    static String redacted(String secret) {
        return "(redacted, " + secret.codePointCount(0, secret.length()) + " chars)";
    }

    /** Escapes everything outside printable ASCII as {@code \xHH} or {@code \}{@code u{HHHH}}. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                out.appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x100) {
                out.append(String.format("\\x%02X", c));
            } else {
                out.append(String.format("\\u{%04X}", c));
            }
        });
        return out.toString();
    }
}
