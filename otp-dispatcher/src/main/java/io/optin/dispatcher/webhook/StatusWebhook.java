package io.optin.dispatcher.webhook;

import io.optin.kit.http.HttpRoute;
import io.optin.kit.kafka.KafkaRecordPublisher;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.twilio.TwilioSignatureCheck;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS sender's HTTP side: Twilio's status callbacks, on {@value StatusWebhookHandler#PATH},
 * written to the sender's own topic by a producer of their own (the sender's is transactional and
 * busy with its batches). The process mounts {@link #route()} beside the sender.
 */
public final class StatusWebhook implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatusWebhook.class);

  /** The producer's {@code client.id}, unless the Kafka client settings name one. */
  static final String CLIENT_ID = "optin-sender-http";

  private final KafkaRecordPublisher publisher;
  private final HttpRoute route;

  /**
   * @param kafkaClientSettings Kafka client settings ({@code kafka.*}, prefix stripped)
   * @param metrics where refused signatures are counted, by webhook
   */
  public StatusWebhook(
      StatusWebhookConfig config,
      Map<String, String> kafkaClientSettings,
      AvroSerdes serdes,
      OptinMetrics metrics) {
    LOG.info("status webhook configured: {}", config);
    TwilioSignatureCheck signatures =
        new TwilioSignatureCheck(config.twilioAuthToken(), config.publicBaseUrl(), metrics);
    this.publisher =
        KafkaRecordPublisher.create(
            CLIENT_ID, kafkaClientSettings, serdes, config.publishTimeout());
    this.route =
        new HttpRoute(
            StatusWebhookHandler.PATH,
            new StatusWebhookHandler(
                signatures,
                publisher,
                Clock.systemUTC(),
                () -> UUID.randomUUID().toString(),
                config.recentStatusCapacity()));
  }

  /** {@code POST /webhooks/twilio/status}; it answers as soon as it is mounted. */
  public HttpRoute route() {
    return route;
  }

  @Override
  public void close() {
    publisher.close();
  }
}
