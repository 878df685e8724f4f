package org.portcullis.storage;

/**
 * The durable store every piece of gateway state lives in: the embedded SQLite file ({@link EmbeddedDatabase},
 * {@code storage.backend: sqlite}) or a PostgreSQL database shared by several gateways ({@link PostgresDatabase},
 * {@code storage.backend: postgresql}). The stores ({@code SqliteSessionStore}, {@code TotpCredentials}, …) are
 * written against this interface in SQL both engines run unchanged; the few differences (column types of the
 * migrations, how writers are serialised, how another writer is noticed) live in the two implementations.
 *
 * <h2>The contract the stores rely on</h2>
 * <ul>
 *   <li>{@link #write} transactions are <b>serialised against every other writer of the store</b>, in this process
 *       and in any other (the CLI, another gateway node): from its first statement to its commit a write sees every
 *       earlier committed write and no other write commits in between. That is what makes a read-then-write
 *       (a failure counter, an invitation redeemed once, a session compare-and-set) atomic without per-store
 *       locking.</li>
 *   <li>{@link #read} runs each statement on the latest committed state; it never blocks a writer.</li>
 *   <li>{@link #writesByOthersVersion} changes whenever someone other than this process committed a write.</li>
 * </ul>
 *
 * <p>Every method blocks (disk, network, locks): never call one on a Netty event loop. Every failure, including an
 * unreachable server, is a {@link StorageException}, which the request path turns into a refusal.
 */
public interface Database extends AutoCloseable {

    /** Runs {@code work} on the latest committed state; SQL errors become {@link StorageException}. */
    <T> T read(SqlWork<T> work);

    /**
     * Runs {@code work} in one write transaction serialised against every other writer (see the class comment); any
     * exception rolls it back and is rethrown (SQL errors as {@link StorageException}). {@code work} may run more than
     * once only if a backend says so; neither does today.
     */
    <T> T write(SqlWork<T> work);

    /** Tells {@code observer} of every read and write from now on (set once, at the gateway's start: metrics). */
    void observe(StoreObserver observer);

    /** A number that changes whenever another process committed to the store (the session cache's check). */
    long writesByOthersVersion();

    /** The schema version after migrations. */
    int schemaVersion();

    /** Where the store is, for messages: a file path, or a PostgreSQL URL without credentials. */
    String describe();

    @Override
    void close();
}
