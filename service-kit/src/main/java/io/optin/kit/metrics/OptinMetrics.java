package io.optin.kit.metrics;

import io.optin.kit.health.ServiceHealth;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one catalogue of optin's metrics (names, help, labels), like {@code Topics} for topics: each
 * service increments the ones at its outcome points, the app renders them all at {@code GET
 * /metrics}.
 *
 * <p>Counters incremented inside a Kafka Streams processor may count a record twice when a
 * transaction is aborted and retried (exactly-once covers the topics, not the process's memory);
 * the topics are the record of truth.
 */
public final class OptinMetrics {

  private final Metrics registry;
  private final Counter signups;
  private final Counter velocityTrips;
  private final Counter prefixBlocks;
  private final Counter smsSent;
  private final Counter smsFailed;
  private final Counter replies;
  private final Counter confirmations;
  private final Counter expiries;
  private final Counter locks;
  private final Counter forgedWebhooks;
  private final Counter threadReplacements;
  private final Gauges streamsStates;
  private final Gauges live;
  private final Gauges ready;

  private OptinMetrics(Metrics registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    signups =
        registry.counter(
            "optin_signups_total",
            "Signups answered by POST /v1/signups, by outcome (accepted, refused) and HTTP status.",
            "outcome",
            "status");
    velocityTrips =
        registry.counter(
            "optin_velocity_limit_trips_total",
            "Signups refused because a velocity limit tripped, by limit (phone, ip, prefix, country, blocked_prefix).",
            "limit");
    prefixBlocks =
        registry.counter(
            "optin_prefix_blocks_total",
            "Number prefixes blocked for a low confirmation rate (possible SMS pumping).");
    smsSent =
        registry.counter(
            "optin_sms_sent_total", "SMS accepted by the provider, by kind of message.", "kind");
    smsFailed =
        registry.counter(
            "optin_sms_failed_total",
            "SMS the provider finally refused or could not be reached for, by provider error code (empty: none).",
            "error_code");
    replies =
        registry.counter(
            "optin_replies_total",
            "Inbound SMS replies accepted by the webhook, by intent (CONFIRM, CODE, STOP, START, HELP, OTHER).",
            "intent");
    confirmations =
        registry.counter(
            "optin_confirmations_total",
            "Challenges confirmed, by method (reply_yes, reply_code: the code by SMS, code_entry: POST /v1/verifications).",
            "method");
    expiries = registry.counter("optin_challenges_expired_total", "Challenges closed as EXPIRED.");
    locks =
        registry.counter(
            "optin_challenges_locked_total", "Challenges locked after too many wrong codes.");
    forgedWebhooks =
        registry.counter(
            "optin_webhooks_forged_total",
            "Twilio webhooks refused for a bad or missing X-Twilio-Signature, by webhook (inbound, status).",
            "webhook");
    threadReplacements =
        registry.counter(
            "optin_stream_thread_replacements_total",
            "Kafka Streams threads replaced after an uncaught exception, within the restart budget, by service.",
            "service");
    streamsStates =
        registry.gauges(
            "optin_streams_state",
            "1 for the current Kafka Streams state of each Streams app, 0 for the others.",
            "service",
            "state");
    live =
        registry.gauges(
            "optin_service_live",
            "1 while the service runs or recovers, 0 once it is dead for good (what /health/live reports).",
            "service");
    ready =
        registry.gauges(
            "optin_service_ready",
            "1 when the service is ready, else 0 (what /health/ready/{service} reports).",
            "service");
  }

  /** The counters, registered on {@code registry}. */
  public static OptinMetrics on(Metrics registry) {
    return new OptinMetrics(registry);
  }

  /**
   * Counters on a registry of their own, for a service run without {@code /metrics} (tests, tools).
   */
  public static OptinMetrics unexposed() {
    return new OptinMetrics(new Metrics());
  }

  public Metrics registry() {
    return registry;
  }

  /** {@code outcome} is {@code accepted} for a 2xx answer, else {@code refused}. */
  public void signupAnswered(int status) {
    signups.inc(status >= 200 && status < 300 ? "accepted" : "refused", Integer.toString(status));
  }

  /**
   * @param limit {@code phone}, {@code ip}, {@code prefix}, {@code country} or {@code
   *     blocked_prefix}
   */
  public void velocityLimitTripped(String limit) {
    velocityTrips.inc(limit);
  }

  /**
   * A number prefix was blocked for a low confirmation rate (once per block, not per refused
   * signup).
   */
  public void prefixBlocked() {
    prefixBlocks.inc();
  }

  public void smsSent(String kind) {
    smsSent.inc(kind);
  }

  /**
   * @param errorCode the provider's error code, or null when it gave none
   */
  public void smsFailed(Integer errorCode) {
    smsFailed.inc(errorCode == null ? "" : errorCode.toString());
  }

  public void replyReceived(String intent) {
    replies.inc(intent);
  }

  /**
   * @param method {@code reply_yes}, {@code reply_code} or {@code code_entry}
   */
  public void confirmed(String method) {
    confirmations.inc(method);
  }

  public void expired() {
    expiries.inc();
  }

  public void locked() {
    locks.inc();
  }

  /**
   * @param webhook {@code inbound} or {@code status}
   */
  public void forgedWebhook(String webhook) {
    forgedWebhooks.inc(webhook);
  }

  /** A stream thread of {@code service} died and is being replaced within its restart budget. */
  public void streamThreadReplaced(String service) {
    threadReplacements.inc(service);
  }

  /**
   * Exposes the state of a Streams app: one series per state in {@code states}, 1 for the one
   * {@code current} names.
   */
  public void watchStreamsState(String service, Iterable<String> states, Supplier<String> current) {
    for (String state : states) {
      streamsStates.series(() -> state.equals(current.get()) ? 1 : 0, service, state);
    }
  }

  /** Exposes whether {@code service} is live and ready, read at each scrape. */
  public void watchHealth(ServiceHealth service) {
    live.series(() -> service.live() ? 1 : 0, service.name());
    ready.series(() -> service.ready() ? 1 : 0, service.name());
  }

  /** The counters by name, for tests and tools: {@code counter("optin_confirmations_total")}. */
  public long value(String name, String... labelValues) {
    return switch (name) {
      case "optin_signups_total" -> signups.value(labelValues);
      case "optin_velocity_limit_trips_total" -> velocityTrips.value(labelValues);
      case "optin_prefix_blocks_total" -> prefixBlocks.value(labelValues);
      case "optin_sms_sent_total" -> smsSent.value(labelValues);
      case "optin_sms_failed_total" -> smsFailed.value(labelValues);
      case "optin_replies_total" -> replies.value(labelValues);
      case "optin_confirmations_total" -> confirmations.value(labelValues);
      case "optin_challenges_expired_total" -> expiries.value(labelValues);
      case "optin_challenges_locked_total" -> locks.value(labelValues);
      case "optin_webhooks_forged_total" -> forgedWebhooks.value(labelValues);
      case "optin_stream_thread_replacements_total" -> threadReplacements.value(labelValues);
      default -> throw new IllegalArgumentException("no optin counter is named " + name);
    };
  }
}
