package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.config.ConfigFiles.MINIMAL;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code remote_desktops} section (issue 16): the records it builds, and each refusal with FILE:LINE. */
class RemoteDesktopConfigTest {
    @TempDir
    Path dir;

    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir).withSuffix(WebAuthnConfigTest.PORTAL + PortalConfigTest.SIGN_IN);
        files.write("users.yaml", "users: []\n");
    }

    @Test
    void aDesktopWithDefaults() throws Exception {
        GatewayConfig config = files.load(MINIMAL + """
                remote_desktops:
                  - name: ward-pc
                    address: 10.0.0.5:3389
                    groups: [clinicians]
                    subjects: [user:alice]
                    idle_timeout: 15m
                    consent: Use for patient care only.
                """).config();
        RemoteDesktopConfig desktop = config.remoteDesktops().get(0);
        assertThat(desktop.name()).isEqualTo("ward-pc");
        assertThat(desktop.address()).isEqualTo(new HostPort("10.0.0.5", 3389));
        assertThat(desktop.portalHost()).isEqualTo("login.example.org");
        assertThat(desktop.maxDuration()).isEqualTo(Duration.ofHours(8));
        assertThat(desktop.idleTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(desktop.consent()).isEqualTo("Use for patient care only.");
        assertThat(desktop.allows("ALICE", Set.of())).isTrue();
        assertThat(desktop.allows("bob", Set.of("Clinicians"))).isTrue();
        assertThat(desktop.allows("bob", Set.of("admins"))).isFalse();
        assertThat(files.load(MINIMAL).config().remoteDesktops()).isEmpty();
    }

    @Test
    void aWeakerPolicyThanTwoFactorIsRefused() {
        for (String weak : new String[] {"one_factor", "bypass", "deny"}) {
            assertThat(files.onlyError(MINIMAL + """
                    remote_desktops:
                      - name: ward-pc
                        address: 10.0.0.5:3389
                        groups: [clinicians]
                        policy: %s
                    """.formatted(weak))).isEqualTo(files.at(8, "remote_desktops[0].policy: '" + weak
                    + "' is too weak for a remote desktop (allowed: two_factor; a desktop always needs two factors)"));
        }
    }

    @Test
    void nobodyAllowedAddressAndPortalHostAreChecked() {
        assertThat(files.errors(MINIMAL + """
                remote_desktops:
                  - name: ward-pc
                    address: 10.0.0.5
                    portal_host: other.example.org
                """)).containsExactly(
                files.at(5, "remote_desktops[0]: a remote desktop needs 'subjects' or 'groups' (who may open it;"
                        + " nobody by default)"),
                files.at(6, "remote_desktops[0].address: '10.0.0.5' is not the address of a remote desktop (allowed:"
                        + " HOST:PORT, e.g. 10.0.0.5:3389)"),
                files.at(7, "remote_desktops[0].portal_host: 'other.example.org' is not the portal's host (allowed:"
                        + " login.example.org: desktops are published on the portal's host only)"));
    }

    @Test
    void duplicateNamesAndMissingPortal() {
        assertThat(files.onlyError(MINIMAL + """
                remote_desktops:
                  - {name: a, address: "h:1", groups: [g]}
                  - {name: a, address: "h:2", groups: [g]}
                """)).isEqualTo(files.at(6, "remote_desktops[1].name: 'a' is already used by remote_desktops[0].name"));
        ConfigFiles bare = new ConfigFiles(dir);
        assertThat(bare.errors(MINIMAL + "remote_desktops:\n  - {name: a, address: \"h:1\", groups: [g]}\n"))
                .contains(bare.at(4, "remote_desktops: remote desktops need a 'portal' section (allowed: add portal,"
                        + " or remove remote_desktops)"));
    }
}
