package org.portcullis.directory;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Missing slapd skips outside CI and fails under CI=true. */
class SlapdRequirementTest {
    private static final Optional<String> MISSING = Optional.of("missing /usr/sbin/slapd (install with: apt-get"
            + " install slapd ldap-utils)");

    @Test
    void missingSlapdSkipsOutsideCi() {
        assertThatThrownBy(() -> SlapdRequirement.require(MISSING, null)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("apt-get install slapd ldap-utils");
        assertThatThrownBy(() -> SlapdRequirement.require(MISSING, "false"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void missingSlapdFailsUnderCi() {
        assertThatThrownBy(() -> SlapdRequirement.require(MISSING, "true")).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI=true");
    }

    @Test
    void installedToolsPass() {
        assertThatCode(() -> SlapdRequirement.require(Optional.empty(), "true")).doesNotThrowAnyException();
    }
}
