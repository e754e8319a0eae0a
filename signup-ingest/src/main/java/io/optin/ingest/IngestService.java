package io.optin.ingest;

import io.optin.kit.health.ServiceHealth;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.kafka.KafkaRecordPublisher;
import io.optin.kit.kafka.RecordPublisher;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The signup front door as a service: a publisher to the signup and reject topics, a follower of
 * the subscriber-status topic feeding the status table and the {@link PumpingGuard}, and the {@code
 * POST /v1/signups} and {@code GET /v1/limits/blocked} routes for the application's HTTP server.
 *
 * <p>Lifecycle: construct, {@link #start()}, mount {@link #routes()}, {@link #close()}. Ready once
 * the status table has caught up with the topic, so a restarted instance does not accept signups it
 * should answer 409, and the signup claims of the open windows are applied ({@link
 * ReplicatedIntakeClaims}), so it enforces the limits every instance enforces. Live unless the
 * claims follower stopped; should the status follower stop, signups are still taken (the dispatcher
 * then answers for the statuses).
 */
public final class IngestService implements ServiceHealth, AutoCloseable {

  /** The service's word, in health and metrics. */
  public static final String NAME = "ingest";

  private final RecordPublisher publisher;
  private final SubscriberStatusFollower follower;
  private final IntakeClaims claims;
  private final SignupHandler handler;
  private final BlockedPrefixesHandler blocked;

  /**
   * @param settings the front door's settings
   * @param kafkaClientSettings Kafka client settings, prefix stripped (e.g. {@code
   *     bootstrap.servers})
   * @param serdes the Avro serdes (registry client) of the application
   * @param clock the clock stamping {@code occurredAt} and driving limits and idempotency expiry
   */
  public IngestService(
      IngestSettings settings,
      Map<String, String> kafkaClientSettings,
      AvroSerdes serdes,
      Clock clock) {
    this(settings, kafkaClientSettings, serdes, clock, OptinMetrics.unexposed());
  }

  /**
   * @param metrics where answers (by status), velocity-limit trips and prefix blocks are counted
   */
  public IngestService(
      IngestSettings settings,
      Map<String, String> kafkaClientSettings,
      AvroSerdes serdes,
      Clock clock,
      OptinMetrics metrics) {
    SubscriberStatusTable table = new SubscriberStatusTable();
    PumpingGuard guard =
        new PumpingGuard(settings.pumping(), settings.prefixRule(), clock, metrics);
    this.publisher =
        KafkaRecordPublisher.create(
            "optin-ingest", kafkaClientSettings, serdes, settings.publishTimeout());
    this.follower =
        new SubscriberStatusFollower(
            kafkaClientSettings,
            serdes.forTopic(Topics.SUBSCRIBER_STATUS).deserializer(),
            table,
            guard);
    this.claims =
        settings.clusterWide()
            ? ReplicatedIntakeClaims.create(
                settings,
                kafkaClientSettings,
                KafkaRecordPublisher.create(
                    "optin-ingest-claims",
                    ReplicatedIntakeClaims.producerSettings(kafkaClientSettings),
                    serdes,
                    settings.claimTimeout()),
                serdes.forTopic(Topics.INTAKE_CLAIMS).deserializer(),
                clock)
            : new LocalIntakeClaims(new ClaimBook(settings));
    this.handler =
        new SignupHandler(
            new SignupIntake(
                settings,
                claims,
                new KafkaSignupLog(
                    kafkaClientSettings,
                    serdes.forTopic(Topics.SIGNUP_REQUESTS).deserializer(),
                    producerRequestTimeout(kafkaClientSettings),
                    clock),
                publisher,
                table,
                guard,
                clock,
                metrics));
    this.blocked = new BlockedPrefixesHandler(guard);
  }

  /**
   * How long a produce request of the publisher may still be answered after its record expired: the
   * signup log is read only after that.
   */
  private static Duration producerRequestTimeout(Map<String, String> kafkaClientSettings) {
    return Duration.ofMillis(
        Long.parseLong(kafkaClientSettings.getOrDefault("request.timeout.ms", "5000")));
  }

  /** Starts following the subscriber statuses and the signup claims. */
  public void start() {
    follower.start();
    claims.start();
  }

  /** {@code POST /v1/signups} and {@code GET /v1/limits/blocked}. */
  public List<HttpRoute> routes() {
    return List.of(handler.route(), blocked.route());
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The status table holds everything the topic held at start, and the claims of the open windows
   * are applied.
   */
  @Override
  public boolean ready() {
    return follower.isCaughtUp() && claims.ready();
  }

  /** False once the claims follower stopped: no signup can be judged until a restart. */
  @Override
  public boolean live() {
    return claims.live();
  }

  /** {@code RUNNING}, or {@code CATCHING_UP} while the status table is read. */
  @Override
  public String state() {
    return ready() ? "RUNNING" : "CATCHING_UP";
  }

  @Override
  public void close() {
    follower.close();
    claims.close();
    publisher.close();
  }
}
