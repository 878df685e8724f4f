package org.portcullis.totp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpGeneratorTest {

    private static final String SEED_SHA1 = "12345678901234567890";
    private static final String SEED_SHA256 = "12345678901234567890123456789012";
    private static final String SEED_SHA512 = "1234567890123456789012345678901234567890123456789012345678901234";

    /** RFC 6238 Appendix B: 8 digits, 30 s, the ASCII seeds above. */
    @ParameterizedTest
    @CsvSource({
        "59,          94287082, 46119246, 90693936",
        "1111111109,  07081804, 68084774, 25091201",
        "1111111111,  14050471, 67062674, 99943326",
        "1234567890,  89005924, 91819424, 93441116",
        "2000000000,  69279037, 90698825, 38618901",
        "20000000000, 65353130, 77737706, 47863826",
    })
    void rfc6238AppendixB(long epochSeconds, String sha1, String sha256, String sha512) {
        Instant time = Instant.ofEpochSecond(epochSeconds);
        assertThat(code(SEED_SHA1, TotpAlgorithm.SHA1, time)).isEqualTo(sha1);
        assertThat(code(SEED_SHA256, TotpAlgorithm.SHA256, time)).isEqualTo(sha256);
        assertThat(code(SEED_SHA512, TotpAlgorithm.SHA512, time)).isEqualTo(sha512);
    }

    @ParameterizedTest
    @CsvSource({"59, 1", "60, 2", "1111111109, 37037036", "1111111111, 37037037"})
    void stepIsFloorOfTimeOverPeriod(long epochSeconds, long step) {
        assertThat(TotpGenerator.stepOf(Instant.ofEpochSecond(epochSeconds), TotpParameters.defaults()))
                .isEqualTo(step);
    }

    private static String code(String seed, TotpAlgorithm algorithm, Instant time) {
        TotpParameters parameters = new TotpParameters(algorithm, 8, 30, 1);
        TotpSecret secret = TotpSecret.of(seed.getBytes(StandardCharsets.US_ASCII));
        String atInstant = TotpGenerator.codeAt(secret, parameters, time);
        assertThat(TotpGenerator.codeAtStep(secret, parameters, TotpGenerator.stepOf(time, parameters)))
                .isEqualTo(atInstant);
        return atInstant;
    }
}
