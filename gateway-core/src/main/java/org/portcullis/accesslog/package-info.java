/**
 * The access log at proxy speed: one line per request, handed by the event loop to a bounded queue as a small
 * {@link org.portcullis.accesslog.AccessLine} and formatted and written in batches by one writer thread
 * ({@link org.portcullis.accesslog.AccessLogWriter}) to a rotated file or to stderr. A line that cannot be queued is
 * counted and reported, never lost silently. Depends only on the config records: the request path hands it plain
 * values.
 */
package org.portcullis.accesslog;
