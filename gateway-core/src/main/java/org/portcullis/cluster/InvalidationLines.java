package org.portcullis.cluster;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.portcullis.session.InvalidationChannel;
import org.portcullis.session.SessionIdHash;
import org.portcullis.session.SessionInvalidation;

/**
 * The text of one fan-out message, the same on every transport (Redis pub/sub, PostgreSQL {@code NOTIFY}):
 * {@code v1 NODE KIND ARG}. {@code NODE} is the sender's random id (so a node skips its own invalidations and keeps
 * only its own heartbeats); {@code KIND} is {@code session} (ARG the hex SHA-256 of the session id, never the id),
 * {@code user} (ARG the account name in base64url), {@code all}, or {@code beat} (ARG a sequence number). A line this
 * version cannot read counts as {@code all}: unknown means "anything may have changed".
 */
final class InvalidationLines {
    private static final String VERSION = "v1";

    private final String nodeId;

    InvalidationLines(SecureRandom random) {
        byte[] id = new byte[8];
        random.nextBytes(id);
        this.nodeId = HexFormat.of().formatHex(id);
    }

    String encode(SessionInvalidation event) {
        if (event instanceof SessionInvalidation.OneSession one) {
            return line("session", HexFormat.of().formatHex(one.idHash().bytes()));
        }
        if (event instanceof SessionInvalidation.OneUser user) {
            return line("user", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(user.user().getBytes(StandardCharsets.UTF_8)));
        }
        return line("all", "-");
    }

    String beat(long sequence) {
        return line("beat", Long.toString(sequence));
    }

    /** Hands {@code message} to {@code receiver}: this node's heartbeats back, other nodes' invalidations on. */
    void deliver(String message, InvalidationChannel.Receiver receiver) {
        String[] parts = message.split(" ", -1);
        boolean readable = parts.length == 4 && parts[0].equals(VERSION);
        if (readable && parts[1].equals(nodeId)) {
            if (parts[2].equals("beat")) {
                try {
                    receiver.ownBeat(Long.parseLong(parts[3]));
                } catch (NumberFormatException e) {
                    receiver.fromOtherNode(new SessionInvalidation.Everything());
                }
            }
            return;
        }
        if (readable && parts[2].equals("beat")) {
            return;
        }
        receiver.fromOtherNode(readable ? decode(parts) : new SessionInvalidation.Everything());
    }

    private static SessionInvalidation decode(String[] parts) {
        try {
            if (parts[2].equals("session")) {
                return new SessionInvalidation.OneSession(SessionIdHash.of(HexFormat.of().parseHex(parts[3])));
            }
            if (parts[2].equals("user")) {
                return new SessionInvalidation.OneUser(new String(Base64.getUrlDecoder().decode(parts[3]),
                        StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException e) {
            // unreadable: treated as "anything may have changed"
        }
        return new SessionInvalidation.Everything();
    }

    private String line(String kind, String argument) {
        return VERSION + " " + nodeId + " " + kind + " " + argument;
    }
}
