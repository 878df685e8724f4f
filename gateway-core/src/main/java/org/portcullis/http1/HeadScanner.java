package org.portcullis.http1;

import io.netty.buffer.ByteBuf;
import org.portcullis.ingress.RejectReason;

/**
 * Finds the end of a message head (an optional start line, field lines, an empty line) in the input without consuming
 * it, remembering how far it searched so each byte is looked at once even when the head arrives in many reads.
 * The size bounds are checked while searching, so a peer that never sends the empty line makes the decoder buffer at
 * most the configured bytes (SECURITY-RULES 19).
 *
 * <p>It only looks for LF bytes; whether each line ends in CRLF, and everything else, is checked by the parsers on
 * the copied head. A lone LF therefore also ends a line here, and {@link FieldLineParser} then refuses it.
 */
final class HeadScanner {
    private final RejectReason startLineTooLong;
    private int startLineMax;
    private int fieldBytesMax;
    private int fieldCountMax;

    private boolean inStartLine;
    /** Offsets relative to the reader index, which does not move while a head is incomplete. */
    private int scanned;
    private int lineStart;
    private int fieldsStart;
    private int fieldCount;

    /**
     * @param startLineTooLong the reason used when the start line is too long (request or status line)
     */
    HeadScanner(RejectReason startLineTooLong) {
        this.startLineTooLong = startLineTooLong;
    }

    /**
     * Prepares a new search.
     *
     * @param startLineMax  the longest start line without CRLF, or 0 when the head has no start line (trailers)
     * @param fieldBytesMax bytes the field section may take, final empty line included
     * @param fieldCountMax field lines allowed
     */
    void reset(int startLineMax, int fieldBytesMax, int fieldCountMax) {
        this.startLineMax = startLineMax;
        this.fieldBytesMax = fieldBytesMax;
        this.fieldCountMax = fieldCountMax;
        inStartLine = startLineMax > 0;
        scanned = 0;
        lineStart = 0;
        fieldsStart = 0;
        fieldCount = 0;
    }

    /** Number of field lines found by the last complete scan. */
    int fieldCount() {
        return fieldCount;
    }

    /** Bytes of the field section (after the start line) found by the last complete scan. */
    int fieldBytes(int headLength) {
        return headLength - fieldsStart;
    }

    /**
     * @return the length of the complete head from the reader index, or -1 when more input is needed
     */
    int scan(ByteBuf in) throws Http1Violation {
        int reader = in.readerIndex();
        int available = in.readableBytes();
        while (true) {
            // +2: the CRLF of the start line is not counted in its limit
            long lineLimit = inStartLine ? (long) lineStart + startLineMax + 2 : (long) fieldsStart + fieldBytesMax;
            int searchEnd = (int) Math.min(available, lineLimit);
            int lf = scanned < searchEnd ? in.indexOf(reader + scanned, reader + searchEnd, ByteClasses.LF) : -1;
            if (lf < 0) {
                if (available >= lineLimit) {
                    throw inStartLine
                            ? new Http1Violation(startLineTooLong, "start line longer than the limit")
                            : new Http1Violation(RejectReason.HEADERS_TOO_LARGE, "header section larger than the limit");
                }
                scanned = searchEnd;
                return -1;
            }
            lf -= reader;
            scanned = lf + 1;
            if (inStartLine) {
                inStartLine = false;
                fieldsStart = lf + 1;
                lineStart = lf + 1;
                continue;
            }
            int lineLength = lf - lineStart;
            if (lineLength == 0 || (lineLength == 1 && in.getByte(reader + lineStart) == ByteClasses.CR)) {
                return lf + 1;
            }
            if (++fieldCount > fieldCountMax) {
                throw new Http1Violation(RejectReason.TOO_MANY_HEADERS, "more header fields than the limit");
            }
            lineStart = lf + 1;
        }
    }
}
