package org.portcullis.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestTargetParserTest {

    static Stream<Arguments> targets() {
        return Stream.of(
                arguments("/a/b", new RequestTarget(null, null, "/a/b", null)),                  // origin-form
                arguments("/a?x=1", new RequestTarget(null, null, "/a", "x=1")),                 // query split
                arguments("/a?", new RequestTarget(null, null, "/a", "")),                       // empty query kept
                arguments("/admin?x=/../", new RequestTarget(null, null, "/admin", "x=/../")),   // query never part of path
                arguments("/a?b?c", new RequestTarget(null, null, "/a", "b?c")),                 // split at first '?'
                arguments("/a?q=%2F%00", new RequestTarget(null, null, "/a", "q=%2F%00")),       // query kept raw
                arguments("http://example.org/a?q", new RequestTarget("http", "example.org", "/a", "q")), // absolute
                arguments("HTTPS://Example.org:8443/a", new RequestTarget("https", "Example.org:8443", "/a", null)),
                arguments("http://example.org", new RequestTarget("http", "example.org", "/", null)),   // empty path
                arguments("http://example.org?q=1", new RequestTarget("http", "example.org", "/", "q=1"))); // query only
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void splitsTargets(String raw, RequestTarget expected) throws IngressRejection {
        assertThat(RequestTargetParser.parse(raw)).isEqualTo(expected);
    }

    static Stream<Arguments> rejectedTargets() {
        return Stream.of(
                arguments("", RejectReason.INVALID_TARGET),                        // empty
                arguments("*", RejectReason.INVALID_TARGET),                       // asterisk-form
                arguments("example.org:443", RejectReason.INVALID_TARGET),         // authority-form without CONNECT
                arguments("ftp://example.org/", RejectReason.INVALID_TARGET),      // foreign scheme
                arguments("admin", RejectReason.INVALID_TARGET),                   // relative
                arguments("http:/example.org/", RejectReason.INVALID_TARGET),      // one slash
                arguments("http://example.org#x", RejectReason.FRAGMENT),          // fragment in authority part
                arguments("/a?x#frag", RejectReason.INVALID_QUERY),                // fragment in query
                arguments("/a?x y", RejectReason.INVALID_QUERY),                   // space in query
                arguments("/a?x\r\nSet-Cookie:a", RejectReason.INVALID_QUERY),     // CRLF in query
                arguments("/a?\u00e9", RejectReason.INVALID_QUERY),                // non-ASCII in query
                arguments("/a?x\u007f", RejectReason.INVALID_QUERY));              // DEL in query
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rejectedTargets")
    void rejectsTargets(String raw, RejectReason reason) {
        assertThatThrownBy(() -> RequestTargetParser.parse(raw))
                .isInstanceOfSatisfying(IngressRejection.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
