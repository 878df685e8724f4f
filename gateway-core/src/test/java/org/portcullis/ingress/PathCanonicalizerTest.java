package org.portcullis.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PathCanonicalizerTest {

    static Stream<Arguments> acceptedPaths() {
        return Stream.of(
                arguments("/", "/"),                                  // root
                arguments("/admin", "/admin"),                        // plain path, fast path
                arguments("/admin/", "/admin/"),                      // trailing slash kept
                arguments("/a/b/c.html", "/a/b/c.html"),              // dots inside names are not segments
                arguments("/%41dmin", "/Admin"),                      // unreserved escape decoded
                arguments("/%61dmin", "/admin"),                      // lower-case letter escape
                arguments("/a/%2e%2e/b", "/b"),                       // encoded dot-dot is a '..' segment (CVE-2021-41773)
                arguments("/a/%2E%2E/b", "/b"),                       // upper-case hex
                arguments("/a/.%2e/b", "/b"),                         // half-encoded dot-dot
                arguments("/a/%2e/b", "/a/b"),                        // encoded single dot
                arguments("//admin", "/admin"),                       // leading '//' merged
                arguments("/a//b///c", "/a/b/c"),                     // inner runs merged
                arguments("/./admin", "/admin"),                      // dot segment at start
                arguments("/admin/.", "/admin/"),                     // trailing dot keeps the slash (RFC 3986 5.2.4)
                arguments("/admin/..", "/"),                          // trailing dot-dot
                arguments("/a/b/..", "/a/"),                          // dot-dot at end keeps slash
                arguments("/a/b/../c", "/a/c"),                       // ordinary climb
                arguments("/a/b/../../c", "/c"),                      // climb to root, not above
                arguments("/a//../b", "/b"),                          // '//' merged before '..' is resolved
                arguments("/public/../admin", "/admin"),              // climb into another prefix: matched as /admin
                arguments("/.well-known/x", "/.well-known/x"),        // dot-leading name is not a dot segment
                arguments("/...", "/..."),                            // three dots is a name
                arguments("/a/..b", "/a/..b"),                        // '..b' is a name
                arguments("/a%20b", "/a b"),                          // encoded space decoded (re-encoded on the way out)
                arguments("/a%3Fb", "/a?b"),                          // encoded '?' is a path character, not a query
                arguments("/a%23b", "/a#b"),                          // encoded '#' is a path character
                arguments("/a:b@c!$&'()*+,=~-_", "/a:b@c!$&'()*+,=~-_"), // every raw pchar
                arguments("/x%7By%7D", "/x{y}"),                      // encoded braces
                arguments("/%2e", "/"),                               // encoded dot at root
                arguments("/a/./b/./", "/a/b/"));                     // several single dots
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("acceptedPaths")
    void canonicalisesAcceptedPaths(String raw, String expected) throws IngressRejection {
        assertThat(PathCanonicalizer.canonicalize(raw)).isEqualTo(expected);
    }

    static Stream<Arguments> rejectedPaths() {
        return Stream.of(
                arguments("/a/..%2fb", RejectReason.ENCODED_SLASH),          // encoded slash hides a segment
                arguments("/a%2Fb", RejectReason.ENCODED_SLASH),             // upper-case hex
                arguments("/a%2fb", RejectReason.ENCODED_SLASH),             // lower-case hex
                arguments("/a%5Cb", RejectReason.ENCODED_BACKSLASH),         // IIS reads '\' as '/'
                arguments("/a%5c..%5cadmin", RejectReason.ENCODED_BACKSLASH),// encoded backslash traversal
                arguments("/a\\b", RejectReason.BACKSLASH),                  // raw backslash
                arguments("/public\\..\\admin", RejectReason.BACKSLASH),     // raw backslash traversal
                arguments("/a%00b", RejectReason.CONTROL_CHAR_IN_PATH),      // NUL truncation
                arguments("/a\u0000b", RejectReason.CONTROL_CHAR_IN_PATH),   // raw NUL
                arguments("/a%0d%0aX:1", RejectReason.CONTROL_CHAR_IN_PATH), // CRLF injection
                arguments("/a\tb", RejectReason.CONTROL_CHAR_IN_PATH),       // raw tab
                arguments("/a%7F", RejectReason.CONTROL_CHAR_IN_PATH),       // encoded DEL
                arguments("/a\u007f", RejectReason.CONTROL_CHAR_IN_PATH),    // raw DEL
                arguments("/%252e%252e/admin", RejectReason.DOUBLE_ENCODING),// double-encoded dot-dot (CVE-2021-42013)
                arguments("/%252e", RejectReason.DOUBLE_ENCODING),           // double-encoded dot
                arguments("/a%25", RejectReason.DOUBLE_ENCODING),            // any encoded percent
                arguments("/a;jsessionid=x", RejectReason.PATH_PARAMETER),   // path parameter (CVE-2016-5007)
                arguments("/..;/admin", RejectReason.PATH_PARAMETER),        // Tomcat '..;' traversal
                arguments("/admin%3B/", RejectReason.PATH_PARAMETER),        // encoded semicolon
                arguments("/a#frag", RejectReason.FRAGMENT),                 // raw fragment
                arguments("/%C0%AE%C0%AE/admin", RejectReason.NON_ASCII),   // overlong UTF-8 dot
                arguments("/%C0%AE", RejectReason.NON_ASCII),                // overlong UTF-8 '.'
                arguments("/caf%C3%A9", RejectReason.NON_ASCII),             // valid UTF-8 is refused too
                arguments("/caf\u00e9", RejectReason.NON_ASCII),             // raw non-ASCII
                arguments("/%FF", RejectReason.NON_ASCII),                   // invalid UTF-8 byte
                arguments("/a%", RejectReason.INVALID_PERCENT_ENCODING),     // truncated escape
                arguments("/a%2", RejectReason.INVALID_PERCENT_ENCODING),    // one hex digit
                arguments("/a%zz", RejectReason.INVALID_PERCENT_ENCODING),   // non-hex
                arguments("/a%%32%65", RejectReason.INVALID_PERCENT_ENCODING), // nested escape trick
                arguments("/a%+1", RejectReason.INVALID_PERCENT_ENCODING),   // sign is not hex
                arguments("/..", RejectReason.PATH_ABOVE_ROOT),              // climb from root
                arguments("/../admin", RejectReason.PATH_ABOVE_ROOT),        // climb then descend
                arguments("/a/b/../../..", RejectReason.PATH_ABOVE_ROOT),    // one climb too many
                arguments("/%2e%2e/etc/passwd", RejectReason.PATH_ABOVE_ROOT), // encoded climb from root
                arguments("/a b", RejectReason.INVALID_TARGET),              // raw space
                arguments("admin", RejectReason.INVALID_TARGET),             // not starting with '/'
                arguments("", RejectReason.INVALID_TARGET));                 // empty
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rejectedPaths")
    void rejectsAmbiguousPaths(String raw, RejectReason reason) {
        assertThatThrownBy(() -> PathCanonicalizer.canonicalize(raw))
                .isInstanceOfSatisfying(IngressRejection.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void returnsTheSameStringWhenNothingNeedsDecoding() throws IngressRejection {
        String raw = "/app/patients/list";
        assertThat(PathCanonicalizer.canonicalize(raw)).isSameAs(raw);
    }
}
