package org.portcullis.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Secrets, parameters, the otpauth URI and the manual key: what the enrolment page shows. */
class EnrolmentTest {

    private static final TotpSecret SECRET = TotpSecret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

    @ParameterizedTest
    @CsvSource({"SHA1, 160", "SHA256, 256", "SHA512, 512"})
    void generatedSecretSizes(TotpAlgorithm algorithm, int bits) {
        SecureRandom random = new SecureRandom();
        TotpSecret first = TotpSecret.generate(random, algorithm);
        assertThat(first.length() * 8).isEqualTo(bits);
        assertThat(first.base32()).hasSize((bits + 4) / 5).doesNotContain("=");
        assertThat(TotpSecret.generate(random, algorithm)).isNotEqualTo(first);
    }

    @Test
    void secretIsRedactedAndCopied() {
        assertThat(SECRET.toString()).isEqualTo("TotpSecret[160 bits, ██]").doesNotContain(SECRET.base32());
        byte[] bytes = SECRET.bytes();
        bytes[0] ^= 1;
        assertThat(SECRET.bytes()).isNotEqualTo(bytes);
        assertThatThrownBy(() -> TotpSecret.of(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultsAreWhatAuthenticatorAppsExpect() {
        assertThat(TotpParameters.defaults())
                .isEqualTo(new TotpParameters(TotpAlgorithm.SHA1, 6, 30, 1));
    }

    @ParameterizedTest
    @CsvSource({"7, 30, 1", "5, 30, 1", "6, 14, 1", "6, 121, 1", "6, 30, 2", "6, 30, -1"})
    void parametersOutsideTheAllowedRangesAreRejected(int digits, int period, int window) {
        assertThatThrownBy(() -> new TotpParameters(TotpAlgorithm.SHA1, digits, period, window))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otpAuthUriExactString() {
        assertThat(OtpAuthUri.build("Portcullis", "alice@example.org", SECRET, TotpParameters.defaults()))
                .isEqualTo("otpauth://totp/Portcullis:alice%40example.org"
                        + "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Portcullis"
                        + "&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void otpAuthUriPercentEncodesIssuerAndAccount() {
        TotpParameters parameters = new TotpParameters(TotpAlgorithm.SHA512, 8, 60, 0);
        assertThat(OtpAuthUri.build("St Mary's & Co", "jürgen müller", SECRET, parameters))
                .isEqualTo("otpauth://totp/St%20Mary%27s%20%26%20Co:j%C3%BCrgen%20m%C3%BCller"
                        + "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=St%20Mary%27s%20%26%20Co"
                        + "&algorithm=SHA512&digits=8&period=60");
    }

    @Test
    void otpAuthUriRefusesColonsAndBlanks() {
        TotpParameters parameters = TotpParameters.defaults();
        assertThatThrownBy(() -> OtpAuthUri.build("Evil:Bank", "alice", SECRET, parameters))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OtpAuthUri.build("Portcullis", "a:b", SECRET, parameters))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OtpAuthUri.build(" ", "alice", SECRET, parameters))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manualKeyInGroupsOfFour() {
        assertThat(ManualKey.format(SECRET)).isEqualTo("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
        TotpSecret sha256 = TotpSecret.of(new byte[32]);
        // 52 characters: 13 groups of four
        assertThat(ManualKey.format(sha256)).isEqualTo(("AAAA ".repeat(13)).strip());
        TotpSecret seventeen = TotpSecret.of(new byte[17]);
        // 28 characters: seven groups of four; 17 bytes -> 28 chars
        assertThat(ManualKey.format(seventeen).split(" ")).hasSize(7).allMatch(g -> g.length() == 4);
        TotpSecret odd = TotpSecret.of(new byte[18]);
        // 29 characters: the last group is shorter
        assertThat(ManualKey.format(odd)).endsWith(" A").hasSize(29 + 7);
    }
}
