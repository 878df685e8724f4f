package org.portcullis.ops;

import java.util.Optional;

/**
 * One part the gateway needs in order to serve: the config, the store, the audit sink; later the directory, Redis or
 * PostgreSQL add their own. {@code /health/ready} answers ready only when every check finds no problem.
 *
 * <p>A check runs on the admin listener's thread, never on the request path; it must finish within a couple of
 * seconds (a hung dependency is a problem, report it as one) and must not throw. Its problem text is shown to
 * whoever can reach the admin listener: a short fixed phrase, never a path, an address, a user or a secret.
 */
public interface HealthCheck {
    /** The part's name in the JSON body ({@code config}, {@code store}, {@code audit}, {@code directory}, …). */
    String name();

    /** Why the part does not work now; empty while it does. */
    Optional<String> problem();
}
