package org.portcullis.config;

/** Second factors a two-factor rule can accept. */
public enum SecondFactor {
    TOTP("totp"),
    WEBAUTHN("webauthn");

    private final String yamlName;

    SecondFactor(String yamlName) {
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
