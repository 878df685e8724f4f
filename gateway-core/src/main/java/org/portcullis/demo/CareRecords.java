package org.portcullis.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The demo application's data: a fixed set of fictional patients and the notes added to them since start.
 *
 * <p>Notes live in memory only and are bounded ({@link #MAX_NOTE_CHARS} per note, {@link #MAX_NOTES_PER_PATIENT}
 * per patient), so an open demo cannot be used to fill the gateway host's memory. Thread-safe: the HTTP server
 * calls it from several threads.
 */
public final class CareRecords {

    /** Longest note accepted, in characters. */
    public static final int MAX_NOTE_CHARS = 2000;
    /** Notes kept per patient; the oldest added note is dropped beyond this. */
    public static final int MAX_NOTES_PER_PATIENT = 100;
    /** Author recorded when the request carried no {@code X-Forwarded-User}. */
    public static final String UNKNOWN_AUTHOR = "(no user header)";

    /** When the fictional records were "migrated" into this system; fixed, so pages look the same on every run. */
    private static final Instant MIGRATED = Instant.parse("2011-07-04T09:00:00Z");

    private final Clock clock;
    private final List<Patient> patients = fictionalPatients();
    private final Map<String, List<Note>> notes = new LinkedHashMap<>();

    public CareRecords(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Patient patient : patients) {
            notes.put(patient.id(), new ArrayList<>(List.of(new Note(
                    MIGRATED, "records.migration", "Record migrated from the previous system. Check allergies."))));
        }
    }

    /** Every patient, in record-number order. */
    public List<Patient> patients() {
        return patients;
    }

    public Optional<Patient> patient(String id) {
        return patients.stream().filter(patient -> patient.id().equals(id)).findFirst();
    }

    /** The notes of one patient, oldest first; empty for an unknown id. */
    public synchronized List<Note> notes(String patientId) {
        return List.copyOf(notes.getOrDefault(patientId, List.of()));
    }

    /**
     * Adds a note.
     *
     * @return false if the patient is unknown, or the text is blank or longer than {@link #MAX_NOTE_CHARS}
     */
    public synchronized boolean addNote(String patientId, String author, String text) {
        List<Note> list = notes.get(patientId);
        if (list == null || text.isBlank() || text.length() > MAX_NOTE_CHARS) {
            return false;
        }
        if (list.size() >= MAX_NOTES_PER_PATIENT) {
            list.remove(1); // keep the migration note, drop the oldest added one
        }
        list.add(new Note(clock.instant(), author, text.strip()));
        return true;
    }

    private static List<Patient> fictionalPatients() {
        return List.of(
                new Patient("RC-1001", "Mabel Example", LocalDate.of(1938, 3, 14), "Riverside District Nursing",
                        List.of("Penicillin (rash)"),
                        List.of(new Visit(LocalDate.of(2024, 1, 9), "Nurse J. Sample", "Leg ulcer dressing"),
                                new Visit(LocalDate.of(2024, 1, 23), "Nurse J. Sample", "Leg ulcer review"))),
                new Patient("RC-1002", "Walter Placeholder", LocalDate.of(1945, 11, 2), "Memory Clinic",
                        List.of(),
                        List.of(new Visit(LocalDate.of(2023, 12, 4), "Dr A. Fictional", "Annual memory review"))),
                new Patient("RC-1003", "Priya Testworth", LocalDate.of(1961, 6, 30), "Community Diabetes Team",
                        List.of("Latex", "Elastoplast adhesive"),
                        List.of(new Visit(LocalDate.of(2024, 2, 1), "Nurse K. Demo", "Foot check"),
                                new Visit(LocalDate.of(2024, 2, 15), "Dietitian L. Mock", "Diet review"))),
                new Patient("RC-1004", "Gareth Specimen", LocalDate.of(1952, 8, 19), "Riverside District Nursing",
                        List.of("Codeine (nausea)"),
                        List.of(new Visit(LocalDate.of(2024, 1, 17), "Nurse J. Sample", "Catheter change"))),
                new Patient("RC-1005", "Olive Dummy", LocalDate.of(1930, 1, 5), "Care Home Liaison",
                        List.of(),
                        List.of(new Visit(LocalDate.of(2023, 11, 28), "Dr A. Fictional", "Falls assessment"),
                                new Visit(LocalDate.of(2024, 1, 30), "Physio R. Stand-in", "Mobility review"))));
    }
}
