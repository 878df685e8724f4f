package org.portcullis.totp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TotpVerifierTest {

    private static final TotpSecret SECRET = TotpSecret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    private static final TotpParameters DEFAULTS = TotpParameters.defaults();
    private static final TotpParameters NO_WINDOW = new TotpParameters(TotpAlgorithm.SHA1, 6, 30, 0);
    /** Step 56 666 666 starts at 1 699 999 980 s. */
    private static final long STEP = 56_666_666L;
    private static final long NONE = Long.MIN_VALUE;

    private static TotpVerifier verifierAt(long epochSeconds) {
        return new TotpVerifier(Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC));
    }

    private static long startOf(long step) {
        return step * 30;
    }

    private static String code(long step, TotpParameters parameters) {
        return TotpGenerator.codeAtStep(SECRET, parameters, step);
    }

    @Test
    void acceptsCurrentStepAtBothEdgesOfThePeriod() {
        String code = code(STEP, DEFAULTS);
        assertThat(verifierAt(startOf(STEP)).verify(SECRET, DEFAULTS, code, NONE))
                .isEqualTo(new Verification.Accepted(STEP));
        assertThat(verifierAt(startOf(STEP) + 29).verify(SECRET, DEFAULTS, code, NONE))
                .isEqualTo(new Verification.Accepted(STEP));
    }

    @Test
    void windowOneAcceptsOneStepEitherSideAndNoMore() {
        TotpVerifier verifier = verifierAt(startOf(STEP) + 10);
        assertThat(verifier.verify(SECRET, DEFAULTS, code(STEP - 1, DEFAULTS), NONE))
                .isEqualTo(new Verification.Accepted(STEP - 1));
        assertThat(verifier.verify(SECRET, DEFAULTS, code(STEP + 1, DEFAULTS), NONE))
                .isEqualTo(new Verification.Accepted(STEP + 1));
        assertThat(verifier.verify(SECRET, DEFAULTS, code(STEP - 2, DEFAULTS), NONE))
                .isEqualTo(new Verification.Rejected(Verification.Reason.WRONG_CODE));
        assertThat(verifier.verify(SECRET, DEFAULTS, code(STEP + 2, DEFAULTS), NONE))
                .isEqualTo(new Verification.Rejected(Verification.Reason.WRONG_CODE));
    }

    @Test
    void previousCodeExpiresExactlyAtTheBoundaryOfTheNextStep() {
        String code = code(STEP - 1, DEFAULTS);
        assertThat(verifierAt(startOf(STEP + 1) - 1).verify(SECRET, DEFAULTS, code, NONE).accepted()).isTrue();
        assertThat(verifierAt(startOf(STEP + 1)).verify(SECRET, DEFAULTS, code, NONE))
                .isEqualTo(new Verification.Rejected(Verification.Reason.WRONG_CODE));
    }

    @Test
    void windowZeroAcceptsOnlyTheCurrentStep() {
        TotpVerifier verifier = verifierAt(startOf(STEP) + 15);
        assertThat(verifier.verify(SECRET, NO_WINDOW, code(STEP, NO_WINDOW), NONE))
                .isEqualTo(new Verification.Accepted(STEP));
        assertThat(verifier.verify(SECRET, NO_WINDOW, code(STEP - 1, NO_WINDOW), NONE))
                .isEqualTo(new Verification.Rejected(Verification.Reason.WRONG_CODE));
        assertThat(verifier.verify(SECRET, NO_WINDOW, code(STEP + 1, NO_WINDOW), NONE))
                .isEqualTo(new Verification.Rejected(Verification.Reason.WRONG_CODE));
    }

    @Test
    void usedStepAndOlderStepsAreReplays() {
        TotpVerifier verifier = verifierAt(startOf(STEP) + 5);
        assertThat(verifier.verify(SECRET, DEFAULTS, code(STEP, DEFAULTS), STEP))
                .isEqualTo(new Verification.Rejected(Verification.Reason.REPLAY));
        assertThat(verifier.verify(SECRET, DEFAULTS, code(STEP - 1, DEFAULTS), STEP))
                .isEqualTo(new Verification.Rejected(Verification.Reason.REPLAY));
        assertThat(verifier.verify(SECRET, DEFAULTS, code(STEP + 1, DEFAULTS), STEP))
                .isEqualTo(new Verification.Accepted(STEP + 1));
    }

    @Test
    void eightDigitSha256Enrolment() {
        TotpParameters parameters = new TotpParameters(TotpAlgorithm.SHA256, 8, 60, 1);
        TotpSecret secret = TotpSecret.generate(new java.security.SecureRandom(), TotpAlgorithm.SHA256);
        long now = 1_700_000_000L;
        String code = TotpGenerator.codeAt(secret, parameters, Instant.ofEpochSecond(now));
        assertThat(code).hasSize(8);
        assertThat(verifierAt(now).verify(secret, parameters, code, NONE))
                .isEqualTo(new Verification.Accepted(now / 60));
        assertThat(verifierAt(now).verify(secret, parameters, code.substring(2), NONE))
                .isEqualTo(new Verification.Rejected(Verification.Reason.MALFORMED));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "12345",             // too short
        "1234567",           // too long
        " 12345",            // leading space
        "123 456",           // inner space
        "123456 ",           // trailing space
        "12345a",            // letter
        "+12345",            // sign
        "-12345",
        "12345\u0663",       // Arabic-Indic digit three
        "12345\uFF13",       // fullwidth digit three
        "\u0661\u0662\u0663\u0664\u0665\u0666", // six Arabic-Indic digits
        "12345\u00B3",       // superscript three
        "12345\n",
    })
    void malformedInputIsRefusedBeforeAnyComparison(String submitted) {
        assertThat(verifierAt(startOf(STEP)).verify(SECRET, DEFAULTS, submitted, NONE))
                .isEqualTo(new Verification.Rejected(Verification.Reason.MALFORMED));
    }

    @Test
    void nullIsMalformed() {
        assertThat(verifierAt(startOf(STEP)).verify(SECRET, DEFAULTS, null, NONE))
                .isEqualTo(new Verification.Rejected(Verification.Reason.MALFORMED));
    }

    @Test
    void malformedEvenWhenTheDigitsWouldBeRight() {
        String code = code(STEP, DEFAULTS);
        String fullwidth = code.chars().mapToObj(c -> String.valueOf((char) (c - '0' + '\uFF10')))
                .reduce("", String::concat);
        assertThat(verifierAt(startOf(STEP)).verify(SECRET, DEFAULTS, fullwidth, NONE))
                .isEqualTo(new Verification.Rejected(Verification.Reason.MALFORMED));
    }

    @Test
    void verifyOnceConsumesTheStep() {
        TotpVerifier verifier = verifierAt(startOf(STEP) + 1);
        StepLedger ledger = new InMemoryStepLedger();
        String code = code(STEP, DEFAULTS);
        assertThat(verifier.verifyOnce(SECRET, DEFAULTS, code, ledger, "alice", "totp-1"))
                .isEqualTo(new Verification.Accepted(STEP));
        assertThat(verifier.verifyOnce(SECRET, DEFAULTS, code, ledger, "alice", "totp-1"))
                .isEqualTo(new Verification.Rejected(Verification.Reason.REPLAY));
        // an older code inside the window is also a replay once a newer step is used
        assertThat(verifier.verifyOnce(SECRET, DEFAULTS, code(STEP - 1, DEFAULTS), ledger, "alice", "totp-1"))
                .isEqualTo(new Verification.Rejected(Verification.Reason.REPLAY));
        // the next step still works, and another user's ledger is independent
        assertThat(verifier.verifyOnce(SECRET, DEFAULTS, code(STEP + 1, DEFAULTS), ledger, "alice", "totp-1"))
                .isEqualTo(new Verification.Accepted(STEP + 1));
        assertThat(verifier.verifyOnce(SECRET, DEFAULTS, code, ledger, "bob", "totp-1"))
                .isEqualTo(new Verification.Accepted(STEP));
        assertThat(verifier.verifyOnce(SECRET, DEFAULTS, "000000".equals(code) ? "111111" : "000000", ledger,
                "carol", "totp-1")).isEqualTo(new Verification.Rejected(Verification.Reason.WRONG_CODE));
    }
}
