package org.portcullis.ingress;

/** RFC 9110 §5.6.2 token characters ({@code tchar}). */
final class HttpTokens {
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            TCHAR[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpTokens() {
    }

    static boolean isTokenChar(char c) {
        return c < 128 && TCHAR[c];
    }

    static boolean isToken(CharSequence s) {
        if (s.length() == 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
