package org.portcullis.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portcullis.fixtures.TestCertificates;

/** The directory certificate's names against the configured host: no lookups, one wildcard label at most. */
class CertificateNameVerifierTest {
    @TempDir
    Path dir;

    @Test
    void theTestCertificateNamesOnlyWhatItHolds() {
        X509Certificate certificate = TestCertificates.create(dir).certificate(); // localhost, *.test, 127.0.0.1
        assertThat(CertificateNameVerifier.names(certificate, "localhost")).isTrue();
        assertThat(CertificateNameVerifier.names(certificate, "LOCALHOST.")).isTrue();
        assertThat(CertificateNameVerifier.names(certificate, "dc1.test")).as("no wildcard over a top-level name")
                .isFalse();
        assertThat(CertificateNameVerifier.names(certificate, "127.0.0.1")).isTrue();
        assertThat(CertificateNameVerifier.names(certificate, "127.0.0.2")).isFalse();
        assertThat(CertificateNameVerifier.names(certificate, "a.b.test")).isFalse();
        assertThat(CertificateNameVerifier.names(certificate, "test")).isFalse();
        assertThat(CertificateNameVerifier.names(certificate, "localhost.evil.example")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "dc1.corp.example, dc1.corp.example, true",
            "*.corp.example, dc1.corp.example, true",
            "*.corp.example, a.dc1.corp.example, false",
            "*.corp.example, corp.example, false",
            "*.example, corp.example, false",
            "*.*.example, a.b.example, false",
            "dc1.corp.example, dc2.corp.example, false",
    })
    void wildcardsStandForExactlyOneLeftmostLabel(String pattern, String host, boolean matches) {
        assertThat(CertificateNameVerifier.dnsMatches(pattern, host)).isEqualTo(matches);
    }
}
