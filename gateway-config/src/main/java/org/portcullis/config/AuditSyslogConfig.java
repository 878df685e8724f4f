package org.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code audit.syslog}: a copy of every audit line sent to a syslog receiver (a SIEM) as RFC 5424 messages over TCP
 * with octet-counting framing (RFC 6587 §3.4.1), over TLS (RFC 5425) unless {@code tls: false}. The audit file stays
 * the source of truth: a slow or dead receiver loses syslog copies, never lines of the file.
 *
 * @param address  the receiver: a DNS name, IPv4 or IPv6 address, and a port
 * @param tls      whether to speak TLS (RFC 5425; the receiver's certificate and host name are verified)
 * @param caBundle PEM CA certificates that may sign the receiver's certificate, or null for the JDK trust store;
 *                 only with {@code tls}
 * @param appName  RFC 5424 APP-NAME: 1 to 48 printable US-ASCII characters
 */
public record AuditSyslogConfig(HostPort address, boolean tls, Path caBundle, String appName) {
    public static final boolean DEFAULT_TLS = true;
    public static final String DEFAULT_APP_NAME = "portcullis";
    /** RFC 5424 §6.2.5: {@code APP-NAME = NILVALUE / 1*48PRINTUSASCII}. */
    public static final int MAX_APP_NAME = 48;

    public AuditSyslogConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(appName, "appName");
        if (!tls && caBundle != null) {
            throw new IllegalArgumentException("caBundle only with tls");
        }
        if (!isAppName(appName)) {
            throw new IllegalArgumentException("appName must be 1 to 48 printable US-ASCII characters");
        }
    }

    /** RFC 5424 PRINTUSASCII is {@code %d33-126}: no space, no control character. */
    static boolean isAppName(String text) {
        return !text.isEmpty() && text.length() <= MAX_APP_NAME && text.chars().allMatch(c -> c >= 33 && c <= 126)
                && !text.equals("-");
    }
}
