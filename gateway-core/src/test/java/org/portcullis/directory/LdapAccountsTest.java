package org.portcullis.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Active Directory's in-chain group lookup cannot run against OpenLDAP (no such matching rule), so what it sends is
 * checked here: the user's DN is an assertion value of the extensible match, escaped, never filter syntax.
 */
class LdapAccountsTest {
    @Test
    void theInChainFilterNamesTheMatchingRuleAndEscapesTheDn() {
        assertThat(LdapAccounts.inChainFilter("CN=Carol,OU=Staff,DC=corp,DC=example").toString())
                .isEqualTo("(member:1.2.840.113556.1.4.1941:=CN=Carol,OU=Staff,DC=corp,DC=example)");
        assertThat(LdapAccounts.inChainFilter("CN=O*Brien (Ward 7)\\,x,OU=Staff").toString())
                .isEqualTo("(member:1.2.840.113556.1.4.1941:=CN=O\\2aBrien \\28Ward 7\\29\\5c,x,OU=Staff)");
    }
}
