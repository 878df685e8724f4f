package org.portcullis.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** One unit of work on a connection lent by {@link EmbeddedDatabase}; it must not keep the connection. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
