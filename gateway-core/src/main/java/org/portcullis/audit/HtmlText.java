package org.portcullis.audit;

import java.util.Locale;

/**
 * Text for the audit report's HTML. The trail holds attacker-controlled strings (a user name tried at the sign-in form,
 * a path), so every value goes through {@link #escape}: the five characters that matter in element content and in
 * quoted attribute values become character references (HTML Living Standard §13.1.2.6, OWASP XSS prevention rule 1
 * and 2), and characters that would hide or disguise text (control characters, line separators, the bidirectional
 * overrides of Unicode TR #9 used to make {@code gpj.exe} read as {@code exe.jpg}) are shown as {@code \\uXXXX}.
 */
final class HtmlText {

    private HtmlText() {
    }

    /** {@code value} safe for element content and for a double- or single-quoted attribute value. */
    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        value.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (hidden(c)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    private static boolean hidden(int c) {
        return Character.isISOControl(c)
                || c == 0x2028 || c == 0x2029 // line and paragraph separators
                || c >= 0x200b && c <= 0x200f // zero-width characters, LRM, RLM
                || c >= 0x202a && c <= 0x202e // bidi embeddings and overrides
                || c >= 0x2066 && c <= 0x2069 // bidi isolates
                || c == 0xfeff;
    }
}
