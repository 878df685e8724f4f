package org.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @Test
    void parsesUnitsInOrder() {
        assertThat(DurationText.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(DurationText.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(DurationText.parse("0s")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "15", "m", "15 m", "-5m", "30m1h", "1.5h", "15min", "PT15M"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> DurationText.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration");
    }

    @Test
    void formatsCompactly() {
        assertThat(DurationText.format(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(DurationText.format(Duration.ofDays(1).plusSeconds(5))).isEqualTo("24h5s");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0s");
    }
}
