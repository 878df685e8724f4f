/**
 * The embedded default store: one local SQLite file under {@code storage.data_dir} that keeps every piece of
 * gateway state (sessions first), with versioned migrations, and a bounded executor that keeps its blocking calls
 * off the Netty event loops.
 */
package org.portcullis.storage;
