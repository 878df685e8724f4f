package org.portcullis.config;

/** Messages of {@link PostgresqlValidator}, in the style of {@link Messages}. */
final class PostgresqlMessages {
    private PostgresqlMessages() {
    }

    static String notBackend(String value) {
        return value + " is not a storage backend (allowed: sqlite, postgresql)";
    }

    static String sectionWithoutBackend() {
        return "is set but storage.backend is sqlite (allowed: set storage.backend: postgresql, or remove this"
                + " section)";
    }

    static String notUrl(String value) {
        return value + " is not a PostgreSQL URL (allowed: postgresql://host[:port]/database; user, password and TLS"
                + " have their own keys)";
    }

    static String notSslMode(String value) {
        return value + " is not an ssl_mode (allowed: " + PostgresqlValidator.allowedSslModes() + ")";
    }
}
