package org.portcullis.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.GatewayConfig;
import org.portcullis.fixtures.TestCertificates;
import org.portcullis.portal.guard.ReturnTargetPolicy;
import org.portcullis.portal.guard.ReturnTargetRefusal;
import org.portcullis.portal.guard.ReturnTargetVerdict;
import org.portcullis.snapshot.PortalSite;

/**
 * The ports an {@code rd} may name, as {@code run} builds them: {@link PortalSite#of} from a config file with a TLS
 * listener on 8443 and a plain loopback listener on 8080. Only the TLS listener's port and {@code portal.url}'s own
 * port serve the https portal's targets; 443 is not assumed, and a plain listener's port is no https origin.
 */
class PortalSiteReturnPortsTest {
    @TempDir
    Path dir;

    private ReturnTargetPolicy policyFor(String portalUrl) throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        Files.writeString(dir.resolve("users.yaml"),
                "users:\n  - username: alice\n    password: \"$argon2id$v=19$m=19456,t=2,p=1$"
                        + "c29tZXNhbHRzb21lc2FsdA$dGhpcyBpcyBub3QgYSByZWFsIGhhc2ggYXQgYWxsISE\"\n");
        Path file = dir.resolve("portcullis.yaml");
        Files.writeString(file, """
                server:
                  listeners:
                    - address: 0.0.0.0:8443
                      tls:
                        certificate: %s
                        private_key: %s
                    - address: 127.0.0.1:8080
                portal:
                  url: %s
                storage:
                  data_dir: %s
                  encryption_key: '%s'
                users:
                  file: %s
                routes:
                  - name: app
                    host: app.test
                    upstream: http://127.0.0.1:9000
                """.formatted(certs.certificateChainPem(), certs.privateKeyPem(), portalUrl, dir.resolve("data"),
                "00".repeat(32), dir.resolve("users.yaml")));
        GatewayConfig config = new ConfigLoader().load(file).config();
        return PortalSite.of(config, new SecureRandom()).returnTargets();
    }

    @Test
    void onlyTheTlsListenersPortAndThePortalsOwnAreReturnTargets() throws Exception {
        ReturnTargetPolicy policy = policyFor("https://login.test:8443");

        assertThat(policy.check("https://app.test:8443/x")).isInstanceOf(ReturnTargetVerdict.Accepted.class);
        // 443: no listener, and the portal is not there either
        assertThat(policy.check("https://app.test/x")).isEqualTo(
                new ReturnTargetVerdict.Refused(ReturnTargetRefusal.PORT_NOT_ALLOWED));
        assertThat(policy.check("https://app.test:443/x")).isEqualTo(
                new ReturnTargetVerdict.Refused(ReturnTargetRefusal.PORT_NOT_ALLOWED));
        // the plain listener's port serves http, not https
        assertThat(policy.check("https://app.test:8080/x")).isEqualTo(
                new ReturnTargetVerdict.Refused(ReturnTargetRefusal.PORT_NOT_ALLOWED));
    }

    @Test
    void thePortalsOwnDefaultPortCountsWhenPortalUrlNamesIt() throws Exception {
        // portal.url without a port: the operator says browsers reach the gateway on 443 (a port forward to 8443).
        ReturnTargetPolicy policy = policyFor("https://login.test");

        assertThat(policy.check("https://app.test/x")).isInstanceOf(ReturnTargetVerdict.Accepted.class);
        assertThat(policy.check("https://app.test:8443/x")).isInstanceOf(ReturnTargetVerdict.Accepted.class);
        assertThat(policy.check("https://app.test:8080/x")).isEqualTo(
                new ReturnTargetVerdict.Refused(ReturnTargetRefusal.PORT_NOT_ALLOWED));
    }
}
