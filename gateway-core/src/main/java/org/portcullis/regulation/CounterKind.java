package org.portcullis.regulation;

import java.util.Locale;

/**
 * Which factor a failure counter belongs to. Each factor has its own counters (the TOTP issue: "the same lockout
 * machinery as the first factor (its own counter)"), so five wrong codes do not lock the password step and the other
 * way round. The stored name is {@link #storedName()}; constants are only ever added, never renamed.
 */
public enum CounterKind {
    PASSWORD,
    TOTP;

    /** The lower-case name kept in the {@code counter} column. */
    public String storedName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
