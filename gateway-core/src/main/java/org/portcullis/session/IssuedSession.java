package org.portcullis.session;

import java.util.Objects;

/**
 * A session together with the id to put in its cookie. The only value that carries a usable id; {@link SessionId}
 * redacts itself, so printing this record prints no secret.
 */
public record IssuedSession(SessionId id, Session session) {
    public IssuedSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(session, "session");
        if (!id.hash().equals(session.idHash())) {
            throw new IllegalArgumentException("IssuedSession: the id does not belong to the session");
        }
    }
}
