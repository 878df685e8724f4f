package org.portcullis.signin;

/** What a long-lived stream carries; its {@link #code()} is what the audit trail and {@code sessions list} show. */
public enum StreamKind {
    WEBSOCKET("websocket"),
    RDP("rdp"),
    SSH("ssh"),
    TCP("tcp");

    private final String code;

    StreamKind(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
