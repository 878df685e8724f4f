package org.portcullis.audit;

import java.util.Objects;

/**
 * A remote desktop connection through the RD Gateway endpoint (issue 16): opened, closed, or refused before anything
 * was opened. The figures are exact: {@code bytesFromClient} is what the client sent the desktop (RDP bytes in data
 * packets) and {@code bytesToClient} what the desktop sent back.
 *
 * @param action          {@link #ACTION_OPEN}, {@link #ACTION_CLOSE} or {@link #ACTION_REFUSED}
 * @param reason          why it closed or was refused (a code from a closed set), or {@code opened}
 * @param user            the user, when the token named one
 * @param sessionHash     the session's display id, when known
 * @param desktop         the desktop's name, when known
 * @param target          the host and port connected to (from the config, never from the client), when known
 * @param durationMillis  how long the connection was open (close only, else 0)
 */
public record RemoteDesktopEvent(String action, AuditOutcome outcome, String reason, String user, String sourceIp,
                                 String sessionHash, String desktop, String target, long durationMillis,
                                 long bytesFromClient, long bytesToClient) implements AuditEvent {
    public static final String ACTION_OPEN = "remote.open";
    public static final String ACTION_CLOSE = "remote.close";
    public static final String ACTION_REFUSED = "remote.refused";

    public RemoteDesktopEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }
}
