package org.portcullis.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PathEncodingTest {

    static Stream<Arguments> encodings() {
        return Stream.of(
                arguments("/admin", "/admin"),             // nothing to encode
                arguments("/a?b", "/a%3Fb"),               // '?' must not start a query upstream
                arguments("/a#b", "/a%23b"),               // '#' must not start a fragment upstream
                arguments("/a b", "/a%20b"),               // space
                arguments("/100%", "/100%25"),             // '%' (never canonical, still encoded)
                arguments("/a;b", "/a%3Bb"),               // ';' (never canonical, still encoded)
                arguments("/a\\b", "/a%5Cb"),              // backslash
                arguments("/x{y}|z", "/x%7By%7D%7Cz"),     // other non-pchar ASCII
                arguments("/a:b@c", "/a:b@c"),             // pchar kept
                arguments("/caf\u00e9", "/caf%C3%A9"));    // non-ASCII as UTF-8, not truncated
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("encodings")
    void encodesEverythingOutsidePchar(String decoded, String encoded) {
        assertThat(PathEncoding.encode(decoded)).isEqualTo(encoded);
    }

    /** Property: the upstream decodes exactly the path the policy saw, for any canonical path. */
    @Test
    void encodedCanonicalPathCanonicalisesToItself() throws IngressRejection {
        SplittableRandom random = new SplittableRandom(20261129L);
        int checked = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder raw = new StringBuilder("/");
            int length = random.nextInt(1, 24);
            for (int i = 0; i < length; i++) {
                // printable ASCII and '/', including every special character
                raw.append((char) random.nextInt(0x20, 0x7F));
            }
            String canonical;
            try {
                canonical = PathCanonicalizer.canonicalize(raw.toString());
            } catch (IngressRejection e) {
                continue;
            }
            checked++;
            String forwarded = PathEncoding.encode(canonical);
            assertThat(PathCanonicalizer.canonicalize(forwarded)).as("round trip of %s", canonical)
                    .isEqualTo(canonical);
            assertThat(forwarded).doesNotContain("?", "#", " ", ";", "\\");
        }
        assertThat(checked).isGreaterThan(1000);
    }

    /** Property on decoded paths built directly from every printable character a canonical path may hold. */
    @Test
    void everyCanonicalCharacterRoundTrips() throws IngressRejection {
        for (char c = 0x20; c < 0x7F; c++) {
            if (c == '%' || c == ';' || c == '\\' || c == '/' || c == '.') {
                continue;
            }
            String canonical = "/x" + c + "y/";
            assertThat(PathCanonicalizer.canonicalize(PathEncoding.encode(canonical))).isEqualTo(canonical);
        }
    }
}
