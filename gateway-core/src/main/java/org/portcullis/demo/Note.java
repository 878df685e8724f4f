package org.portcullis.demo;

import java.time.Instant;
import java.util.Objects;

/**
 * A free-text note on a patient record.
 *
 * @param written when the note was saved
 * @param author  the user the gateway named in {@code X-Forwarded-User}, or {@link CareRecords#UNKNOWN_AUTHOR}
 * @param text    the note as typed; escaped whenever it is shown
 */
public record Note(Instant written, String author, String text) {

    public Note {
        Objects.requireNonNull(written, "written");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(text, "text");
    }
}
