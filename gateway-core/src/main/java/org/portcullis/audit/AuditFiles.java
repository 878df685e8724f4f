package org.portcullis.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of one trail. The gateway appends to the active file ({@code audit.file}, say {@code audit.jsonl}); a
 * rotated file is renamed beside it to {@code audit-<yyyyMMdd>-<first sequence, 12 digits>.jsonl}, named by the UTC
 * day and the sequence number of its first line, and gzip-compressed to {@code ….jsonl.gz} when so configured. Sorting
 * by that sequence number, the active file last, gives the trail in order (so does a shell glob).
 */
public final class AuditFiles {
    public static final String GZIP_SUFFIX = ".gz";
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int SEQUENCE_DIGITS = 12;

    private AuditFiles() {
    }

    /** The name a file rotated from {@code active} gets, given its first line's day and sequence number. */
    public static Path rotatedName(Path active, LocalDate firstDay, long firstSequence) {
        String name = active.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String sequence = String.format("%0" + SEQUENCE_DIGITS + "d", firstSequence);
        return active.resolveSibling(stem + "-" + DAY.format(firstDay) + "-" + sequence + extension);
    }

    /**
     * Every file of the trail whose active file is {@code active}, oldest first: the rotated files by sequence (the
     * uncompressed copy when a crash left both), then the active file if it exists.
     */
    public static List<Path> trail(Path active) throws IOException {
        Pattern rotated = rotatedPattern(active);
        record Rotated(Path path, long sequence) {
        }
        List<Rotated> found = new ArrayList<>();
        Set<String> plain = new HashSet<>();
        Path directory = active.toAbsolutePath().getParent();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Matcher m = rotated.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isRegularFile(entry)) {
                    found.add(new Rotated(entry, Long.parseLong(m.group(1))));
                    if (m.group(2) == null) {
                        plain.add(entry.getFileName().toString());
                    }
                }
            }
        }
        List<Path> trail = new ArrayList<>();
        found.stream()
                .filter(r -> !(r.path().toString().endsWith(GZIP_SUFFIX) && plain.contains(
                        stripGzip(r.path().getFileName().toString()))))
                .sorted(Comparator.comparingLong(Rotated::sequence))
                .forEach(r -> trail.add(r.path()));
        if (Files.isRegularFile(active)) {
            trail.add(active);
        }
        return trail;
    }

    private static Pattern rotatedPattern(Path active) {
        String name = active.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        return Pattern.compile(Pattern.quote(stem) + "-[0-9]{8}-([0-9]{" + SEQUENCE_DIGITS + "})"
                + Pattern.quote(extension) + "(" + Pattern.quote(GZIP_SUFFIX) + ")?");
    }

    /** The UTC day of the first line of a rotated file, from its name; null for the active file or another name. */
    public static LocalDate firstDay(Path file) {
        Matcher m = ROTATED_DAY.matcher(file.getFileName().toString());
        if (!m.find()) {
            return null;
        }
        try {
            return LocalDate.parse(m.group(1), DAY);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static final Pattern ROTATED_DAY = Pattern.compile("-([0-9]{8})-[0-9]{" + SEQUENCE_DIGITS + "}\\.");

    static String stripGzip(String name) {
        return name.endsWith(GZIP_SUFFIX) ? name.substring(0, name.length() - GZIP_SUFFIX.length()) : name;
    }
}
