package org.portcullis.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as written in the config: plain bytes ({@code 1048576}) or a whole number with {@code B}, {@code KiB},
 * {@code MiB} or {@code GiB}. Decimal units (KB, MB) are refused because half of all users read them as binary.
 */
final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})(B|KiB|MiB|GiB)?");

    private ByteSizes() {
    }

    static Optional<Long> parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2);
            long factor = switch (unit) {
                case "KiB" -> 1024L;
                case "MiB" -> 1024L * 1024;
                case "GiB" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            return Optional.of(Math.multiplyExact(amount, factor));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
