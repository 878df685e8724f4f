package org.portcullis.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Streams the lines of a trail that match a filter, oldest first, over rotated and gzip-compressed files, holding one
 * line at a time. Files whose days (from their names, {@link AuditFiles}) lie wholly outside {@code since}/{@code
 * until} are not opened. Lines that are not sealed audit lines are skipped and counted: {@code audit verify} is the
 * tool that says why.
 */
public final class AuditQuery {

    /** Receives each matching line. */
    @FunctionalInterface
    public interface Output {
        void accept(AuditLine line) throws IOException;
    }

    /** What a run read. */
    public record Summary(long matched, long read, long skipped) {
    }

    private AuditQuery() {
    }

    public static Summary run(List<Path> files, AuditFilter filter, Output output) throws IOException {
        List<Path> wanted = filesInRange(files, filter);
        long matched = 0;
        long read = 0;
        long skipped = 0;
        try (AuditLineReader reader = new AuditLineReader(wanted)) {
            AuditLineReader.RawLine raw;
            while ((raw = reader.next()) != null) {
                AuditLine line = raw.terminated() ? AuditLine.parse(raw.bytes(), raw.length()) : null;
                if (line == null) {
                    skipped++;
                    continue;
                }
                read++;
                if (filter.matches(line)) {
                    matched++;
                    output.accept(line);
                }
            }
        }
        return new Summary(matched, read, skipped);
    }

    /** Drops rotated files that end before {@code since}'s day or start after {@code until}'s day. */
    static List<Path> filesInRange(List<Path> files, AuditFilter filter) {
        LocalDate sinceDay = filter.since() == null ? null : LocalDate.ofInstant(filter.since(), ZoneOffset.UTC);
        // until is excluded: the last day that can hold a matching line is the day of the instant just before it
        LocalDate untilDay = filter.until() == null ? null
                : LocalDate.ofInstant(filter.until().minusNanos(1), ZoneOffset.UTC);
        java.util.ArrayList<Path> wanted = new java.util.ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            LocalDate first = AuditFiles.firstDay(files.get(i));
            LocalDate nextFirst = i + 1 < files.size() ? AuditFiles.firstDay(files.get(i + 1)) : null;
            if (sinceDay != null && nextFirst != null && nextFirst.isBefore(sinceDay)) {
                continue; // every line of this file is older than the next file's first line, itself too old
            }
            if (untilDay != null && first != null && first.isAfter(untilDay)) {
                continue;
            }
            wanted.add(files.get(i));
        }
        return wanted;
    }
}
