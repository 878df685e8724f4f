package org.portcullis.storage;

import java.util.List;
import java.util.Objects;

/**
 * One step of the schema, applied once, in its own transaction, and recorded in {@code schema_migrations}.
 * Released migrations are never edited: a change to the schema is a new migration with the next version.
 *
 * @param version     1, 2, 3, … without gaps
 * @param description one line for {@code schema_migrations} and error messages
 * @param statements  the SQL statements, run in order
 */
public record Migration(int version, String description, List<String> statements) {
    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("Migration: version must be at least 1 but is " + version);
        }
        Objects.requireNonNull(description, "description");
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("Migration " + version + ": no statements");
        }
    }
}
