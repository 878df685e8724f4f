/**
 * A built-in demo upstream that looks like a legacy care-records web application, so that {@code portcullis demo}
 * and the benchmarks have something realistic to protect. All data is fictional and kept in memory only.
 *
 * <p>The application has no authentication of its own, on purpose: like the legacy systems Portcullis is built for,
 * it trusts whatever reaches it. It therefore binds loopback addresses only, and shows in a "request details" box
 * which forwarded headers it received, so a user can see what the gateway passes on.
 */
package org.portcullis.demo;
