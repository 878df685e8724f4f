package org.portcullis.policy;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as admins write them in the config and on the command line: {@code 15m}, {@code 1h30m}, {@code 90s}. */
public final class DurationText {

    private static final Pattern FORMAT = Pattern.compile("(?:(\\d{1,6})d)?(?:(\\d{1,6})h)?(?:(\\d{1,6})m)?(?:(\\d{1,9})s)?");

    private DurationText() {
    }

    /**
     * Parses days, hours, minutes and seconds in that order, each optional but at least one present.
     *
     * @throws IllegalArgumentException with a message fit for the command line
     */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 90s, 20m, 1h30m or 2d");
        }
        return Duration.ofDays(part(m, 1)).plusHours(part(m, 2)).plusMinutes(part(m, 3)).plusSeconds(part(m, 4));
    }

    /** Formats whole hours, minutes and seconds ({@code 1h30m}); sub-second parts as milliseconds. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (duration.isNegative()) {
            out.append('-');
            duration = duration.negated();
        }
        append(out, duration.toHours(), "h");
        append(out, duration.toMinutesPart(), "m");
        append(out, duration.toSecondsPart(), "s");
        append(out, duration.toMillisPart(), "ms");
        return out.toString();
    }

    private static long part(Matcher m, int group) {
        String value = m.group(group);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static void append(StringBuilder out, long value, String unit) {
        if (value != 0) {
            out.append(value).append(unit);
        }
    }
}
