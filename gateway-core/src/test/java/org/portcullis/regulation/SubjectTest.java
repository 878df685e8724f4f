package org.portcullis.regulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SubjectTest {

    @Test
    void ipv6AddressesOfOneSlash64AreOneSubject() throws Exception {
        Subject a = Subject.address(InetAddress.getByName("2001:db8:0:1:1234:5678:9abc:def0"));
        Subject b = Subject.address(InetAddress.getByName("2001:DB8::1:ffff:ffff:ffff:ffff"));
        assertThat(a).isEqualTo(b);
        assertThat(a.value()).isEqualTo("2001:db8:0:1::/64");
        assertThat(Subject.address(InetAddress.getByName("2001:db8:0:2::1"))).isNotEqualTo(a);
    }

    @Test
    void aLinkLocalScopeIsNotPartOfTheSubject() throws Exception {
        assertThat(Subject.address(InetAddress.getByName("fe80::1%1")).value()).isEqualTo("fe80::/64");
    }

    @Test
    void ipv4IsCountedPerAddressAndMappedIpv6AsItsIpv4() throws Exception {
        assertThat(Subject.address(InetAddress.getByName("192.0.2.10")).value()).isEqualTo("192.0.2.10");
        assertThat(Subject.address(InetAddress.getByName("192.0.2.11"))).isNotEqualTo(
                Subject.address(InetAddress.getByName("192.0.2.10")));
        // Java already folds ::ffff:a.b.c.d; build the 16 bytes by hand to check our own fold too.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[14] = 2;
        mapped[15] = 10;
        assertThat(Subject.address(java.net.Inet6Address.getByAddress(null, mapped, null)).value())
                .isEqualTo("192.0.2.10");
    }

    @Test
    void accountNamesMustAlreadyBeCanonical() {
        assertThat(Subject.account("alice").value()).isEqualTo("alice");
        assertThatThrownBy(() -> Subject.account("Alice")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("canonical");
        assertThatThrownBy(() -> Subject.account("")).isInstanceOf(IllegalArgumentException.class);
    }
}
