package org.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portcullis.config.PasswordHash;

class PasswordHasherTest {
    static final Argon2Parameters TINY = new Argon2Parameters(64, 1, 1);

    private final PasswordHasher hasher = new PasswordHasher(TINY);

    @Test
    void hashIsAnArgon2idPhcStringWithSixteenByteSaltAndThirtyTwoByteHash() {
        String phc = hasher.hash("correct horse".toCharArray());

        assertThat(phc).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        PasswordHash parsed = PasswordHash.parse(phc).hash();
        assertThat(parsed.salt()).hasSize(16);
        assertThat(parsed.hash()).hasSize(32);
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        String phc = hasher.hash("correct horse".toCharArray());

        assertThat(hasher.verify("correct horse".toCharArray(), phc)).isTrue();
        assertThat(hasher.verify("correct hors".toCharArray(), phc)).isFalse();
        assertThat(hasher.verify("Correct horse".toCharArray(), phc)).isFalse();
        assertThat(hasher.verify(new char[0], phc)).isFalse();
    }

    @Test
    void samePasswordGetsAFreshSaltEachTime() {
        assertThat(hasher.hash("correct horse".toCharArray())).isNotEqualTo(hasher.hash("correct horse".toCharArray()));
    }

    @Test
    void aMalformedHashNeverVerifies() {
        assertThat(hasher.verify("x".toCharArray(), "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$")).isFalse();
    }

    /** Hashes made by the reference implementation ({@code argon2} CLI 20190702, Debian) verify here. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // echo -n "correct horse" | argon2 saltsaltsaltsalt -id -t 1 -k 64 -p 1 -l 32 -e
        "correct horse|$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$rAjuexKlLdAHLvqk7TeeiWZjW4OPoRGwldJXdHbTuKI",
        // same with t=2, 256 KiB and two lanes
        "correct horse|$argon2id$v=19$m=256,t=2,p=2$c2FsdHNhbHRzYWx0c2FsdA$Z1plu/WheYBWDgKhQYl1V5chWQ5E+M5OvriDp8j2vGU",
        // non-ASCII password: UTF-8 bytes
        "p\u00e4ssw\u00f6rd|$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
    })
    void verifiesHashesOfTheReferenceImplementation(String password, String phc) {
        assertThat(hasher.verify(password.toCharArray(), phc)).isTrue();
        assertThat(hasher.verify((password + "!").toCharArray(), phc)).isFalse();
    }

    @Test
    void decomposedAccentsAreTheSamePasswordAsComposedOnes() {
        // "ä" typed as a + U+0308 (macOS input) is the password hashed above as U+00E4 (NIST 800-63B: NFKC).
        String phc = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM";
        assertThat(hasher.verify("pa\u0308sswo\u0308rd".toCharArray(), phc)).isTrue();
    }

    @Test
    void callerPasswordIsLeftIntact() {
        char[] password = "correct horse".toCharArray();
        String phc = hasher.hash(password);
        assertThat(password).containsExactly("correct horse".toCharArray());
        assertThat(hasher.verify(password, phc)).isTrue();
    }

    @Test
    void defaultsAreAtLeastTheOwaspMinimum() {
        Argon2Parameters defaults = Argon2Parameters.defaults();
        assertThat(defaults.meetsMinimumCost()).isTrue();
        assertThat(defaults.memoryKib()).isGreaterThanOrEqualTo(19456);
        assertThat(defaults.iterations()).isGreaterThanOrEqualTo(2);
        assertThat(defaults.parallelism()).isGreaterThanOrEqualTo(1);
        assertThat(new Argon2Parameters(19456, 1, 1).meetsMinimumCost()).isFalse();
    }
}
