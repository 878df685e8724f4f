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
 * Removing whole lines from the very end leaves a valid, shorter chain: only a copy elsewhere can show that. The
 * gateway notes its trail's end in the store ({@link AuditAnchors}); {@link Intact} reports the last sequence and
 * hash, and the hash at a sequence asked for ({@link #verify(List, AuditKey, long)}), so the caller compares the end
 * with that anchor. Two breaks are found without it: an empty trail (every run starts with {@code gateway.start}), and
 * a {@code gateway.start} with reason {@code trail_truncated} whose link skips lines (the gateway noticed at start
 * that the trail ended before the anchor), both {@link Kind#TRUNCATED}.
 *
 * <p>{@link Intact#runs()} counts the gateway's runs from its {@code gateway.start} and {@code gateway.stop} lines: a
 * start not preceded by a stop follows a crash or a kill, which the chain shows as intact (nothing was changed) and
 * the output names apart from tampering.
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
                         boolean fromStart, int recovered, Runs runs, String hashAtAsked) implements Result {
        /** An intact chain with no runs counted and no hash asked for. */
        public Intact(long events, int files, long firstSequence, long lastSequence, String lastHash,
                      boolean fromStart, int recovered) {
            this(events, files, firstSequence, lastSequence, lastHash, fromStart, recovered, Runs.NONE, null);
        }
    }

    /**
     * The gateway's runs as the trail records them.
     *
     * @param starts     {@code gateway.start} lines
     * @param stops      {@code gateway.stop} lines
     * @param crashes    sequences of the {@code gateway.start} lines that follow something other than a stop
     * @param lastAction the {@code event.action} of the trail's last line (null for none)
     */
    public record Runs(int starts, int stops, List<Long> crashes, String lastAction) {
        static final Runs NONE = new Runs(0, 0, List.of(), null);

        public Runs {
            crashes = List.copyOf(crashes);
        }

        /** Whether the trail ends with {@code gateway.stop}: the last run ended cleanly. */
        public boolean endsWithStop() {
            return GatewayLifecycle.ACTION_STOP.equals(lastAction);
        }
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
    private final long askedSequence;
    private String hashAtAsked;
    private int starts;
    private int stops;
    private final List<Long> crashes = new java.util.ArrayList<>();
    private String lastAction;

    private AuditVerifier(AuditKey key, long askedSequence) {
        this.key = Objects.requireNonNull(key, "key");
        this.mac = key.newMac();
        this.askedSequence = askedSequence;
    }

    public static Result verify(List<Path> files, AuditKey key) throws IOException {
        return new AuditVerifier(key, -1).run(files);
    }

    /** Like {@link #verify(List, AuditKey)}, and {@link Intact#hashAtAsked()} is the hash of {@code sequence}. */
    public static Result verify(List<Path> files, AuditKey key, long sequence) throws IOException {
        return new AuditVerifier(key, sequence).run(files);
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
                countRun(line);
                if (line.sequence() == askedSequence) {
                    hashAtAsked = line.hash();
                }
                previousHash = line.hash();
                previousSequence = line.sequence();
                previousFile = raw.file();
                events++;
            }
        }
        if (events == 0 && recovered == 0) {
            Path last = files.get(files.size() - 1);
            return new Broken(Kind.TRUNCATED, last, 1, (files.size() == 1 ? "the file" : "every file")
                    + " is empty: every run of the gateway starts its trail with gateway.start, so its lines were "
                    + "removed");
        }
        return new Intact(events, files.size(), firstSequence, previousSequence, previousHash, fromStart, recovered,
                new Runs(starts, stops, crashes, lastAction), hashAtAsked);
    }

    private void countRun(AuditLine line) {
        if (GatewayLifecycle.ACTION_START.equals(line.action())) {
            starts++;
            boolean crashed = lastAction != null ? !GatewayLifecycle.ACTION_STOP.equals(lastAction)
                    : GatewayLifecycle.REASON_AFTER_CRASH.equals(line.field(AuditJson.REASON));
            if (crashed) {
                crashes.add(line.sequence());
            }
        } else if (GatewayLifecycle.ACTION_STOP.equals(line.action())) {
            stops++;
        }
        lastAction = line.action();
    }

    /**
     * The gateway's own notice that the trail ended before its anchor, when it skips lines: it links to the anchored
     * end (a sealed {@code chain.previous_hash}), not to the line before it, or nothing before it was given.
     */
    private Broken truncationNotice(AuditLineReader.RawLine raw, AuditLine line) {
        if (!GatewayLifecycle.ACTION_START.equals(line.action())
                || !GatewayLifecycle.REASON_TRUNCATED.equals(line.field(AuditJson.REASON))
                || line.previousHash() == null || !follows(line, line.previousHash())) {
            return null;
        }
        if (previousHash != null && line.previousHash().equals(previousHash)
                && line.sequence() == previousSequence + 1) {
            return null; // the lines it missed are in the files given (an archived trail given with the new one)
        }
        String before = previousHash == null ? "no line before it was given"
                : "the line before it is sequence " + previousSequence;
        String lost = previousHash != null && previousSequence >= line.sequence() - 1
                ? "the line the store noted was replaced"
                : "events " + (previousHash == null ? "up to " : (previousSequence + 1) + " to ")
                + (line.sequence() - 1) + " are missing";
        return new Broken(Kind.TRUNCATED, raw.file(), raw.number(), "the gateway started here and found the "
                + "trail cut short (" + line.field(AuditJson.DETAIL) + "); " + before + ", so " + lost);
    }

    /** Null when {@code line} continues the chain; otherwise what broke. */
    private Broken check(AuditLineReader.RawLine raw, AuditLine line, AuditLineReader reader) throws IOException {
        if (line.keyId() != null && !line.keyId().equals(key.id())) {
            return new Broken(Kind.WRONG_KEY, raw.file(), raw.number(), raw.file().getFileName()
                    + " was signed with the key with id " + line.keyId() + "; the key given has id " + key.id());
        }
        boolean newFile = !raw.file().equals(chainedFile);
        chainedFile = raw.file();
        Broken notice = truncationNotice(raw, line);
        if (notice != null) {
            return notice;
        }
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
