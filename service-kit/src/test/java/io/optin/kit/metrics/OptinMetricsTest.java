package io.optin.kit.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OptinMetricsTest {

  private final Metrics registry = new Metrics();
  private final OptinMetrics metrics = OptinMetrics.on(registry);

  @Test
  void shouldExposeEveryCounterUnderItsDocumentedNameAndLabels() {
    // When each outcome happens once
    metrics.signupAnswered(202);
    metrics.signupAnswered(429);
    metrics.signupAccepted("news", "FR");
    metrics.velocityLimitTripped("phone");
    metrics.prefixBlocked();
    metrics.smsSent("CONFIRMATION_CODE", "news", "FR");
    metrics.smsDelivered(null, "FR");
    metrics.smsFailed(null);
    metrics.smsRecovered();
    metrics.replyReceived("CONFIRM");
    metrics.confirmed("reply_yes", "news", "FR");
    metrics.expired();
    metrics.locked();
    metrics.forgedWebhook("inbound");
    metrics.streamThreadReplaced("replies");

    // Then the scrape is valid and holds exactly these series
    PrometheusText scrape = PrometheusText.parse(registry.render());
    Map<String, Double> counters =
        scrape.families().values().stream()
            .filter(f -> f.type().equals("counter"))
            .flatMap(f -> f.samples().entrySet().stream())
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(counters)
        .containsOnly(
            Map.entry("optin_signups_total{outcome=\"accepted\",status=\"202\"}", 1.0),
            Map.entry("optin_signups_total{outcome=\"refused\",status=\"429\"}", 1.0),
            Map.entry("optin_signups_accepted_total{country=\"FR\",program=\"news\"}", 1.0),
            Map.entry("optin_velocity_limit_trips_total{limit=\"phone\"}", 1.0),
            Map.entry("optin_prefix_blocks_total", 1.0),
            Map.entry(
                "optin_sms_sent_total{country=\"FR\",kind=\"CONFIRMATION_CODE\",program=\"news\"}",
                1.0),
            Map.entry("optin_sms_delivered_total{country=\"FR\",program=\"unknown\"}", 1.0),
            Map.entry("optin_sms_failed_total{error_code=\"\"}", 1.0),
            Map.entry("optin_sms_recovered_total", 1.0),
            Map.entry("optin_replies_total{intent=\"CONFIRM\"}", 1.0),
            Map.entry(
                "optin_confirmations_total{country=\"FR\",method=\"reply_yes\",program=\"news\"}",
                1.0),
            Map.entry("optin_challenges_expired_total", 1.0),
            Map.entry("optin_challenges_locked_total", 1.0),
            Map.entry("optin_webhooks_forged_total{webhook=\"inbound\"}", 1.0),
            Map.entry("optin_stream_thread_replacements_total{service=\"replies\"}", 1.0));
  }

  @Test
  void shouldKeepTheOldSignaturesAndSumSeriesByTheirLeadingLabels() {
    // When callers that know no program or country count, beside one that does
    metrics.smsSent("CONFIRMATION_CODE");
    metrics.smsSent("CONFIRMATION_CODE", "news", "US");
    metrics.confirmed("code_entry");

    // Then
    assertThat(metrics.value("optin_sms_sent_total", "CONFIRMATION_CODE")).isEqualTo(2);
    assertThat(metrics.value("optin_sms_sent_total", "CONFIRMATION_CODE", "unknown", "ZZ"))
        .isEqualTo(1);
    assertThat(metrics.value("optin_sms_sent_total")).isEqualTo(2);
    assertThat(metrics.value("optin_confirmations_total", "code_entry", "unknown", "ZZ"))
        .isEqualTo(1);
  }

  @Test
  void shouldBoundTheProgramAndCountryLabels() {
    // When more programs than the bound sign up (counted by two services of one process), and
    // countries arrive malformed
    OptinMetrics other = OptinMetrics.on(registry);
    IntStream.range(0, OptinMetrics.MAX_PROGRAMS + 5)
        .forEach(i -> (i % 2 == 0 ? metrics : other).signupAccepted("program-" + i, "US"));
    metrics.signupAccepted("program-0", "us");
    metrics.signupAccepted("program-0", "+800");
    metrics.signupAccepted("program-0", null);

    // Then the first programs keep their name, the rest are "other"; a country is ISO or ZZ
    assertThat(metrics.value("optin_signups_accepted_total", "program-0", "US")).isEqualTo(1);
    assertThat(metrics.value("optin_signups_accepted_total", "program-0", "ZZ")).isEqualTo(3);
    assertThat(
            metrics.value(
                "optin_signups_accepted_total", "program-" + (OptinMetrics.MAX_PROGRAMS - 1)))
        .isEqualTo(1);
    assertThat(metrics.value("optin_signups_accepted_total", "other", "US")).isEqualTo(5);
    assertThat(
            PrometheusText.parse(registry.render())
                .families()
                .get("optin_signups_accepted_total")
                .samples())
        .hasSize(OptinMetrics.MAX_PROGRAMS + 2);
  }

  @Test
  void shouldExposeThePerHopTimersAsHistogramsWithTheGoalsAsBuckets() {
    // When
    metrics.signupToSms(Duration.ofMillis(40));
    metrics.signupToSms(Duration.ofMillis(120));
    metrics.replyToConfirmed("reply_yes", Duration.ofMillis(70));
    metrics.confirmedToLedger(Duration.ofSeconds(20));

    // Then
    PrometheusText scrape = PrometheusText.parse(registry.render());
    assertThat(scrape.families().get("optin_signup_to_sms_seconds").type()).isEqualTo("histogram");
    assertThat(scrape.value("optin_signup_to_sms_seconds_bucket", Map.of("le", "0.06")))
        .isEqualTo(1);
    assertThat(scrape.value("optin_signup_to_sms_seconds_bucket", Map.of("le", "0.15")))
        .isEqualTo(2);
    assertThat(scrape.value("optin_signup_to_sms_seconds_bucket", Map.of("le", "0.005"))).isZero();
    assertThat(scrape.value("optin_signup_to_sms_seconds_bucket", Map.of("le", "10.0")))
        .isEqualTo(2);
    assertThat(scrape.value("optin_signup_to_sms_seconds_count", Map.of())).isEqualTo(2);
    assertThat(scrape.value("optin_signup_to_sms_seconds_sum", Map.of())).isEqualTo(0.16);
    assertThat(
            scrape.value(
                "optin_reply_to_confirmed_seconds_bucket",
                Map.of("method", "reply_yes", "le", "0.15")))
        .isEqualTo(1);
    // A duration past the last bucket lands in +Inf only
    assertThat(scrape.value("optin_confirmed_to_ledger_seconds_bucket", Map.of("le", "10.0")))
        .isZero();
    assertThat(scrape.value("optin_confirmed_to_ledger_seconds_bucket", Map.of("le", "+Inf")))
        .isEqualTo(1);
    assertThat(
            scrape.families().get("optin_signup_to_sms_seconds").samples().keySet().stream()
                .filter(k -> k.contains("_bucket"))
                .count())
        .as("about four buckets per power of two from 5 ms to 10 s, and the two goals")
        .isBetween(45L, 60L);
  }

  @Test
  void shouldTimeHttpRequestsWithBoundedLabels() {
    // When
    metrics.httpRequest("/v1/signups", "post", 202, Duration.ofMillis(7));
    metrics.httpRequest("/v1/signups", "BREW", 999, Duration.ofMillis(7));

    // Then
    PrometheusText scrape = PrometheusText.parse(registry.render());
    assertThat(
            scrape.value(
                "optin_http_server_requests_seconds_bucket",
                Map.of("route", "/v1/signups", "method", "POST", "status", "202", "le", "0.01")))
        .isEqualTo(1);
    assertThat(metrics.count("optin_http_server_requests_seconds", "/v1/signups", "OTHER", "other"))
        .isEqualTo(1);
    assertThat(
            scrape.families().get("optin_http_server_requests_seconds").samples().keySet().stream()
                .filter(k -> k.contains("_bucket") && k.contains("\"POST\""))
                .map(k -> k.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
                .toList())
        .isEqualTo(
            List.of(
                "0.005", "0.01", "0.025", "0.05", "0.1", "0.15", "0.25", "0.5", "1.0", "2.5", "5.0",
                "+Inf"));
  }

  @Test
  void shouldReadTheChallengeGaugeAtEachScrapeAndNaNWhileTheStoreIsClosed() {
    // Given
    long[] phones = {3};
    metrics.watchChallengePhones("replies", () -> phones[0]);
    phones[0] = 5;

    // Then
    assertThat(
            PrometheusText.parse(registry.render())
                .value("optin_challenge_phones_approx", Map.of("service", "replies")))
        .isEqualTo(5);

    // When the store cannot be queried (a rebalance)
    metrics.watchChallengePhones(
        "replies",
        () -> {
          throw new IllegalStateException("rebalancing");
        });

    // Then
    assertThat(
            PrometheusText.parse(registry.render())
                .value("optin_challenge_phones_approx", Map.of("service", "replies")))
        .isNaN();
  }
}
