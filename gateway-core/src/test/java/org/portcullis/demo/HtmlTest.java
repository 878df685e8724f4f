package org.portcullis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void escapesEveryCharacterThatCanLeaveContentOrAttribute() {
        assertThat(Html.escape("<a href=\"x\" onclick='y'>&amp;</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    }

    @Test
    void jsonStringsEscapeQuotesControlsAndMarkup() {
        assertThat(Html.jsonString("a\"b\\c\n\u0001</script>&"))
                .isEqualTo("\"a\\\"b\\\\c\\n\\u0001\\u003c/script\\u003e\\u0026\"");
    }
}
