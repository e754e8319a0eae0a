package io.optin.replies;

import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.http.HttpGateway;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.http.PeerClient;
import io.optin.kit.kafka.KafkaRecordPublisher;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.streams.KeyOwners;
import io.optin.kit.streams.StreamsService;
import io.optin.kit.twilio.TwilioSignatureCheck;
import io.optin.replies.api.OwnerQueryHandler;
import io.optin.replies.api.SubscriberQueryHandler;
import io.optin.replies.api.VerificationHandler;
import io.optin.replies.lookup.OutcomeAnswers;
import io.optin.replies.lookup.OutcomeSignals;
import io.optin.replies.lookup.OutcomeWait;
import io.optin.replies.lookup.RoutedLookups;
import io.optin.replies.lookup.StatusLookup;
import io.optin.replies.lookup.StoreLookups;
import io.optin.replies.matching.ReplyTopology;
import io.optin.replies.parse.ReplyParser;
import io.optin.replies.webhook.InboundWebhookHandler;
import io.optin.replies.webhook.VoiceWebhookHandler;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply processor: the {@link ReplyTopology} on Kafka Streams (run with the failure policy of
 * {@link StreamsService}), plus the HTTP routes that feed it (Twilio's inbound and voice webhooks,
 * code entry) and read it (subscriber status). The app mounts {@link #routes()} on its one port;
 * they answer as soon as they are mounted (503/202 until the stream runs). Twilio's status
 * callbacks are the SMS sender's (otp-dispatcher).
 *
 * <p>With an advertised URL (several instances), the app advertises it as {@code
 * application.server}, and the answers that need a phone's state (an outcome, a status) come from
 * the instance that owns the phone's partition: this one's stores, or that instance's internal
 * routes ({@link RoutedLookups}, {@link OwnerQueryHandler}), which this one serves too.
 */
public final class RepliesService extends StreamsService {

  /** The service's word, in health and metrics. */
  public static final String NAME = "replies";

  /** Longest wait to open a connection to another instance (they share a network). */
  static final Duration PEER_CONNECT_TIMEOUT = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(RepliesService.class);

  private final KafkaRecordPublisher publisher;
  private final List<HttpRoute> routes;

  /**
   * @param subjects the consent ledger's subject keys ({@code audit.subject.secret}), by which the
   *     erasure requests name the phone to forget
   */
  public RepliesService(
      RepliesConfig config, AvroSerdes serdes, OtpCodes codes, SubjectKeys subjects) {
    this(config, serdes, codes, subjects, OptinMetrics.unexposed());
  }

  /**
   * @param metrics where replies (by intent), forged webhooks, confirmations (by method), expiries
   *     and locks are counted
   */
  public RepliesService(
      RepliesConfig config,
      AvroSerdes serdes,
      OtpCodes codes,
      SubjectKeys subjects,
      OptinMetrics metrics) {
    this(config, serdes, codes, subjects, Options.defaults().withMetrics(metrics));
  }

  /**
   * @param options the restart budget, and the metrics where replies (by intent), forged webhooks,
   *     confirmations (by method), expiries and locks are counted
   */
  public RepliesService(
      RepliesConfig config,
      AvroSerdes serdes,
      OtpCodes codes,
      SubjectKeys subjects,
      Options options) {
    this(config, serdes, codes, subjects, options, new OutcomeSignals());
  }

  private RepliesService(
      RepliesConfig config,
      AvroSerdes serdes,
      OtpCodes codes,
      SubjectKeys subjects,
      Options options,
      OutcomeSignals signals) {
    super(
        NAME,
        ReplyTopology.APPLICATION_ID,
        ReplyTopology.build(config.topology(), serdes, codes, subjects, options.metrics(), signals),
        streamsClients(config),
        options);
    LOG.info("reply processor configured: {}", config);
    OptinMetrics metrics = options.metrics();
    this.publisher =
        KafkaRecordPublisher.create(
            "optin-replies-http", config.kafkaClientSettings(), serdes, config.publishTimeout());
    StoreLookups lookups = new StoreLookups(streams(), codes);
    metrics.watchChallengePhones(NAME, lookups::challengePhones);
    OutcomeWait localWait =
        new OutcomeWait(lookups, config.answerWait(), signals, config.maxWaitingAnswers());
    OutcomeAnswers outcomes = localWait;
    StatusLookup statuses = lookups;
    List<HttpRoute> internal = new ArrayList<>();
    if (config.advertisedUrl().isPresent()) {
      KeyOwners owners = KeyOwners.of(streams(), KeyOwners.hostOf(config.advertisedUrl().get()));
      PeerClient peers =
          new PeerClient(
              config.peerToken(),
              config.advertisedUrl().get().toString(),
              PEER_CONNECT_TIMEOUT,
              config.maxWaitingAnswers());
      RoutedLookups routed =
          new RoutedLookups(owners, lookups, localWait, peers, codes, config.answerWait());
      outcomes = routed;
      statuses = routed;
      // Other instances' waits are bounded apart, so they never take the waits of this one's own
      // webhooks (and the other way round).
      OwnerQueryHandler owned =
          new OwnerQueryHandler(
              owners,
              lookups,
              new OutcomeWait(lookups, config.answerWait(), signals, config.maxWaitingAnswers()),
              codes,
              config.answerWait());
      internal.add(new HttpRoute(RoutedLookups.OUTCOMES_PATH, owned));
      internal.add(new HttpRoute(RoutedLookups.STATUSES_PATH, owned));
      internal.add(new HttpRoute(RoutedLookups.SETTLED_CODES_PATH, owned));
    }
    TwilioSignatureCheck signatures =
        new TwilioSignatureCheck(config.twilioAuthToken(), config.publicBaseUrl(), metrics);
    Clock clock = Clock.systemUTC();
    Supplier<String> ids = () -> UUID.randomUUID().toString();
    List<HttpRoute> mounted =
        new ArrayList<>(
            List.of(
                new HttpRoute(
                    InboundWebhookHandler.PATH,
                    new InboundWebhookHandler(
                        signatures,
                        new ReplyParser(config.keywords(), codes.length()),
                        codes,
                        publisher,
                        outcomes,
                        config.texts(),
                        clock,
                        config.recentIdCapacity(),
                        metrics,
                        config.topology().stopScope())),
                new HttpRoute(
                    VoiceWebhookHandler.PATH,
                    new VoiceWebhookHandler(
                        signatures,
                        publisher,
                        outcomes,
                        clock,
                        config.recentIdCapacity(),
                        metrics)),
                new HttpRoute(
                    VerificationHandler.PATH,
                    new VerificationHandler(
                        publisher, outcomes, codes, config.allowedPrograms(), clock, ids)),
                new HttpRoute(SubscriberQueryHandler.PATH, new SubscriberQueryHandler(statuses))));
    mounted.addAll(internal);
    this.routes = List.copyOf(mounted);
  }

  /** The Streams settings, advertising this instance's HTTP address when it has one. */
  private static Map<String, String> streamsClients(RepliesConfig config) {
    Map<String, String> clients = new TreeMap<>(config.kafkaClientSettings());
    config
        .advertisedUrl()
        .ifPresent(
            url ->
                clients.put(
                    StreamsConfig.APPLICATION_SERVER_CONFIG, url.getHost() + ":" + url.getPort()));
    return clients;
  }

  /**
   * The HTTP routes to mount: Twilio's inbound and voice webhooks, {@code /v1/verifications},
   * {@code /v1/subscribers/}, and with an advertised URL the internal routes other instances ask
   * ({@code }{@value HttpGateway#INTERNAL_PREFIX}{@code v1/outcomes/}, {@code .../statuses/}).
   */
  public List<HttpRoute> routes() {
    return routes;
  }

  /** Stops the stream processing, then the publisher of the routes. */
  @Override
  public void close() {
    super.close();
    publisher.close();
  }
}
