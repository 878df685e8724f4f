package org.portcullis.portal.page;

import java.util.Objects;

/**
 * Escapes text for HTML element content and double-quoted attribute values (OWASP XSS Prevention Cheat Sheet, rules 1
 * and 2): {@code & < > " '} become character references, so no value can close an element, an attribute or a
 * comment. Characters that HTML and XML both forbid (C0 controls other than tab, line feed and carriage return, DEL,
 * C1 controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD, so a NUL cannot truncate anything downstream and the
 * page stays well-formed.
 *
 * <p>This is the only way a dynamic value gets into a portal page. It does not make a value safe as a URL: links are
 * built from fixed paths with only a percent-encoded query appended.
 */
public final class Html {
    private static final char REPLACEMENT = '\uFFFD';

    private Html() {
    }

    /** {@code text} safe to place between tags or inside a double-quoted attribute. */
    public static String escape(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else {
                        out.append(forbidden(c) ? REPLACEMENT : c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean forbidden(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                || (c >= 0x7f && c <= 0x9f)
                || Character.isSurrogate(c)
                || c == '\uFFFE' || c == '\uFFFF';
    }
}
