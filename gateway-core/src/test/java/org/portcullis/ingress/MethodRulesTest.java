package org.portcullis.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MethodRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND", "MKCOL",
            "VERSION-CONTROL", "RPC_IN_DATA"})
    void acceptsUpperCaseTokens(String method) {
        assertThatCode(() -> MethodRules.check(method)).doesNotThrowAnyException();
    }

    static Stream<Arguments> rejectedMethods() {
        return Stream.of(
                arguments("CONNECT", RejectReason.CONNECT_METHOD),   // never a tunnel
                arguments("TRACE", RejectReason.TRACE_METHOD),       // cross-site tracing
                arguments("TRACK", RejectReason.TRACE_METHOD),       // IIS's TRACE
                arguments("get", RejectReason.INVALID_METHOD),       // lower case
                arguments("Get", RejectReason.INVALID_METHOD),       // mixed case
                arguments("connect", RejectReason.INVALID_METHOD),   // lower-case CONNECT
                arguments("GE T", RejectReason.INVALID_METHOD),      // space
                arguments("GET(", RejectReason.INVALID_METHOD),      // separator
                arguments("", RejectReason.INVALID_METHOD),          // empty
                arguments("A".repeat(33), RejectReason.INVALID_METHOD)); // overlong
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rejectedMethods")
    void rejectsMethods(String method, RejectReason reason) {
        assertThatThrownBy(() -> MethodRules.check(method))
                .isInstanceOfSatisfying(IngressRejection.class, e -> assertThat(e.reason()).isEqualTo(reason));
        assertThat(reason.status()).isIn(400, 405);
    }
}
