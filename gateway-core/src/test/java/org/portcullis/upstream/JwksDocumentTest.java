package org.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPrivateKeySpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.config.SigningKeyPem;

/** The JWKS document, byte for byte, for a fixed P-256 key. */
class JwksDocumentTest {
    /**
     * A fixed private key and its public point, computed independently with OpenSSL (Python {@code cryptography}
     * 48: {@code ec.derive_private_key(d, ec.SECP256R1()).public_key().public_numbers()}).
     */
    static final String D = "jpsQnnGQmL-YBIffH1136cLSG6Ce9paT2AgE6Zb1xkQ";
    static final String X = "IDTUugZAA5cX6ikCa_opmSetmf_3b1fj3XaPHdBW1Wo";
    static final String Y = "Ezo9PLUmD_c0G_b9YxsAqsq3d58WTf0eikZG1ys2TRI";

    static SigningKey fixedKey() throws Exception {
        BigInteger d = new BigInteger(1, new Base64URL(D).decode());
        ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
                .generatePrivate(new ECPrivateKeySpec(d, SigningKeyPem.P256));
        return SigningKey.of(privateKey);
    }

    @Test
    void publicKeyIsDerivedFromThePrivateKeyAsOpenSslDerivesIt() throws Exception {
        SigningKey key = fixedKey();
        assertThat(key.x()).isEqualTo(X);
        assertThat(key.y()).isEqualTo(Y);
    }

    @Test
    void derivedPublicKeyIsTheOneTheJdkGeneratedWithThePrivateKey() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            assertThat(SigningKey.of((ECPrivateKey) pair.getPrivate()).publicKey().getW())
                    .isEqualTo(((ECPublicKey) pair.getPublic()).getW());
        }
    }

    @Test
    void documentIsByteExactAndStable() throws Exception {
        String kid = new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, new Base64URL(X), new Base64URL(Y)).build()
                .computeThumbprint().toString();
        String expected = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + X + "\",\"y\":\"" + Y
                + "\",\"use\":\"sig\",\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}]}";

        assertThat(fixedKey().kid()).isEqualTo(kid);
        assertThat(JwksDocument.of(fixedKey()).json()).isEqualTo(expected);
        assertThat(JwksDocument.of(fixedKey()).bytes()).isEqualTo(JwksDocument.of(fixedKey()).bytes());
        assertThat(JwksDocument.of(fixedKey()).json()).isEqualTo("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\","
                + "\"x\":\"IDTUugZAA5cX6ikCa_opmSetmf_3b1fj3XaPHdBW1Wo\","
                + "\"y\":\"Ezo9PLUmD_c0G_b9YxsAqsq3d58WTf0eikZG1ys2TRI\",\"use\":\"sig\",\"alg\":\"ES256\","
                + "\"kid\":\"_dSkvqE-llejRaGdKRgQ5b1QjZ30z2rzo0c8lg3N854\"}]}");
    }

    @Test
    void documentHoldsNoPrivatePart() throws Exception {
        JWKSet parsed = JWKSet.parse(JwksDocument.of(List.of(fixedKey(), SigningKey.generate())).json());
        assertThat(parsed.getKeys()).hasSize(2).allSatisfy(jwk -> assertThat(jwk.isPrivate()).isFalse());
        assertThat(JwksDocument.of(fixedKey()).json()).doesNotContain(D).doesNotContain("\"d\"");
    }
}
