package org.portcullis.audit;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Several nodes' trails read as one, oldest first (issue 18): the one merge behind {@code audit query --trail} and
 * {@code audit report --trail}. Each trail is streamed in its own order (as {@link AuditQuery} streams one trail) and
 * the heads of all trails are merged by {@code @timestamp}, compared as instants (ISO-8601 of varying precision, not
 * text); on equal times the trail given first goes first, and one node's lines always keep their own order. One line
 * per trail is held at a time, so memory does not grow with the trails. Lines that are not sealed audit lines are
 * skipped and counted; a line whose time does not parse sorts first (verification, not this, judges such a line).
 */
public final class MergedTrails {

    /** Receives each matching line with the node whose trail holds it. */
    @FunctionalInterface
    public interface Output {
        void accept(String node, AuditLine line) throws IOException;
    }

    private MergedTrails() {
    }

    public static AuditQuery.Summary run(List<NodeTrail> trails, AuditFilter filter, Output output)
            throws IOException {
        List<Cursor> cursors = new ArrayList<>();
        PriorityQueue<Cursor> heads = new PriorityQueue<>(Comparator.comparing((Cursor c) -> c.time)
                .thenComparingInt(c -> c.order));
        try {
            for (NodeTrail trail : trails) {
                Cursor cursor = new Cursor(cursors.size(), trail.node(),
                        new AuditLineReader(AuditQuery.filesInRange(trail.files(), filter)), filter);
                cursors.add(cursor);
                if (cursor.advance()) {
                    heads.add(cursor);
                }
            }
            long matched = 0;
            Cursor next;
            while ((next = heads.poll()) != null) {
                matched++;
                output.accept(next.node, next.line);
                if (next.advance()) {
                    heads.add(next);
                }
            }
            long read = 0;
            long skipped = 0;
            for (Cursor cursor : cursors) {
                read += cursor.read;
                skipped += cursor.skipped;
            }
            return new AuditQuery.Summary(matched, read, skipped);
        } finally {
            for (Cursor cursor : cursors) {
                cursor.reader.close();
            }
        }
    }

    /** A line's {@code @timestamp} as an instant; {@link Instant#MIN} when it has none that parses. */
    static Instant time(AuditLine line) {
        String text = line.field(AuditJson.TIMESTAMP);
        try {
            return text == null ? Instant.MIN : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.MIN;
        }
    }

    /** One trail's next matching line. */
    private static final class Cursor {
        final int order;
        final String node;
        final AuditLineReader reader;
        final AuditFilter filter;
        AuditLine line;
        Instant time;
        long read;
        long skipped;

        Cursor(int order, String node, AuditLineReader reader, AuditFilter filter) {
            this.order = order;
            this.node = node;
            this.reader = reader;
            this.filter = filter;
        }

        /** Moves to the trail's next matching line; false at its end. */
        boolean advance() throws IOException {
            AuditLineReader.RawLine raw;
            while ((raw = reader.next()) != null) {
                AuditLine parsed = raw.terminated() ? AuditLine.parse(raw.bytes(), raw.length()) : null;
                if (parsed == null) {
                    skipped++;
                    continue;
                }
                read++;
                if (filter.matches(parsed)) {
                    line = parsed;
                    time = time(parsed);
                    return true;
                }
            }
            line = null;
            return false;
        }
    }
}
