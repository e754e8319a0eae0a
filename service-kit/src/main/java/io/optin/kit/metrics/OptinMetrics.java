package io.optin.kit.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.optin.kit.health.ServiceHealth;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The one catalogue of optin's metrics (names, help, labels), like {@code Topics} for topics: each
 * service increments the ones at its outcome points, the app renders them all at {@code GET
 * /metrics}.
 *
 * <p>Counters incremented inside a Kafka Streams processor may count a record twice when a
 * transaction is aborted and retried (exactly-once covers the topics, not the process's memory);
 * the topics are the record of truth.
 *
 * <p>The funnel's labels are bounded: {@code country} is an ISO 3166 region ({@code ZZ} when
 * unknown), {@code program} one of the first {@value #MAX_PROGRAMS} program ids seen by the process
 * ({@code programs.allowed} bounds them when set), {@code other} beyond.
 *
 * <p>The per-hop timers measure from a time a record carries (the signup's acceptance, the reply's
 * reception, the confirmation) to the moment this process reaches the next step, on the wall clocks
 * of the machines involved.
 */
public final class OptinMetrics {

  /** Distinct program ids labelled before the rest are counted as {@code other}. */
  public static final int MAX_PROGRAMS = 100;

  /** The program label of a count whose program is not known where it is counted. */
  public static final String UNKNOWN_PROGRAM = "unknown";

  /** The country label of a count whose phone has no known region. */
  public static final String UNKNOWN_COUNTRY = "ZZ";

  static final String OTHER_PROGRAM = "other";

  private static final Pattern REGION = Pattern.compile("[A-Z]{2}");
  private static final Set<String> HTTP_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /**
   * Latency buckets of the flow's hops: fine enough between 5 ms and 10 s for {@code
   * histogram_quantile}, and exact at the goals (p50 ≤ 60 ms, p99 ≤ 150 ms).
   */
  static final Timers.Buckets HOP_BUCKETS =
      Timers.Buckets.percentiles(
          Duration.ofMillis(5),
          Duration.ofSeconds(10),
          Duration.ofMillis(60),
          Duration.ofMillis(150));

  /** HTTP answers: a dozen fixed buckets, as the series multiply by route, method and status. */
  static final Timers.Buckets HTTP_BUCKETS =
      Timers.Buckets.only(
          Duration.ofMillis(5),
          Duration.ofMillis(10),
          Duration.ofMillis(25),
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          Duration.ofMillis(150),
          Duration.ofMillis(250),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofMillis(2500),
          Duration.ofSeconds(5));

  private final Metrics registry;
  private final Counter signups;
  private final Counter signupsAccepted;
  private final Counter smsDelivered;
  private final Timers signupToSms;
  private final Timers replyToConfirmed;
  private final Timers confirmedToLedger;
  private final Timers httpRequests;
  private final Gauges challengePhones;
  private final Counter velocityTrips;
  private final Counter prefixBlocks;
  private final Counter smsSent;
  private final Counter smsFailed;
  private final Counter smsRecovered;
  private final Counter replies;
  private final Counter reviews;
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
    signupsAccepted =
        registry.counter(
            "optin_signups_accepted_total",
            "Signups accepted and published, by program and country (ISO region of the phone).",
            "program",
            "country");
    smsSent =
        registry.counter(
            "optin_sms_sent_total",
            "SMS accepted by the provider, by kind of message, program and country.",
            "kind",
            "program",
            "country");
    smsDelivered =
        registry.counter(
            "optin_sms_delivered_total",
            "SMS the provider reported delivered (status callback), by program (unknown: the callback does not name it) and country.",
            "program",
            "country");
    smsFailed =
        registry.counter(
            "optin_sms_failed_total",
            "SMS the provider finally refused or could not be reached for, by provider error code (empty: none).",
            "error_code");
    smsRecovered =
        registry.counter(
            "optin_sms_recovered_total",
            "SMS commands found already at the provider after a crash (an intent without a report), reported instead of sent again.");
    replies =
        registry.counter(
            "optin_replies_total",
            "Inbound SMS replies accepted by the webhook, by intent (CONFIRM, CODE, STOP, START, HELP, OTHER, REVIEW).",
            "intent");
    reviews =
        registry.counter(
            "optin_replies_review_total",
            "Inbound replies flagged REVIEW (a refusal that may be an opt-out; nothing changed), by parser rule.",
            "rule");
    confirmations =
        registry.counter(
            "optin_confirmations_total",
            "Challenges confirmed, by method (reply_yes, reply_code: the code by SMS, code_entry: POST /v1/verifications), program and country.",
            "method",
            "program",
            "country");
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
    signupToSms =
        registry.timers(
            "optin_signup_to_sms_seconds",
            "From a signup's acceptance (its occurredAt) to the sender's request to the provider for its code.",
            HOP_BUCKETS);
    replyToConfirmed =
        registry.timers(
            "optin_reply_to_confirmed_seconds",
            "From an answer's reception (the reply's receivedAt, the code entry's attemptedAt) to its confirmation forwarded by the reply processor, by method.",
            HOP_BUCKETS,
            "method");
    confirmedToLedger =
        registry.timers(
            "optin_confirmed_to_ledger_seconds",
            "From a confirmation (the CLOSED challenge's occurredAt) to its CONFIRMED record appended to the ledger.",
            HOP_BUCKETS);
    httpRequests =
        registry.timers(
            "optin_http_server_requests_seconds",
            "HTTP requests answered, by route (the mounted path prefix, never the raw path), method and status.",
            HTTP_BUCKETS,
            "route",
            "method",
            "status");
    challengePhones =
        registry.gauges(
            "optin_challenge_phones_approx",
            "Approximate number of phones the reply processor holds challenges for (open, parked answers or recently closed; RocksDB's estimate of its challenge store's keys).",
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

  /**
   * A signup was accepted and published.
   *
   * @param country the ISO region of its phone ({@code PhoneRegion.of} in the domain)
   */
  public void signupAccepted(String program, String country) {
    signupsAccepted.inc(programLabel(program), countryLabel(country));
  }

  /** An SMS accepted by the provider, its program and country unknown to the caller. */
  public void smsSent(String kind) {
    smsSent(kind, null, null);
  }

  /** An SMS of {@code kind} for {@code program} to a phone of {@code country} accepted. */
  public void smsSent(String kind, String program, String country) {
    smsSent.inc(kind, programLabel(program), countryLabel(country));
  }

  /**
   * The provider reported an SMS delivered.
   *
   * @param program null when the report does not name it (Twilio's status callback)
   */
  public void smsDelivered(String program, String country) {
    smsDelivered.inc(programLabel(program), countryLabel(country));
  }

  /**
   * The sender is about to ask the provider for the code of a signup accepted {@code sinceAccepted}
   * ago.
   */
  public void signupToSms(Duration sinceAccepted) {
    signupToSms.record(sinceAccepted);
  }

  /** A confirmation forwarded {@code sinceReceived} after its answer was received. */
  public void replyToConfirmed(String method, Duration sinceReceived) {
    replyToConfirmed.record(sinceReceived, method);
  }

  /** A CONFIRMED record appended to the ledger {@code sinceConfirmed} after the confirmation. */
  public void confirmedToLedger(Duration sinceConfirmed) {
    confirmedToLedger.record(sinceConfirmed);
  }

  /**
   * An HTTP request answered.
   *
   * @param route the route's template (a mounted path prefix, {@code /metrics}…), never the raw
   *     path; the caller bounds it
   * @param method its method; others than the usual seven are labelled {@code OTHER}
   */
  public void httpRequest(String route, String method, int status, Duration took) {
    String m = method == null ? "OTHER" : method.toUpperCase(Locale.ROOT);
    httpRequests.record(
        took,
        route,
        HTTP_METHODS.contains(m) ? m : "OTHER",
        status >= 100 && status < 600 ? Integer.toString(status) : "other");
  }

  /**
   * Exposes how many phones {@code service}'s challenge store holds, read at each scrape ({@code
   * approximateNumEntries}: RocksDB's estimate); NaN while the store cannot be queried.
   */
  public void watchChallengePhones(String service, LongSupplier approximateEntries) {
    challengePhones.series(approximateEntries::getAsLong, service);
  }

  /**
   * Binds the Kafka Streams client's metrics (its threads, tasks, state stores, and its embedded
   * consumers' and producers' metrics: lag, commit latency, RocksDB), tagged with {@code service};
   * close the returned binding with the client.
   */
  public Metrics.Binding bindKafkaStreams(String service, KafkaStreams streams) {
    KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, Tags.of("service", service));
    registry.bind(binder);
    return binder::close;
  }

  /** Binds a Kafka producer's metrics, tagged with {@code service}. */
  public Metrics.Binding bindKafkaClient(String service, Producer<?, ?> producer) {
    return bound(new KafkaClientMetrics(producer, Tags.of("service", service)));
  }

  /** Binds a Kafka consumer's metrics (lag, fetch latency…), tagged with {@code service}. */
  public Metrics.Binding bindKafkaClient(String service, Consumer<?, ?> consumer) {
    return bound(new KafkaClientMetrics(consumer, Tags.of("service", service)));
  }

  private Metrics.Binding bound(KafkaClientMetrics binder) {
    registry.bind(binder);
    return binder::close;
  }

  /**
   * @param errorCode the provider's error code, or null when it gave none
   */
  public void smsFailed(Integer errorCode) {
    smsFailed.inc(errorCode == null ? "" : errorCode.toString());
  }

  /** A command whose earlier attempt was found at the provider, so it was not sent again. */
  public void smsRecovered() {
    smsRecovered.inc();
  }

  public void replyReceived(String intent) {
    replies.inc(intent);
  }

  /**
   * A reply flagged REVIEW by the parser rule {@code rule} (e.g. {@code review:en}, a bounded set).
   */
  public void replyToReview(String rule) {
    reviews.inc(rule);
  }

  /**
   * @param method {@code reply_yes}, {@code reply_code} or {@code code_entry}
   */
  public void confirmed(String method) {
    confirmed(method, null, null);
  }

  /**
   * @param method {@code reply_yes}, {@code reply_code} or {@code code_entry}
   * @param country the ISO region of the phone
   */
  public void confirmed(String method, String program, String country) {
    confirmations.inc(method, programLabel(program), countryLabel(country));
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

  /**
   * The counters by name, for tests and tools: {@code value("optin_confirmations_total",
   * "reply_yes")} sums the series whose first labels have these values.
   */
  public long value(String name, String... labelValues) {
    return counter(name).total(labelValues);
  }

  /**
   * How many durations a timer holds: {@code count("optin_reply_to_confirmed_seconds",
   * "reply_yes")}.
   */
  public long count(String name, String... labelValues) {
    Timers timers =
        switch (name) {
          case "optin_signup_to_sms_seconds" -> signupToSms;
          case "optin_reply_to_confirmed_seconds" -> replyToConfirmed;
          case "optin_confirmed_to_ledger_seconds" -> confirmedToLedger;
          case "optin_http_server_requests_seconds" -> httpRequests;
          default -> throw new IllegalArgumentException("no optin timer is named " + name);
        };
    return timers.count(labelValues);
  }

  private Counter counter(String name) {
    return switch (name) {
      case "optin_signups_total" -> signups;
      case "optin_signups_accepted_total" -> signupsAccepted;
      case "optin_velocity_limit_trips_total" -> velocityTrips;
      case "optin_prefix_blocks_total" -> prefixBlocks;
      case "optin_sms_sent_total" -> smsSent;
      case "optin_sms_delivered_total" -> smsDelivered;
      case "optin_sms_failed_total" -> smsFailed;
      case "optin_sms_recovered_total" -> smsRecovered;
      case "optin_replies_total" -> replies;
      case "optin_replies_review_total" -> reviews;
      case "optin_confirmations_total" -> confirmations;
      case "optin_challenges_expired_total" -> expiries;
      case "optin_challenges_locked_total" -> locks;
      case "optin_webhooks_forged_total" -> forgedWebhooks;
      case "optin_stream_thread_replacements_total" -> threadReplacements;
      default -> throw new IllegalArgumentException("no optin counter is named " + name);
    };
  }

  /** {@code program} as a label: itself among the first {@value #MAX_PROGRAMS}, else other. */
  String programLabel(String program) {
    if (program == null || program.isEmpty()) {
      return UNKNOWN_PROGRAM;
    }
    // The bound is the process's (the registry's), whichever service counts.
    Set<String> programs = registry.programs();
    if (programs.contains(program)) {
      return program;
    }
    synchronized (programs) {
      if (programs.size() < MAX_PROGRAMS) {
        programs.add(program);
        return program;
      }
    }
    return OTHER_PROGRAM;
  }

  /** {@code country} as a label: an ISO 3166 alpha-2 code, {@value #UNKNOWN_COUNTRY} otherwise. */
  static String countryLabel(String country) {
    return country != null && REGION.matcher(country).matches() ? country : UNKNOWN_COUNTRY;
  }
}
