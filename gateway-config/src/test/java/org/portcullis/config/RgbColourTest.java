package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** WCAG 2.1 contrast ratios against values published by WebAIM's contrast checker and the WCAG understanding docs. */
class RgbColourTest {
    @ParameterizedTest
    @CsvSource({
            "#767676, 4.54",  // the lightest grey that passes AA on white
            "#777777, 4.48",  // one step lighter: fails
            "#000000, 21.0",
            "#ffffff, 1.0",
            "#005eb8, 6.38",
            "#0000ff, 8.59",
            "#ff0000, 4.00",
    })
    void contrastWithWhiteMatchesWcag(String hex, double expected) {
        RgbColour colour = RgbColour.parse(hex).orElseThrow();
        assertThat(colour.contrastWith(RgbColour.WHITE)).isCloseTo(expected, within(0.005));
        assertThat(RgbColour.WHITE.contrastWith(colour)).isEqualTo(colour.contrastWith(RgbColour.WHITE));
    }

    @Test
    void passesAaExactlyFrom767676() {
        assertThat(RgbColour.parse("#767676").orElseThrow().contrastWith(RgbColour.WHITE))
                .isGreaterThanOrEqualTo(RgbColour.AA_NORMAL_TEXT);
        assertThat(RgbColour.parse("#777777").orElseThrow().contrastWith(RgbColour.WHITE))
                .isLessThan(RgbColour.AA_NORMAL_TEXT);
    }

    @Test
    void parsesEitherCaseAndPrintsLowerCase() {
        assertThat(RgbColour.parse("#00AbCd")).hasValueSatisfying(c -> {
            assertThat(c).isEqualTo(new RgbColour(0x00, 0xab, 0xcd));
            assertThat(c.hex()).isEqualTo("#00abcd");
        });
    }

    @Test
    void refusesAnythingButSixHexDigits() {
        assertThat(RgbColour.parse("#abc")).isEmpty();
        assertThat(RgbColour.parse("#abcdef;}")).isEmpty();
        assertThat(RgbColour.parse("abcdef")).isEmpty();
        assertThat(RgbColour.parse("#+bcdef")).isEmpty();
        assertThat(RgbColour.parse(null)).isEmpty();
    }

    @Test
    void roundsRatiosDownForMessages() {
        assertThat(PortalValidator.roundedDown(4.4999)).isEqualTo("4.49");
        assertThat(PortalValidator.roundedDown(4.478)).isEqualTo("4.47");
    }
}
