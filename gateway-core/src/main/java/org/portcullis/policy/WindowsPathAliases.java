package org.portcullis.policy;

/**
 * Finds the path forms a Windows upstream (IIS, a Windows file share) reads as another name than the one written
 * (SECURITY-RULES 22). On a {@code paths: case_insensitive} route the engine refuses them before any rule is tried:
 * a rule for {@code /admin} cannot know every spelling Windows resolves to the same folder, so those spellings are
 * not forwarded at all. Case is handled separately, by comparing lower-cased paths.
 *
 * <p>Refused, per segment of the decoded canonical path (so {@code %20} and {@code %2E} count as space and dot):
 * <ul>
 *   <li>A segment ending in '.' or space ({@code /admin./}, {@code /admin%20/}, {@code /admin.../}, also the last
 *       segment): Win32 path normalisation drops trailing dots and spaces, so each is {@code /admin}.</li>
 *   <li>A {@code ~} followed by a digit ({@code ADMINI~1}, {@code PROGRA~1.TXT}): an 8.3 short name, which NTFS
 *       resolves to the long name it was generated for (the IIS short-name disclosure and bypass).</li>
 *   <li>A ':' ({@code admin::$DATA}, {@code web.config:stream}): NTFS reads it as a named or the default alternate
 *       data stream of the file before it; {@code ::$DATA} served ASP source code on IIS (CVE-1999-0278). ':' is
 *       also in ASP.NET's default {@code requestPathInvalidCharacters}, so an application never needs it.</li>
 *   <li>'*', '?', '"', '&lt;', '&gt;', '|': not allowed in Windows names, and '*', '?', '&lt;', '&gt;', '"' are
 *       wildcards to some Windows file APIs; a path that contains one never names one file.</li>
 * </ul>
 */
public final class WindowsPathAliases {
    private static final String NOT_IN_WINDOWS_NAMES = "*?\"<>|";

    private WindowsPathAliases() {
    }

    /**
     * Why a Windows upstream would read {@code canonicalPath} as another name, or null when it would not.
     *
     * @param canonicalPath the decoded canonical path the gateway forwards
     */
    public static String problemWith(String canonicalPath) {
        int start = 1;
        int length = canonicalPath.length();
        while (start < length) {
            int end = canonicalPath.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            String problem = problemWithSegment(canonicalPath.substring(start, end));
            if (problem != null) {
                return problem;
            }
            start = end + 1;
        }
        return null;
    }

    private static String problemWithSegment(String segment) {
        if (segment.isEmpty()) {
            return null;
        }
        char last = segment.charAt(segment.length() - 1);
        if (last == '.' || last == ' ') {
            return "segment '" + segment + "' ends in " + (last == '.' ? "'.'" : "a space")
                    + ", which Windows drops (it would read '" + stripTrailingDotsAndSpaces(segment) + "')";
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '~' && i + 1 < segment.length() && isAsciiDigit(segment.charAt(i + 1))) {
                return "segment '" + segment + "' has the form of an 8.3 short name ('~' and a digit), which "
                        + "Windows resolves to a long name";
            }
            if (c == ':') {
                return "segment '" + segment + "' contains ':', which Windows reads as an alternate data stream";
            }
            if (NOT_IN_WINDOWS_NAMES.indexOf(c) >= 0) {
                return "segment '" + segment + "' contains '" + c + "', which Windows does not allow in a name";
            }
        }
        return null;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String stripTrailingDotsAndSpaces(String segment) {
        int end = segment.length();
        while (end > 0 && (segment.charAt(end - 1) == '.' || segment.charAt(end - 1) == ' ')) {
            end--;
        }
        return segment.substring(0, end);
    }
}
