package org.portcullis.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import org.portcullis.ingress.RejectReason;

/**
 * The chunked transfer coding (RFC 9112 §7.1) as a state machine over the input: emits the de-chunked data as
 * {@link DefaultHttpContent} retained slices as it arrives, then {@link LastHttpContent#EMPTY_LAST_CONTENT}.
 * The next hop gets its own framing from the encoder, so chunk boundaries and extensions are not passed on.
 *
 * <p>Refused with MALFORMED_CHUNK (chunk syntax is the TE.CL and chunk-extension smuggling surface, so nothing
 * outside the strict grammar passes):
 * <ul>
 *   <li>a chunk size that is not 1 to 16 HEXDIG (no sign, no {@code 0x}, no whitespace) or overflows a long;</li>
 *   <li>chunk extensions other than {@code *( ";" token [ "=" ( token / quoted-string ) ] )}. RFC 9112 §7.1.1
 *       allows BWS around ';' and '='; we refuse it, since parsers that stop at the first space read another
 *       size;</li>
 *   <li>a size line or chunk data not followed by exactly CRLF (bare LF, bare CR, extra bytes);</li>
 *   <li>a size line longer than {@link #MAX_CHUNK_LINE_BYTES}.</li>
 * </ul>
 * The declared sizes are added up and checked against the body limit before any data of a chunk is passed on
 * (BODY_TOO_LARGE). Trailer fields follow the header rules of {@link FieldLineParser}, count towards the header
 * limits that the head left over, may not be framing, routing or connection-control fields
 * ({@link FramingFields#checkTrailers()}: FORBIDDEN_TRAILER), and are dropped.
 */
final class ChunkedBodyDecoder {
    /** Sixteen hex digits hold any long; more digits (even leading zeros) are refused. */
    static final int MAX_CHUNK_SIZE_DIGITS = 16;
    /** A size line with extensions, CRLF included. Real clients send a few bytes. */
    static final int MAX_CHUNK_LINE_BYTES = 4096;
    private static final int CRLF_LENGTH = 2;

    private enum State { SIZE, DATA, DATA_CRLF, TRAILERS, DONE }

    private final byte[] line = new byte[MAX_CHUNK_LINE_BYTES];
    private final HeadScanner trailerScanner = new HeadScanner(RejectReason.HEADERS_TOO_LARGE);
    private final FramingFields trailerFields = new FramingFields();
    private State state = State.DONE;
    private long chunkRemaining;
    private long bodyBytes;
    private long bodyLimit;
    private int trailerBytesMax;
    private int trailerCountMax;

    /** Starts a new body with the given limit and what is left of the header budgets for trailers. */
    void start(long bodyLimit, int trailerBytesMax, int trailerCountMax) {
        this.bodyLimit = bodyLimit;
        this.trailerBytesMax = Math.max(CRLF_LENGTH, trailerBytesMax);
        this.trailerCountMax = Math.max(0, trailerCountMax);
        state = State.SIZE;
        chunkRemaining = 0;
        bodyBytes = 0;
    }

    void bodyLimit(long limit) {
        this.bodyLimit = limit;
    }

    /**
     * Decodes as much of the body as the input holds.
     *
     * @return true when the body, trailers included, is complete and the last content was added to {@code out}
     */
    boolean decode(ByteBuf in, List<Object> out) throws Http1Violation {
        while (true) {
            switch (state) {
                case SIZE -> {
                    if (!readSizeLine(in)) {
                        return false;
                    }
                }
                case DATA -> {
                    int available = in.readableBytes();
                    if (available == 0) {
                        return false;
                    }
                    int n = (int) Math.min(available, chunkRemaining);
                    out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
                    chunkRemaining -= n;
                    if (chunkRemaining > 0) {
                        return false;
                    }
                    state = State.DATA_CRLF;
                }
                case DATA_CRLF -> {
                    if (!readDataCrlf(in)) {
                        return false;
                    }
                    state = State.SIZE;
                }
                case TRAILERS -> {
                    if (!readTrailers(in)) {
                        return false;
                    }
                    out.add(LastHttpContent.EMPTY_LAST_CONTENT);
                    state = State.DONE;
                    return true;
                }
                case DONE -> throw new IllegalStateException("ChunkedBodyDecoder: decode() after the last chunk");
                default -> throw new IllegalStateException("ChunkedBodyDecoder: unknown state " + state);
            }
        }
    }

