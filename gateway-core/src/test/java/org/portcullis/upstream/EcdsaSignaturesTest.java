package org.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DER to JWS {@code r || s}, checked against the JDK's own IEEE P1363 (r || s) verifier. */
class EcdsaSignaturesTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyConvertedSignatureVerifiesInP1363Form() throws Exception {
        SigningKey key = SigningKey.generate();
        byte[] message = "header.payload".getBytes(StandardCharsets.US_ASCII);
        int stripped = 0;
        for (int i = 0; i < 300; i++) {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key.privateKey());
            signer.update(message);
            byte[] der = signer.sign();
            byte[] jose = EcdsaSignatures.derToJose(der);
            assertThat(jose).hasSize(64);
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(key.publicKey());
            verifier.update(message);
            assertThat(verifier.verify(jose)).isTrue();
            stripped += der[3] == 33 ? 1 : 0;
        }
        assertThat(stripped).as("some r had a leading 0x00 to strip").isPositive();
    }

    @Test
    void leadingZeroIsStrippedAndShortIntegersArePadded() {
        byte[] r = new byte[32];
        Arrays.fill(r, (byte) 0x81);
        byte[] s = new byte[30];
        Arrays.fill(s, (byte) 0x11);
        // SEQUENCE { INTEGER 00 81..81 (33 bytes), INTEGER 11..11 (30 bytes) }
        byte[] der = HEX.parseHex("3043" + "0221" + "00" + HEX.formatHex(r) + "021e" + HEX.formatHex(s));
        byte[] jose = EcdsaSignatures.derToJose(der);
        assertThat(Arrays.copyOfRange(jose, 0, 32)).isEqualTo(r);
        assertThat(Arrays.copyOfRange(jose, 32, 34)).isEqualTo(new byte[2]);
        assertThat(Arrays.copyOfRange(jose, 34, 64)).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                                  // nothing
            "3106020101020101",                  // SET, not SEQUENCE
            "3006020101020101ff",                // trailing byte
            "3007020101020101",                  // sequence length too long
            "3006030101020101",                  // BIT STRING, not INTEGER
            "3006020181020101",                  // negative r
            "30050201010201",                    // truncated s
            "3004020101020100" + "",             // lengths disagree
            "30820006020101020101",              // long length form
            "308106020101020101",                // long form where DER demands the short one
            "3025" + "022101" + "0000000000000000000000000000000000000000000000000000000000000000" + "020101"
            // r of 33 significant bytes
    })
    void malformedDerIsRefused(String hex) {
        assertThatThrownBy(() -> EcdsaSignatures.derToJose(HEX.parseHex(hex)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("EcdsaSignatures: malformed");
    }
}
