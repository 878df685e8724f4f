package org.portcullis.demo;

import java.time.LocalDate;
import java.util.Objects;

/** One past visit of a fictional patient. */
public record Visit(LocalDate date, String clinician, String reason) {

    public Visit {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(clinician, "clinician");
        Objects.requireNonNull(reason, "reason");
    }
}
