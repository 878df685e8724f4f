package org.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogTest {
    @Test
    void escapesAnythingThatCouldForgeALine() {
        assertThat(AccessLog.escape("a\nINFO forged")).isEqualTo("a\\x0aINFO\\x20forged");
        assertThat(AccessLog.escape("q\"\\\r\u007f")).isEqualTo("q\\x22\\x5c\\x0d\\x7f");
        assertThat(AccessLog.escape("plain/path")).isEqualTo("plain/path");
        assertThat(AccessLog.escape(null)).isEqualTo("-");
    }
}
