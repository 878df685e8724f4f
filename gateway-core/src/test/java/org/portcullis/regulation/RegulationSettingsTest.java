package org.portcullis.regulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegulationSettingsTest {

    @Test
    void defaultsAreFiveInFiveMinutesFifteenMinutesLockAndAHundredConsecutive() {
        assertThat(RegulationSettings.defaults()).isEqualTo(
                new RegulationSettings(5, Duration.ofMinutes(5), Duration.ofMinutes(15), 100));
        assertThat(FailureLimit.addressDefaults()).isEqualTo(
                new FailureLimit(20, Duration.ofMinutes(5), Duration.ofMinutes(15)));
    }

    @Test
    void moreThanAHundredConsecutiveFailuresCannotBeConfigured() {
        assertThatThrownBy(() -> new RegulationSettings(5, Duration.ofMinutes(5), Duration.ofMinutes(15), 101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NIST");
    }

    @Test
    void nonsenseLimitsAreRefused() {
        Duration five = Duration.ofMinutes(5);
        assertThatThrownBy(() -> new RegulationSettings(0, five, five, 100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegulationSettings(11, five, five, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConsecutiveFailures");
        assertThatThrownBy(() -> new RegulationSettings(5, Duration.ZERO, five, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> new FailureLimit(5, five, five.negated()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockout");
    }
}
