package org.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what one client may cost (SECURITY-RULES 19). Every field has a safe default in {@link #defaults()}.
 *
 * @param maxRequestLineBytes     longest request line, CRLF excluded
 * @param maxHeaderBytes          total size of all header lines of one request
 * @param maxHeaders              number of header fields of one request
 * @param maxBodyBytes            request body size, unless a route overrides it
 * @param headerReadTimeout       time from the first byte of a request to the end of its headers
 * @param bodyReadTimeout         longest pause between two reads of a request body
 * @param bodyMinBytesPerSecond   once a body has been arriving for {@code bodyReadTimeout}, its average rate must
 *                                stay at or above this (0 turns the check off), so a client cannot hold a socket
 *                                by trickling a byte just before each pause would expire
 * @param idleTimeout             keep-alive connection with no request in progress
 * @param maxConnectionsPerAddress concurrent client connections from one source address
 * @param upstreamConnectTimeout  TCP (and TLS) connect to an upstream
 * @param maxUpstreamConnections  pooled plus active connections per upstream
 */
public record LimitsConfig(
        int maxRequestLineBytes,
        int maxHeaderBytes,
        int maxHeaders,
        long maxBodyBytes,
        Duration headerReadTimeout,
        Duration bodyReadTimeout,
        long bodyMinBytesPerSecond,
        Duration idleTimeout,
        int maxConnectionsPerAddress,
        Duration upstreamConnectTimeout,
        int maxUpstreamConnections) {

    public LimitsConfig {
        Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
        Objects.requireNonNull(bodyReadTimeout, "bodyReadTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(upstreamConnectTimeout, "upstreamConnectTimeout");
        if (bodyMinBytesPerSecond < 0) {
            throw new IllegalArgumentException("bodyMinBytesPerSecond must be >= 0");
        }
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(
                8192,
                16384,
                100,
                10L * 1024 * 1024,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                500,
                Duration.ofSeconds(60),
                256,
                Duration.ofSeconds(5),
                256);
    }
}
