package org.portcullis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CareRecordsTest {

    private final CareRecords records =
            new CareRecords(Clock.fixed(Instant.parse("2024-03-01T09:30:00Z"), ZoneOffset.UTC));

    @Test
    void notesPerPatientAreBoundedAndKeepTheMigrationNote() {
        for (int i = 0; i < CareRecords.MAX_NOTES_PER_PATIENT + 50; i++) {
            assertThat(records.addNote("RC-1001", "u", "note " + i)).isTrue();
        }

        assertThat(records.notes("RC-1001")).hasSize(CareRecords.MAX_NOTES_PER_PATIENT);
        assertThat(records.notes("RC-1001").get(0).author()).isEqualTo("records.migration");
        assertThat(records.notes("RC-1001").get(CareRecords.MAX_NOTES_PER_PATIENT - 1).text()).isEqualTo("note 149");
    }

    @Test
    void unknownPatientTakesNoNotes() {
        assertThat(records.addNote("RC-0000", "u", "x")).isFalse();
        assertThat(records.notes("RC-0000")).isEmpty();
    }
}
