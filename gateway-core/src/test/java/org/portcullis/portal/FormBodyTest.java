package org.portcullis.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The portal's strict form reader: what a browser sends reads back exactly, anything ambiguous reads as nothing. */
class FormBodyTest {

    @Test
    void aBrowsersSignInFormReadsBackExactly() {
        FormBody form = FormBody.parse("username=alice%40example.org&password=p%26ss+w%C3%B6rd%21&csrf=abc-_&rd="
                + "https%3A%2F%2Fapp.test%2Fx%3Fa%3D1").orElseThrow();

        assertThat(form.text("username")).isEqualTo("alice@example.org");
        assertThat(form.text("password")).isEqualTo("p&ss wörd!");
        assertThat(form.text("csrf")).isEqualTo("abc-_");
        assertThat(form.text("rd")).isEqualTo("https://app.test/x?a=1");
        assertThat(form.get("missing")).isEmpty();
    }

    @Test
    void emptyBodiesAndEmptyPairsAreFormsWithoutThoseFields() {
        assertThat(FormBody.parse("").orElseThrow().get("a")).isEmpty();
        assertThat(FormBody.parse("a=1&&b=").orElseThrow().text("b")).isEmpty();
        assertThat(FormBody.parse(new byte[0])).isPresent();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("a=%"),                       // 1 escape cut short
                arguments("a=%4"),                      // 2 escape cut short
                arguments("a=%zz"),                     // 3 not hex
                arguments("a=%\uFF14\uFF11"),           // 4 full-width "41": would be "A" to Character.digit
                arguments("a=%C3%28"),                  // 5 invalid UTF-8
                arguments("a=%ED%A0%80"),               // 6 UTF-8 surrogate
                arguments("a=%00"),                     // 7 NUL once decoded
                arguments("a=x%0D%0ASet-Cookie:y"),     // 8 CR LF once decoded
                arguments("a=1&a=2"),                   // 9 a field twice: which one counts?
                arguments("a=caf\u00e9"),               // 10 raw non-ASCII in the encoded text
                arguments("a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17")); // 11 >16
    }

    @ParameterizedTest
    @MethodSource("refused")
    void ambiguousOrHostileFormsReadAsNothing(String encoded) {
        assertThat(FormBody.parse(encoded)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=1\r\nb=2", "a=1\u0000", "a=\t1"})
    void rawControlBytesInTheBodyReadAsNothing(String body) {
        assertThat(FormBody.parse(body.getBytes(StandardCharsets.ISO_8859_1))).isEmpty();
    }
}
