package org.portcullis.totp;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds the {@code otpauth://totp/} URI of the Key Uri Format (Google Authenticator wiki), which every common
 * authenticator app reads from the enrolment QR code:
 *
 * <pre>otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&amp;issuer=ISSUER&amp;algorithm=SHA1&amp;digits=6&amp;period=30</pre>
 *
 * <p>The issuer appears both as the label prefix and as the {@code issuer} parameter, as the format recommends, so
 * that older and newer apps show the same name. Issuer and account are percent-encoded as UTF-8 with only the
 * RFC 3986 §2.3 unreserved characters left as they are (a space becomes {@code %20}, never {@code +}). Neither may
 * contain a colon, since the colon separates them in the label.
 *
 * <p>The result contains the secret: never log it.
 */
public final class OtpAuthUri {

    private static final String PREFIX = "otpauth://totp/";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private OtpAuthUri() {
    }

    public static String build(String issuer, String account, TotpSecret secret, TotpParameters parameters) {
        rejectLabelPart("issuer", issuer);
        rejectLabelPart("account", account);
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(parameters, "parameters");
        String encodedIssuer = percentEncode(issuer);
        return PREFIX + encodedIssuer + ':' + percentEncode(account)
                + "?secret=" + secret.base32()
                + "&issuer=" + encodedIssuer
                + "&algorithm=" + parameters.algorithm().uriName()
                + "&digits=" + parameters.digits()
                + "&period=" + parameters.periodSeconds();
    }

    private static void rejectLabelPart(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (value.indexOf(':') >= 0) {
            throw new IllegalArgumentException(name + " must not contain ':' (it separates issuer and account)");
        }
    }

    /** RFC 3986 percent-encoding of UTF-8, keeping only unreserved characters. */
    static String percentEncode(String value) {
        StringBuilder out = new StringBuilder(value.length() * 3);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >>> 4]).append(HEX[c & 0x0F]);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
