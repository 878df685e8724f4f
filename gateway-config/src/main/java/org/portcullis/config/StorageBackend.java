package org.portcullis.config;

/** {@code storage.backend}: where the durable state lives. */
public enum StorageBackend {
    /** One local SQLite file under {@code storage.data_dir}: a single gateway (the default). */
    SQLITE("sqlite"),
    /** A PostgreSQL database shared by every gateway node ({@code storage.postgresql}). */
    POSTGRESQL("postgresql");

    private final String yamlName;

    StorageBackend(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
