package org.portcullis.ingress;

/**
 * The value of one ASCII hex digit, for every percent-decoder of the gateway. Deliberately not
 * {@link Character#digit(char, int)}, which also accepts non-ASCII digits (full-width {@code ０}, Arabic-Indic …) and
 * would let {@code %０a} decode where a parser that checks ASCII refuses it: two parsers, two meanings.
 */
public final class HexDigit {
    private HexDigit() {
    }

    /** 0 to 15 for {@code 0-9}, {@code a-f}, {@code A-F}; -1 for anything else. */
    public static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
