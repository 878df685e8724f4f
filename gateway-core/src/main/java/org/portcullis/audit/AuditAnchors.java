package org.portcullis.audit;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.storage.Database;

/**
 * The {@code audit_anchors} table (StorageSchema version 8): where each trail ended, kept outside the trail. Whole
 * lines removed from the end of a trail leave a valid, shorter chain; comparing the trail's last line with the anchor
 * shows them ({@code audit verify --config}, and the gateway at start).
 *
 * <p>The audit writer thread records the anchor after it forced a batch to disk, never before, so after a power cut
 * the anchor is at or behind what the disk holds and a crash is never mistaken for a truncation. Blocking (storage):
 * the writer thread and start-up call it, never an event loop.
 */
public final class AuditAnchors {

    /** Where a trail ended: its last line's {@code event.sequence} and {@code event.hash}, and when that was noted. */
    public record Anchor(long sequence, String hash, Instant recorded) {
        public Anchor {
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(recorded, "recorded");
        }
    }

    private final Database database;

    public AuditAnchors(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** The name of the trail whose active file is {@code activeFile}: its absolute, normalised path. */
    public static String trailName(Path activeFile) {
        return activeFile.toAbsolutePath().normalize().toString();
    }

    /**
     * The name of {@code audit}'s trail: with a node id, {@code NODE:PATH}, so that nodes writing the same path on
     * different hosts keep apart ends in a store they share; without one, the path alone (as a single gateway always
     * named it).
     */
    public static String trailName(org.portcullis.config.AuditConfig audit) {
        String path = trailName(audit.file());
        return audit.nodeId() == null ? path : audit.nodeId() + ":" + path;
    }

    public Optional<Anchor> read(String trail) {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT last_sequence, last_hash, updated_ms FROM audit_anchors WHERE trail = ?")) {
                select.setString(1, trail);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(new Anchor(row.getLong(1), row.getString(2),
                            Instant.ofEpochMilli(row.getLong(3)))) : Optional.empty();
                }
            }
        });
    }

    void record(String trail, long sequence, String hash, Instant at) {
        database.write(c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO audit_anchors"
                    + " (trail, last_sequence, last_hash, updated_ms) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (trail) DO UPDATE SET last_sequence = excluded.last_sequence,"
                    + " last_hash = excluded.last_hash, updated_ms = excluded.updated_ms")) {
                upsert.setString(1, trail);
                upsert.setLong(2, sequence);
                upsert.setString(3, hash);
                upsert.setLong(4, at.toEpochMilli());
                return upsert.executeUpdate();
            }
        });
    }
}
