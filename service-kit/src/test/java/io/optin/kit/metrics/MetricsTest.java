package io.optin.kit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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

    // Then
    assertThat(metrics.render())
        .isEqualTo(
            """
            # HELP optin_challenges_expired_total Expired.
            # TYPE optin_challenges_expired_total counter
            optin_challenges_expired_total 0.0
            # HELP optin_sms_failed_total SMS refused.
            # TYPE optin_sms_failed_total counter
            optin_sms_failed_total{error_code="21211"} 3.0
            optin_sms_failed_total{error_code="30008"} 1.0
            """);
    assertThat(sent.value("21211")).isEqualTo(3);
    assertThat(sent.value("404")).isZero();
    assertThat(sent.total()).isEqualTo(4);
  }

  @Test
  void shouldRenderGaugesWithLabelsReadAtEachScrape() {
    // Given
    Gauges live = metrics.gauges("optin_service_live", "Live.", "service");
    live.series(() -> 1, "replies");
    live.series(() -> 0, "audit");

    // When the replies service is started again in the same process
    live.series(() -> 0, "replies");

    // Then the newest supplier is read, and the same name gives the same instrument
    assertThat(metrics.render())
        .isEqualTo(
            """
            # HELP optin_service_live Live.
            # TYPE optin_service_live gauge
            optin_service_live{service="audit"} 0.0
            optin_service_live{service="replies"} 0.0
            """);
    assertThat(metrics.gauges("optin_service_live", "Live.", "service")).isSameAs(live);
    assertThat(live.value("replies")).isZero();
  }

  @Test
  void shouldEscapeLabelValuesAndHelp() {
    // Given
    metrics.counter("x_total", "a \\ b\nc", "reason").inc("say \"hi\"\n");

    // Then
    assertThat(metrics.render())
        .isEqualTo(
            """
            # HELP x_total a \\\\ b\\nc
            # TYPE x_total counter
            x_total{reason="say \\"hi\\"\\n"} 1.0
            """);
  }

  @Test
  void shouldShareAnInstrumentRegisteredTwiceWithTheSameShape() {
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
    assertThatThrownBy(() -> metrics.gauges("optin_replies_total", "Replies.", "intent"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already registered");
  }

  @Test
  void shouldRefuseBadNamesWrongLabelCountsAndDecrements() {
    Counter counter = metrics.counter("ok_total", "Ok.", "a");
    assertThatThrownBy(() -> metrics.counter("bad-name_total", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> metrics.counter("no_suffix", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> metrics.counter("y_total", "y", "__reserved"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> metrics.timers("t_seconds", "t", OptinMetrics.HTTP_BUCKETS, "le"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counter.inc("1", "2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counter.add(-1, "1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldSampleGaugesWhenRenderedAndReadAFailingOneAsNaN() {
    // Given
    double[] value = {1.5};
    metrics.gauge("optin_up", "Up.", () -> value[0]);
    metrics.gauge(
        "optin_broken",
        "Broken.",
        () -> {
          throw new IllegalStateException("store not open");
        });
    value[0] = 3;

    // Then
    assertThat(metrics.render())
        .isEqualTo(
            """
            # HELP optin_broken Broken.
            # TYPE optin_broken gauge
            optin_broken NaN
            # HELP optin_up Up.
            # TYPE optin_up gauge
            optin_up 3.0
            """);
  }

  @Test
  void shouldExposeTimersAsHistogramsWithExactlyTheirBuckets() {
    // Given
    Timers timers =
        metrics.timers(
            "optin_x_seconds",
            "X.",
            Timers.Buckets.only(Duration.ofMillis(10), Duration.ofMillis(150)),
            "route");

    // When
    timers.record(Duration.ofMillis(5), "/a");
    timers.record(Duration.ofMillis(100), "/a");
    timers.record(Duration.ofMillis(-3), "/a");

    // Then
    assertThat(metrics.render())
        .isEqualTo(
            """
            # HELP optin_x_seconds X.
            # TYPE optin_x_seconds histogram
            optin_x_seconds_bucket{route="/a",le="0.01"} 2
            optin_x_seconds_bucket{route="/a",le="0.15"} 3
            optin_x_seconds_bucket{route="/a",le="+Inf"} 3
            optin_x_seconds_count{route="/a"} 3
            optin_x_seconds_sum{route="/a"} 0.105
            # HELP optin_x_seconds_max X.
            # TYPE optin_x_seconds_max gauge
            optin_x_seconds_max{route="/a"} 0.1
            """);
    assertThat(timers.count("/a")).isEqualTo(3);
    assertThat(timers.total("/a")).isEqualTo(Duration.ofMillis(105));
    PrometheusText.parse(metrics.render());
  }

  @Test
  void shouldBindTheJvmOnceAndRenderValidText() {
    // When
    try (Metrics.Binding jvm = metrics.bindJvm();
        Metrics.Binding again = metrics.bindJvm()) {
      PrometheusText scrape = PrometheusText.parse(metrics.render());

      // Then
      assertThat(scrape.families())
          .containsKeys(
              "jvm_memory_used_bytes",
              "jvm_gc_live_data_size_bytes",
              "jvm_threads_live_threads",
              "jvm_classes_loaded_classes",
              "process_cpu_usage",
              "process_uptime_seconds",
              "system_cpu_count");
      assertThat(scrape.families().get("jvm_memory_used_bytes").type()).isEqualTo("gauge");
    }
  }
}
