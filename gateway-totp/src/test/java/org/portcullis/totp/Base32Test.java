package org.portcullis.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base32Test {

    /** RFC 4648 §10 test vectors. */
    @ParameterizedTest
    @CsvSource(value = {
        "'',''",
        "f,MY======",
        "fo,MZXQ====",
        "foo,MZXW6===",
        "foob,MZXW6YQ=",
        "fooba,MZXW6YTB",
        "foobar,MZXW6YTBOI======",
    })
    void rfc4648Vectors(String plain, String encoded) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        assertThat(Base32.encode(bytes)).isEqualTo(encoded);
        assertThat(Base32.decode(encoded)).isEqualTo(bytes);
        String unpadded = encoded.replace("=", "");
        assertThat(Base32.encodeUnpadded(bytes)).isEqualTo(unpadded);
        assertThat(Base32.decode(unpadded)).isEqualTo(bytes);
    }

    @Test
    void roundTripsRandomBytesOfEveryLength() {
        Random random = new Random(6238);
        for (int length = 0; length < 70; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            assertThat(Base32.decode(Base32.encode(bytes))).isEqualTo(bytes);
            assertThat(Base32.decode(Base32.encodeUnpadded(bytes))).isEqualTo(bytes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "my======",          // lower case
        "MZXW6YTB1",         // '1' is not in the alphabet (nor 0, 8, 9)
        "MZXW 6YTB",         // space
        "MZXW6YTB\n",        // newline
        "MZ=XW6YT",          // padding in the middle
        "MY=====",           // padded but not a multiple of 8
        "M",                 // 1 char cannot hold a byte
        "MZX",               // 3 chars: impossible length
        "MZXW6Y",            // 6 chars: impossible length
        "MZ",                // 'Z' leaves non-zero trailing bits (canonical is MY)
        "MZXW6YTB\u0661",    // Arabic-Indic digit
    })
    void rejectsInvalidInput(String text) {
        assertThatThrownBy(() -> Base32.decode(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorNamesPositionNotValue() {
        assertThatThrownBy(() -> Base32.decode("SECRETSx"))
                .hasMessage("Base32: invalid character code 120 at index 7")
                .hasMessageNotContaining("SECRET");
    }
}
