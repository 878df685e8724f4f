package org.portcullis.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The media type of a logo from its first bytes, never from its file name: a file named {@code logo.png} that holds
 * HTML must not be inlined as an image. PNG and JPEG have fixed signatures (PNG spec §5.2; JPEG's SOI marker followed
 * by a marker byte); SVG is text, so it counts as SVG when it is UTF-8 whose first element, after an optional XML
 * declaration, comments and doctype, is {@code <svg}. Scripts inside an SVG never run in an {@code <img>}.
 */
final class ImageSniffer {
    static final String PNG = "image/png";
    static final String JPEG = "image/jpeg";
    static final String SVG = "image/svg+xml";

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final Pattern SVG_START = Pattern.compile(
            "\\A\\uFEFF?\\s*(?:<\\?xml[^>]*\\?>\\s*)?(?:(?:<!--(?:[^-]|-(?!->))*-->|<!DOCTYPE\\s[^>]*>)\\s*)*<svg[\\s>/]");

    private ImageSniffer() {
    }

    static Optional<String> mediaType(byte[] bytes) {
        if (startsWith(bytes, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, JPEG_SIGNATURE)) {
            return Optional.of(JPEG);
        }
        return isSvg(bytes) ? Optional.of(SVG) : Optional.empty();
    }

    private static boolean isSvg(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return SVG_START.matcher(text).find();
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
