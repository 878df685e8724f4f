package org.portcullis.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An sRGB colour written {@code #rrggbb}, with the WCAG 2.1 relative luminance and contrast ratio (WCAG 2.1,
 * "relative luminance" and "contrast ratio" definitions; success criterion 1.4.3 asks 4.5:1 for normal text at level
 * AA). {@link #hex()} is always seven safe characters, so the portal can put it in a stylesheet as it is.
 *
 * @param red   0 to 255
 * @param green 0 to 255
 * @param blue  0 to 255
 */
public record RgbColour(int red, int green, int blue) {
    /** White, the colour of text on the portal's header and buttons. */
    public static final RgbColour WHITE = new RgbColour(255, 255, 255);
    /** The minimum contrast ratio for normal text, WCAG 2.1 success criterion 1.4.3 (level AA). */
    public static final double AA_NORMAL_TEXT = 4.5;

    private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final double LINEAR_THRESHOLD = 0.04045;
    private static final double LUMINANCE_OFFSET = 0.05;

    public RgbColour {
        checkChannel(red, "red");
        checkChannel(green, "green");
        checkChannel(blue, "blue");
    }

    /** {@code #rrggbb} (either case), or empty. */
    public static Optional<RgbColour> parse(String text) {
        if (text == null || !HEX.matcher(text).matches()) {
            return Optional.empty();
        }
        int rgb = Integer.parseInt(text.substring(1), 16);
        return Optional.of(new RgbColour((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff));
    }

    /** {@code #rrggbb}, lower-case. */
    public String hex() {
        return String.format(Locale.ROOT, "#%02x%02x%02x", red, green, blue);
    }

    /** WCAG 2.1 relative luminance: 0 for black, 1 for white. */
    public double relativeLuminance() {
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
    }

    /** WCAG 2.1 contrast ratio, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter: 1 to 21. */
    public double contrastWith(RgbColour other) {
        double a = relativeLuminance();
        double b = other.relativeLuminance();
        return (Math.max(a, b) + LUMINANCE_OFFSET) / (Math.min(a, b) + LUMINANCE_OFFSET);
    }

    @Override
    public String toString() {
        return hex();
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= LINEAR_THRESHOLD ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static void checkChannel(int value, String name) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("RgbColour: " + name + " is " + value + " (allowed: 0 to 255)");
        }
    }
}
