package org.portcullis.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Checks a trail's hash chain ({@link AuditChain}) over files given oldest first and names the first place where it
 * breaks, and how:
 * <ul>
 *   <li>{@link Kind#EDITED}: a line's hash does not match its content, but the next line follows on from it;</li>
 *   <li>{@link Kind#INSERTED}: a line that is not part of the chain, the next line following on from the one before
 *       it (or repeating its sequence number);</li>
 *   <li>{@link Kind#DELETED}: sequence numbers are missing inside a file, or from the start of the first file;</li>
 *   <li>{@link Kind#REORDERED}: a sequence number comes later than it should (or files are out of order);</li>
 *   <li>{@link Kind#FILE_MISSING}: a file starts with a previous hash and sequence that do not follow on from the file
 *       before it;</li>
 *   <li>{@link Kind#TRUNCATED}: a file ends in a line cut short that no {@code audit.recovered} event accounts for;</li>
 *   <li>{@link Kind#WRONG_KEY}: the files were signed with another key (by its id).</li>
 * </ul>
 * Removing whole lines from the very end leaves a valid, shorter chain: only a copy elsewhere (syslog, a noted last
 * sequence and hash) can show that. {@link Intact} therefore reports the last sequence and hash.
 */
public final class AuditVerifier {

    public enum Kind {
        EDITED("line edited"),
        INSERTED("line inserted"),
        DELETED("lines deleted"),
        REORDERED("lines reordered"),
        FILE_MISSING("file missing"),
        TRUNCATED("truncated"),
        WRONG_KEY("wrong key");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The outcome of {@link #verify}. */
    public sealed interface Result permits Intact, Broken {
    }

    /**
     * Every line belongs to the chain.
     *
     * @param fromStart whether the first file starts the chain (its previous hash is all zeros)
     * @param recovered how many torn lines were accounted for by {@code audit.recovered} events
     */
    public record Intact(long events, int files, long firstSequence, long lastSequence, String lastHash,
                         boolean fromStart, int recovered) implements Result {
    }

    /** The first break: where ({@code file}, 1-based {@code line}) and what. */
    public record Broken(Kind kind, Path file, long line, String detail) implements Result {
    }

    private static final HexFormat HEX = HexFormat.of();

    private final AuditKey key;
    private final Mac mac;
    private String previousHash;
    private long previousSequence = -1;
    private Path previousFile;
    private Path chainedFile;

    private AuditVerifier(AuditKey key) {
        this.key = Objects.requireNonNull(key, "key");
        this.mac = key.newMac();
    }

    public static Result verify(List<Path> files, AuditKey key) throws IOException {
        return new AuditVerifier(key).run(files);
    }

    private Result run(List<Path> files) throws IOException {
        long events = 0;
        long firstSequence = -1;
        boolean fromStart = false;
        int recovered = 0;
        try (AuditLineReader reader = new AuditLineReader(files)) {
            AuditLineReader.RawLine raw;
            while ((raw = reader.next()) != null) {
                AuditLine line = raw.terminated() ? AuditLine.parse(raw.bytes(), raw.length()) : null;
                if (line == null) {
                    AuditLineReader.RawLine next = reader.peek();
                    AuditLine following = next == null ? null : AuditLine.parse(next.bytes(), next.length());
                    if (accountsFor(following, raw)) {
                        recovered++;
                        continue;
                    }
                    if (!raw.terminated()) {
                        return new Broken(Kind.TRUNCATED, raw.file(), raw.number(), "the line is cut short after "
                                + raw.length() + " bytes" + (next == null ? " at the end of the trail" : "")
                                + " and no audit.recovered event accounts for it");
                    }
                    if (following != null && AuditRecovered.ACTION.equals(following.action())) {
                        return new Broken(Kind.EDITED, raw.file(), raw.number(), "this line is not the fragment the "
                                + "audit.recovered event after it accounts for (length or SHA-256 differ)");
                    }
                    if (following != null && previousHash != null && following.sequence() == previousSequence + 1
                            && follows(following, previousHash)) {
                        return new Broken(Kind.INSERTED, raw.file(), raw.number(), "this line is not part of the "
                                + "chain: the next line follows on from the line before it");
                    }
                    return new Broken(Kind.EDITED, raw.file(), raw.number(), "this line is no longer a sealed "
                            + "audit line");
                }
                Broken broken = check(raw, line, reader);
                if (broken != null) {
                    return broken;
                }
                if (firstSequence < 0) {
                    firstSequence = line.sequence();
                    fromStart = line.sequence() == 1 && AuditChain.GENESIS_HEX.equals(line.previousHash());
                }
                previousHash = line.hash();
                previousSequence = line.sequence();
                previousFile = raw.file();
                events++;
            }
        }
        return new Intact(events, files.size(), firstSequence, previousSequence, previousHash, fromStart, recovered);
    }

    /** Null when {@code line} continues the chain; otherwise what broke. */
    private Broken check(AuditLineReader.RawLine raw, AuditLine line, AuditLineReader reader) throws IOException {
        if (line.keyId() != null && !line.keyId().equals(key.id())) {
            return new Broken(Kind.WRONG_KEY, raw.file(), raw.number(), raw.file().getFileName()
                    + " was signed with the key with id " + line.keyId() + "; the key given has id " + key.id());
        }
        boolean newFile = !raw.file().equals(chainedFile);
        chainedFile = raw.file();
        if (line.previousHash() != null && previousHash != null && !line.previousHash().equals(previousHash)) {
            String where = previousFile == null ? "" : " after " + previousFile.getFileName();
            if (newFile && line.sequence() > previousSequence + 1) {
                return new Broken(Kind.FILE_MISSING, raw.file(), raw.number(), "events " + (previousSequence + 1)
                        + " to " + (line.sequence() - 1) + " are missing" + where + " (a file missing from the "
                        + "middle?)");
            }
            if (line.sequence() <= previousSequence) {
                return new Broken(Kind.REORDERED, raw.file(), raw.number(), "sequence " + line.sequence()
                        + " comes after " + previousSequence + where + " (files out of order or repeated?)");
            }
            return new Broken(Kind.EDITED, raw.file(), raw.number(), "chain.previous_hash does not match the line "
                    + "before it");
        }
        if (previousHash == null && line.previousHash() == null) {
            return new Broken(Kind.DELETED, raw.file(), raw.number(), "the trail starts with sequence "
                    + line.sequence() + ", which is not the first line of a file: lines before it were removed");
        }
        if (previousSequence >= 0 && line.sequence() != previousSequence + 1) {
            return sequenceBreak(raw, line, reader);
        }
        String previous = line.previousHash() != null ? line.previousHash() : previousHash;
        if (follows(line, previous)) {
            return null;
        }
        AuditLineReader.RawLine next = reader.peek();
        AuditLine following = next == null ? null : AuditLine.parse(next.bytes(), next.length());
        if (following != null && following.sequence() == line.sequence() && follows(following, previous)) {
            return new Broken(Kind.INSERTED, raw.file(), raw.number(), "this line is not part of the chain: the next "
                    + "line has its sequence number " + line.sequence() + " and follows on from the line before it");
        }
        return new Broken(Kind.EDITED, raw.file(), raw.number(), "the hash of sequence " + line.sequence()
                + " does not match its content");
    }

    private Broken sequenceBreak(AuditLineReader.RawLine raw, AuditLine line, AuditLineReader reader)
            throws IOException {
        long expected = previousSequence + 1;
        if (line.sequence() == previousSequence && line.hash().equals(previousHash)) {
            return new Broken(Kind.INSERTED, raw.file(), raw.number(), "this line is a copy of the line before it "
                    + "(sequence " + line.sequence() + ")");
        }
        if (line.sequence() < expected) {
            return new Broken(Kind.REORDERED, raw.file(), raw.number(), "sequence " + line.sequence()
                    + " comes after " + previousSequence);
        }
        AuditLineReader.RawLine later;
        while ((later = reader.next()) != null) {
            AuditLine parsed = later.terminated() ? AuditLine.parse(later.bytes(), later.length()) : null;
            if (parsed != null && parsed.sequence() == expected) {
                return new Broken(Kind.REORDERED, raw.file(), raw.number(), "sequence " + line.sequence()
                        + " comes before " + expected + ", which is at " + later.file().getFileName() + ":"
                        + later.number());
            }
        }
        long missing = line.sequence() - expected;
        return new Broken(Kind.DELETED, raw.file(), raw.number(), missing + (missing == 1 ? " line" : " lines")
                + " deleted before this one (sequence " + expected
                + (missing == 1 ? "" : " to " + (line.sequence() - 1)) + " is missing)");
    }

    /** Whether {@code line}'s hash is its MAC under the key, chained from {@code previousHex}. */
    private boolean follows(AuditLine line, String previousHex) {
        if (previousHex == null) {
            return false;
        }
        String previous = line.previousHash() != null ? line.previousHash() : previousHex;
        byte[] content = contentOf(line);
        byte[] expected = AuditChain.mac(mac, HEX.parseHex(previous), content, line.contentLength());
        return MessageDigest.isEqual(expected, HEX.parseHex(line.hash()));
    }

    /** An {@code audit.recovered} line that names {@code fragment} by length and SHA-256 and continues the chain. */
    private boolean accountsFor(AuditLine recovery, AuditLineReader.RawLine fragment) {
        if (recovery == null || !AuditRecovered.ACTION.equals(recovery.action())) {
            return false;
        }
        byte[] bytes = java.util.Arrays.copyOf(fragment.bytes(), fragment.length());
        return String.valueOf(fragment.length()).equals(recovery.field(AuditJson.TORN_BYTES))
                && AuditFileWriter.sha256(bytes).equals(recovery.field(AuditJson.TORN_SHA256))
                && follows(recovery, previousHash != null ? previousHash : recovery.previousHash());
    }

    private static byte[] contentOf(AuditLine line) {
        return line.raw();
    }
}
