package org.portcullis.enrolment;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * The 30 characters of one-time codes: digits and upper-case letters without {@code 0 O 1 I L U}, so a code read
 * aloud, written down or typed from a printout has no look-alikes (Crockford's base32 drops the same for the same
 * reason, and {@code U} against accidental words). Each character carries log2(30) ≈ 4.91 bits.
 */
final class CodeAlphabet {

    static final String CHARACTERS = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final double BITS_PER_CHARACTER = Math.log(CHARACTERS.length()) / Math.log(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private CodeAlphabet() {
    }

    /** {@code length} characters drawn uniformly (SecureRandom.nextInt has no modulo bias). */
    static String random(int length) {
        StringBuilder code = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            code.append(CHARACTERS.charAt(RANDOM.nextInt(CHARACTERS.length())));
        }
        return code.toString();
    }

    /**
     * What the user typed, upper-cased with the group separators ({@code -} and spaces) removed, or {@code null} if
     * it is not {@code length} characters of the alphabet.
     */
    static String normalise(CharSequence typed, int length) {
        if (typed == null || typed.length() > length * 2 + 8) {
            return null;
        }
        StringBuilder code = new StringBuilder(length);
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == '-' || c == ' ') {
                continue;
            }
            char upper = Character.toUpperCase(c);
            if (CHARACTERS.indexOf(upper) < 0 || code.length() == length) {
                return null;
            }
            code.append(upper);
        }
        return code.length() == length ? code.toString() : null;
    }

    /** {@code code} in groups of {@code group} characters joined by {@code -}, for display. */
    static String grouped(String code, int group) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < code.length(); i += group) {
            if (i > 0) {
                out.append('-');
            }
            out.append(code, i, Math.min(code.length(), i + group));
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }
}
