package org.portcullis.portal.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "<script>alert(1)</script>        | &lt;script&gt;alert(1)&lt;/script&gt;",
            "`\"onmouseover=\"alert(1)`       | &quot;onmouseover=&quot;alert(1)",
            "' autofocus onfocus='x           | &#39; autofocus onfocus=&#39;x",
            "</textarea>                      | &lt;/textarea&gt;",
            "&lt;already escaped&gt;          | &amp;lt;already escaped&amp;gt;",
            "<!-- -->                         | &lt;!-- --&gt;",
            "]]>                              | ]]&gt;",
            "Dr. Ann O'Neill & Co             | Dr. Ann O&#39;Neill &amp; Co",
            "plain text 0123                  | plain text 0123",
    })
    void escapesEveryCharacterThatCouldEndAnElementOrAttribute(String hostile, String escaped) {
        assertThat(Html.escape(hostile)).isEqualTo(escaped);
        assertThat(Html.escape(hostile)).doesNotContain("<", ">", "\"", "'");
    }

    @Test
    void replacesCharactersThatNoPageMayContain() {
        assertThat(Html.escape("a\u0000b\u0007c\u007fd\u0085e\uFFFEf")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf");
    }

    @Test
    void keepsWhiteSpaceAndNonAsciiText() {
        assertThat(Html.escape("line\nbreak\ttab\r\u00e9\u4e2d")).isEqualTo("line\nbreak\ttab\r\u00e9\u4e2d");
    }

    @Test
    void keepsSurrogatePairsAndReplacesLoneSurrogates() {
        assertThat(Html.escape("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
        assertThat(Html.escape("a\uD800b\uDC00")).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(Html.escape("\uD83D")).isEqualTo("\uFFFD");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> Html.escape(null)).isInstanceOf(NullPointerException.class);
    }
}
