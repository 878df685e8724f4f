package org.portcullis.demo;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One fictional patient record.
 *
 * @param id        record number, {@code RC-} followed by four digits
 * @param name      a clearly fictional name
 * @param born      date of birth
 * @param team      the care team that looks after the patient
 * @param allergies recorded allergies; empty means "no known allergies"
 * @param visits    past visits, oldest first
 */
public record Patient(String id, String name, LocalDate born, String team, List<String> allergies, List<Visit> visits) {

    public Patient {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(born, "born");
        Objects.requireNonNull(team, "team");
        allergies = List.copyOf(allergies);
        visits = List.copyOf(visits);
    }
}
