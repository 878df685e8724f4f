package org.portcullis.demo;

/**
 * Escaping for text placed into HTML element content or quoted attribute values, and into JSON strings.
 *
 * <p>Everything the demo echoes (headers, paths, notes) passes through here: it is the page a user looks at to see
 * what an attacker managed to send, so it must not execute what it shows.
 */
final class Html {

    private Html() {
    }

    /** The portal's escaper: the five characters special in HTML, and control characters replaced. */
    static String escape(String text) {
        return org.portcullis.portal.page.Html.escape(text);
    }

    /**
     * A JSON string literal (RFC 8259 §7) with quotes. {@code <}, {@code >} and {@code &} are written as
     * {@code \}{@code u} escapes too, so the JSON stays inert if a browser ever sniffs it as HTML.
     */
    static String jsonString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
