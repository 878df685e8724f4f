package org.portcullis.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * The hash chain that makes the trail tamper-evident. Every line is
 * <pre>{@code {…event fields…,"event.sequence":N[,"chain.previous_hash":P,"chain.key_id":K],"event.hash":H}}</pre>
 * where {@code H = HMAC-SHA256(key, previous H ‖ the line's bytes up to, not including, ",\"event.hash\"")} (RFC 2104),
 * hex-encoded. The previous H of the very first line is 32 zero bytes. Editing, deleting, inserting or reordering a
 * line breaks the H of that line or of the next one; without the key nobody can compute a matching H. The sequence
 * number names the gap when lines are missing, and lets the chain continue across files: the first line of each file
 * repeats the previous H and names the key, so any file can be checked on its own and a missing file shows as a jump.
 *
 * <p>Not thread-safe: only the audit writer thread uses it.
 */
final class AuditChain {
    static final int HASH_BYTES = 32;
    static final int HASH_HEX = HASH_BYTES * 2;
    static final String GENESIS_HEX = "0".repeat(HASH_HEX);
    /** {@code ,"event.hash":"} + 64 hex + {@code "}}: every line ends with exactly this many bytes of seal. */
    static final byte[] SEAL_START = (",\"" + AuditJson.HASH + "\":\"").getBytes(StandardCharsets.US_ASCII);
    static final int SEAL_LENGTH = SEAL_START.length + HASH_HEX + 2;
    private static final HexFormat HEX = HexFormat.of();

    private final AuditKey key;
    private final Mac mac;
    private final AuditJson json = new AuditJson();
    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(1024);
    private long lastSequence;
    private byte[] lastHash;
    /** {@code audit.node_id}, written on every line; null: not written (a single gateway's trail, as before). */
    private String nodeId;

    /** A chain that continues after the line with {@code lastSequence} and {@code lastHash} (0 and zeros: new). */
    AuditChain(AuditKey key, long lastSequence, byte[] lastHash) {
        this.key = Objects.requireNonNull(key, "key");
        this.mac = key.newMac();
        this.lastSequence = lastSequence;
        this.lastHash = lastHash.clone();
    }

    static AuditChain start(AuditKey key) {
        return new AuditChain(key, 0, new byte[HASH_BYTES]);
    }

    /** Appends one sealed line and its newline to {@code out}; {@code fileStart} for a file's first line. */
    void append(Instant time, AuditEvent event, boolean fileStart, ByteArrayOutputStream out) {
        long sequence = lastSequence + 1;
        scratch.reset();
        json.write(time, event, nodeId, sequence, fileStart ? HEX.formatHex(lastHash) : null, fileStart ? key.id() : null,
                scratch);
        byte[] object = scratch.toByteArray();
        int contentLength = object.length - 1; // everything but the closing brace
        byte[] hash = mac(mac, lastHash, object, contentLength);
        out.write(object, 0, contentLength);
        out.writeBytes(SEAL_START);
        out.writeBytes(HEX.formatHex(hash).getBytes(StandardCharsets.US_ASCII));
        out.write('"');
        out.write('}');
        out.write('\n');
        lastSequence = sequence;
        lastHash = hash;
    }

    static byte[] mac(Mac mac, byte[] previousHash, byte[] content, int contentLength) {
        mac.update(previousHash);
        mac.update(content, 0, contentLength);
        return mac.doFinal();
    }

    /** Names the node on every line from now on (set once, before the first line is written). */
    void nodeId(String id) {
        this.nodeId = id;
    }

    long lastSequence() {
        return lastSequence;
    }

    /**
     * Continues after {@code sequence} and {@code hash} instead of the current end: after the trail was found to end
     * before the end recorded outside it, the next line links to that recorded end (its caller writes the link).
     */
    void continueAfter(long sequence, byte[] hash) {
        lastSequence = sequence;
        lastHash = hash.clone();
    }

    byte[] lastHash() {
        return lastHash.clone();
    }
}
