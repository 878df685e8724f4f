package org.portcullis.config;

import java.nio.file.Path;

/**
 * One validation error or warning, rendered as {@code FILE:LINE: path.to.key: message}. Messages never contain a
 * secret: values read through {@code ${env:…}} or {@code ${file:…}} are shown as {@code (redacted, N chars)}.
 */
public record ConfigProblem(Path file, int line, String path, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + path + ": " + message;
    }
}
