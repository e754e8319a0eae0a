package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

  @Test
  void shouldEscapeEveryCharacterThatMeansSomethingInHtml() {
    assertThat(HtmlReport.escape("<b a=\"1\" b='2'>&amp;</b>"))
        .isEqualTo("&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;amp;&lt;/b&gt;");
    assertThat(HtmlReport.escape(null)).isEmpty();
    assertThat(HtmlReport.escape("accepted → SMS")).isEqualTo("accepted → SMS");
  }

  @Test
  void shouldRenderTextFromTheRunEscaped() {
    // Given a label and a failure that would be markup
    BenchResult result =
        Results.sample("<script>alert(1)</script>", List.of("1 flows lost <img src=x>"));

    // When
    String html = HtmlReport.render(result);

    // Then
    assertThat(html)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("1 flows lost &lt;img src=x&gt;")
        .doesNotContain("<script")
        .doesNotContain("<img");
  }

  @Test
  void shouldBeSelfContainedWithInlinePlots() {
    String html = HtmlReport.render(Results.sample("accepted → SMS", List.of()));

    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(html).contains("PASSED", "<svg", "<polyline", "accepted_to_sms", "complete/s");
    // Three plots: latency by percentile, throughput, CPU and memory
    assertThat(html.split("<svg ", -1)).hasSize(4);
    // Nothing fetched: the only URL is the SVG namespace
    assertThat(html.replace("http://www.w3.org/2000/svg", ""))
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContain(" src=")
        .doesNotContain("<link");
  }

  @Test
  void shouldPlaceTheTailOnANinesAxis() {
    assertThat(HtmlReport.nines(0)).isZero();
    assertThat(HtmlReport.nines(90)).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(HtmlReport.nines(99.9)).isEqualTo(3.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(HtmlReport.nines(100)).isEqualTo(5.3);
  }

  @Test
  void shouldStepTicksByOneTwoOrFive() {
    assertThat(HtmlReport.niceStep(0.4)).isEqualTo(1);
    assertThat(HtmlReport.niceStep(3)).isEqualTo(5);
    assertThat(HtmlReport.niceStep(17)).isEqualTo(20);
    assertThat(HtmlReport.niceStep(240)).isEqualTo(500);
  }
}
