package org.portcullis.directory;

/**
 * Told of every question the gateway asks the directory (the metrics' directory latency and errors). Called on the
 * thread that asked, after the answer; cheap and never throwing.
 */
@FunctionalInterface
public interface DirectoryObserver {
    DirectoryObserver NONE = (operation, nanos, failed) -> { };

    /** A sign-in's password check (search and bind). */
    String SIGN_IN = "sign_in";
    /** A signed-in user looked up again (the re-check interval). */
    String LOOKUP = "lookup";

    /**
     * @param operation {@link #SIGN_IN} or {@link #LOOKUP}
     * @param nanos     how long the directory took to answer (or to fail)
     * @param failed    whether the directory could not be asked (down, timed out, TLS refused)
     */
    void done(String operation, long nanos, boolean failed);
}
