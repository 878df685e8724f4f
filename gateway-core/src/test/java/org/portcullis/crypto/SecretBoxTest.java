package org.portcullis.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final String ALICE = "totp|alice|cred-1";

    private final EncryptionKey key = EncryptionKey.generate();
    private final SecretBox box = new SecretBox(key);

    @Test
    void roundTripWithAFreshNonceEachTime() {
        String first = box.seal(SECRET, ALICE);
        String second = box.seal(SECRET, ALICE);

        assertThat(first).startsWith("v1:" + key.id() + ":").isNotEqualTo(second);
        assertThat(first).doesNotContain(new String(SECRET, StandardCharsets.US_ASCII));
        assertThat(box.open(first, ALICE)).isEqualTo(SECRET);
        assertThat(box.open(second, ALICE)).isEqualTo(SECRET);
        byte[] data = Base64.getUrlDecoder().decode(first.substring(("v1:" + key.id() + ":").length()));
        assertThat(data).hasSize(SecretBox.NONCE_BYTES + SECRET.length + SecretBox.TAG_BITS / 8);
    }

    @Test
    void everyChangedByteOfNonceCiphertextOrTagIsRefused() {
        String envelope = box.seal(SECRET, ALICE);
        String header = envelope.substring(0, envelope.lastIndexOf(':') + 1);
        byte[] data = Base64.getUrlDecoder().decode(envelope.substring(header.length()));
        for (int i = 0; i < data.length; i++) {
            byte[] tampered = data.clone();
            tampered[i] ^= 0x01;
            String changed = header + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThatThrownBy(() -> box.open(changed, ALICE))
                    .isInstanceOf(SecretBoxException.class)
                    .extracting(e -> ((SecretBoxException) e).reason())
                    .isEqualTo(SecretBoxException.Reason.NOT_AUTHENTIC);
        }
    }

    @Test
    void truncatedTagIsRefused() {
        String envelope = box.seal(SECRET, ALICE);
        assertThatThrownBy(() -> box.open(envelope.substring(0, envelope.length() - 4), ALICE))
                .isInstanceOf(SecretBoxException.class);
    }

    @Test
    void anotherContextDoesNotOpenIt() {
        String envelope = box.seal(SECRET, ALICE);

        assertThatThrownBy(() -> box.open(envelope, "totp|bob|cred-1"))
                .isInstanceOf(SecretBoxException.class)
                .hasMessageContaining("altered or belongs to another row");
        assertThatThrownBy(() -> box.open(envelope, "totp|alice|cred-2")).isInstanceOf(SecretBoxException.class);
    }

    @Test
    void wrongKeyIsReportedWithBothKeyIds() {
        String envelope = box.seal(SECRET, ALICE);
        SecretBox other = new SecretBox(EncryptionKey.generate());

        assertThatThrownBy(() -> other.open(envelope, ALICE))
                .isInstanceOf(SecretBoxException.class)
                .hasMessageContaining("encrypted under key " + key.id())
                .hasMessageContaining("configured storage.encryption_key is " + other.keyId())
                .extracting(e -> ((SecretBoxException) e).reason())
                .isEqualTo(SecretBoxException.Reason.WRONG_KEY);
    }

    @Test
    void aForgedKeyIdInTheHeaderDoesNotHelp() {
        SecretBox other = new SecretBox(EncryptionKey.generate());
        String envelope = other.seal(SECRET, ALICE);
        String relabelled = "v1:" + key.id() + envelope.substring(("v1:" + other.keyId()).length());

        assertThatThrownBy(() -> box.open(relabelled, ALICE))
                .extracting(e -> ((SecretBoxException) e).reason())
                .isEqualTo(SecretBoxException.Reason.NOT_AUTHENTIC);
    }

    @Test
    void malformedEnvelopesAreRefusedWithoutQuotingThem() {
        String[] malformed = {"", "v2:00000000:AAAA", "v1:xyz", "v1:0000000g:AAAA", "v1:" + key.id() + ":!!"};
        for (String bad : malformed) {
            assertThatThrownBy(() -> box.open(bad, ALICE))
                    .isInstanceOf(SecretBoxException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("!!"));
        }
    }

    @Test
    void keysParseFromBase64AndHexAndErrorsNeverShowTheKey() {
        byte[] raw = new byte[32];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 7 + 3);
        }
        String hex = HexFormat.of().formatHex(raw);
        EncryptionKey fromHex = EncryptionKey.parse(hex);
        EncryptionKey fromBase64 = EncryptionKey.parse(" " + Base64.getEncoder().encodeToString(raw) + "\n");
        EncryptionKey fromBase64Url = EncryptionKey.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));

        assertThat(fromHex.sameKeyAs(fromBase64)).isTrue();
        assertThat(fromBase64Url.id()).isEqualTo(fromHex.id()).hasSize(8);
        assertThat(fromHex.toString()).isEqualTo("EncryptionKey[id=" + fromHex.id() + "]").doesNotContain(hex);
        assertThat(EncryptionKey.parse(fromHex.revealBase64()).sameKeyAs(fromHex)).isTrue();

        String tooShort = hex.substring(0, 62);
        assertThatThrownBy(() -> EncryptionKey.parse(tooShort))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(tooShort.substring(0, 16)));
        String notBase64 = "s3cr3t-passw0rd?*";
        assertThatThrownBy(() -> EncryptionKey.parse(notBase64))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t").doesNotContain("?"));
        assertThatThrownBy(() -> EncryptionKey.parse("  ")).hasMessageContaining("empty");
    }
}