    private boolean readSizeLine(ByteBuf in) throws Http1Violation {
        int reader = in.readerIndex();
        int available = in.readableBytes();
        int lf = in.indexOf(reader, reader + Math.min(available, MAX_CHUNK_LINE_BYTES), ByteClasses.LF);
        if (lf < 0) {
            if (available >= MAX_CHUNK_LINE_BYTES) {
                throw malformed("chunk size line too long");
            }
            return false;
        }
        int length = lf - reader + 1;
        in.getBytes(reader, line, 0, length);
        long size = parseSizeLine(line, length);
        in.skipBytes(length);
        if (size > bodyLimit - bodyBytes) {
            throw new Http1Violation(RejectReason.BODY_TOO_LARGE, "chunked body larger than the limit");
        }
        bodyBytes += size;
        if (size == 0) {
            trailerScanner.reset(0, trailerBytesMax, trailerCountMax);
            state = State.TRAILERS;
        } else {
            chunkRemaining = size;
            state = State.DATA;
        }
        return true;
    }

    private static boolean readDataCrlf(ByteBuf in) throws Http1Violation {
        int available = in.readableBytes();
        int reader = in.readerIndex();
        if (available >= 1 && in.getByte(reader) != ByteClasses.CR) {
            throw malformed("chunk data not followed by CRLF");
        }
        if (available < CRLF_LENGTH) {
            return false;
        }
        if (in.getByte(reader + 1) != ByteClasses.LF) {
            throw malformed("chunk data not followed by CRLF");
        }
        in.skipBytes(CRLF_LENGTH);
        return true;
    }

    private boolean readTrailers(ByteBuf in) throws Http1Violation {
        int reader = in.readerIndex();
        if (in.readableBytes() >= CRLF_LENGTH && in.getByte(reader) == ByteClasses.CR
                && in.getByte(reader + 1) == ByteClasses.LF) {
            in.skipBytes(CRLF_LENGTH);
            return true;
        }
        int length = trailerScanner.scan(in);
        if (length < 0) {
            return false;
        }
        byte[] trailers = new byte[length];
        in.readBytes(trailers);
        trailerFields.reset();
        FieldLineParser.parseSection(trailers, 0, null, trailerFields);
        trailerFields.checkTrailers();
        return true;
    }

    /** Parses {@code 1*16HEXDIG [ extensions ] CRLF}; {@code l[length - 1]} is the LF. */
    static long parseSizeLine(byte[] l, int length) throws Http1Violation {
        if (length < CRLF_LENGTH + 1 || l[length - 2] != ByteClasses.CR) {
            throw malformed("chunk size line not ended by CRLF");
        }
        int end = length - CRLF_LENGTH;
        long size = 0;
        int i = 0;
        while (i < end && ByteClasses.is(l[i], ByteClasses.HEXDIG)) {
            if (i == MAX_CHUNK_SIZE_DIGITS) {
                throw malformed("chunk size longer than 16 hex digits");
            }
            size = (size << 4) | ByteClasses.hexValue(l[i]);
            i++;
        }
        if (i == 0) {
            throw malformed("chunk size is not hexadecimal");
        }
        if (size < 0) {
            throw malformed("chunk size overflows");
        }
        parseExtensions(l, i, end);
        return size;
    }

    private static void parseExtensions(byte[] l, int i, int end) throws Http1Violation {
        while (i < end) {
            if (l[i] != ';') {
                throw malformed("invalid byte after chunk size");
            }
            int nameStart = ++i;
            i = skipToken(l, i, end);
            if (i == nameStart) {
                throw malformed("empty chunk extension name");
            }
            if (i < end && l[i] == '=') {
                i++;
                if (i < end && l[i] == '"') {
                    i = skipQuotedString(l, i + 1, end);
                } else {
                    int valueStart = i;
                    i = skipToken(l, i, end);
                    if (i == valueStart) {
                        throw malformed("empty chunk extension value");
                    }
                }
            }
        }
    }

    private static int skipToken(byte[] l, int i, int end) {
        while (i < end && ByteClasses.is(l[i], ByteClasses.TCHAR)) {
            i++;
        }
        return i;
    }

    /** RFC 9110 §5.6.4; {@code i} is just after the opening DQUOTE. Returns the index after the closing DQUOTE. */
    private static int skipQuotedString(byte[] l, int i, int end) throws Http1Violation {
        while (i < end) {
            byte b = l[i];
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                if (i + 1 >= end || !ByteClasses.is(l[i + 1], ByteClasses.FIELD_VALUE)) {
                    throw malformed("invalid quoted-pair in chunk extension");
                }
                i += 2;
            } else if (ByteClasses.is(b, ByteClasses.QDTEXT)) {
                i++;
            } else {
                throw malformed("invalid byte in chunk extension");
            }
        }
        throw malformed("unterminated quoted string in chunk extension");
    }

    private static Http1Violation malformed(String detail) {
        return new Http1Violation(RejectReason.MALFORMED_CHUNK, detail);
    }
}
