package io.optin.kit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsTest {

  private final Metrics metrics = new Metrics();

  @Test
  void shouldRenderCountersInThePrometheusTextFormat() {
    // Given
    Counter sent = metrics.counter("optin_sms_failed_total", "SMS refused.", "error_code");
    sent.inc("21211");
    sent.add(2, "21211");
    sent.inc("30008");
    metrics.counter("optin_challenges_expired_total", "Expired.");

    // When
    String text = metrics.render();

    // Then
    assertThat(text)
        .isEqualTo(
            """
        # HELP optin_challenges_expired_total Expired.
        # TYPE optin_challenges_expired_total counter
        optin_challenges_expired_total 0
        # HELP optin_sms_failed_total SMS refused.
        # TYPE optin_sms_failed_total counter
        optin_sms_failed_total{error_code="21211"} 3
        optin_sms_failed_total{error_code="30008"} 1
        """);
  }

  @Test
  void shouldRenderGaugesWithLabelsReadAtEachScrape() {
    // Given
    java.util.concurrent.atomic.AtomicInteger running =
        new java.util.concurrent.atomic.AtomicInteger(1);
    Gauges live = metrics.gauges("optin_service_live", "Live.", "service");
    live.series(running::get, "replies");
    live.series(() -> 1, "audit");

    // When the value changes, and a series is set again
    running.set(0);
    live.series(() -> 0, "audit");

    // Then
    assertThat(metrics.render())
        .isEqualTo(
            """
        # HELP optin_service_live Live.
        # TYPE optin_service_live gauge
        optin_service_live{service="audit"} 0
        optin_service_live{service="replies"} 0
        """);
    assertThat(metrics.gauges("optin_service_live", "Live.", "service")).isSameAs(live);
  }

  @Test
  void shouldEscapeLabelValuesAndHelp() {
    // Given
    metrics.counter("x_total", "a \\ b\nc", "reason").inc("say \"hi\"\n");

    // Then
    assertThat(metrics.render())
        .contains("# HELP x_total a \\\\ b\\nc\n")
        .contains("x_total{reason=\"say \\\"hi\\\"\\n\"} 1\n");
  }

  @Test
  void shouldShareACounterRegisteredTwiceWithTheSameShape() {
    // Given
    Counter first = metrics.counter("optin_replies_total", "Replies.", "intent");
    Counter second = metrics.counter("optin_replies_total", "Replies.", "intent");

    // When
    first.inc("CONFIRM");
    second.inc("CONFIRM");

    // Then
    assertThat(first.value("CONFIRM")).isEqualTo(2);
    assertThatThrownBy(() -> metrics.counter("optin_replies_total", "Replies.", "other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already registered");
  }

  @Test
  void shouldRefuseBadNamesWrongLabelCountsAndDecrements() {
    Counter counter = metrics.counter("ok_total", "Ok.", "a");
    assertThatThrownBy(() -> metrics.counter("bad-name", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> metrics.counter("y_total", "y", "__reserved"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counter.inc("1", "2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counter.add(-1, "1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldSampleGaugesWhenRendered() {
    // Given
    double[] value = {1.5};
    metrics.gauge("optin_up", "Up.", () -> value[0]);
    value[0] = 3;

    // Then
    assertThat(metrics.render()).contains("# TYPE optin_up gauge\noptin_up 3\n");
  }

  @Test
  void shouldCountOptinOutcomesUnderTheirDocumentedNames() {
    // Given
    OptinMetrics optin = OptinMetrics.on(metrics);

    // When
    optin.signupAnswered(202);
    optin.signupAnswered(429);
    optin.confirmed("reply_yes");
    optin.smsFailed(null);

    // Then
    assertThat(metrics.render())
        .contains("optin_signups_total{outcome=\"accepted\",status=\"202\"} 1\n")
        .contains("optin_signups_total{outcome=\"refused\",status=\"429\"} 1\n")
        .contains("optin_confirmations_total{method=\"reply_yes\"} 1\n")
        .contains("optin_sms_failed_total{error_code=\"\"} 1\n");
    assertThat(optin.value("optin_confirmations_total", "reply_yes")).isEqualTo(1);
  }
}
