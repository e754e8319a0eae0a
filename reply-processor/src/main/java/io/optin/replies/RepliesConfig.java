package io.optin.replies;

import static io.optin.kit.config.ProcessSettings.API_TOKENS;
import static io.optin.kit.config.ProcessSettings.HTTP_ADVERTISED_URL;
import static io.optin.kit.config.ProcessSettings.HTTP_THREADS;
import static io.optin.kit.config.ProcessSettings.PUBLIC_BASE_URL;
import static io.optin.kit.config.SharedSettings.PROGRAMS_ALLOWED;
import static io.optin.kit.config.SharedSettings.REPLIES_PUBLISH_TIMEOUT;
import static io.optin.kit.config.SharedSettings.TWILIO_AUTH_TOKEN;
import static io.optin.replies.RepliesSettings.REPLIES_ANSWER_WAIT;

import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.replies.matching.ReplyTopologyConfig;
import io.optin.replies.parse.ReplyKeywords;
import io.optin.replies.webhook.ReplyTexts;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the reply processor service.
 *
 * @param kafkaClientSettings Kafka client settings ({@code kafka.*}, prefix stripped, and {@code
 *     streams.state.dir}), for Streams and the producer
 * @param publicBaseUrl the base URL Twilio calls ({@code public.base.url}); webhook signatures are
 *     checked against it
 * @param twilioAuthToken the auth token signing webhooks ({@code twilio.auth.token}); never logged
 * @param topology the reply topology's settings ({@code otp.max.attempts}, {@code
 *     otp.expiry.grace}, retentions)
 * @param keywords reply keywords (defaults plus {@code replies.keywords.*})
 * @param texts what the inbound webhook texts back
 * @param answerWait how long a webhook or the verification API waits for an outcome ({@code
 *     replies.answer.wait})
 * @param publishTimeout how long a publish waits for Kafka's acknowledgement before answering 503
 *     ({@code replies.publish.timeout})
 * @param recentIdCapacity message sids the inbound webhook remembers to skip replays ({@value
 *     #RECENT_ID_CAPACITY}; no setting)
 * @param allowedPrograms program ids a code entry may name ({@code programs.allowed}; empty accepts
 *     any)
 * @param advertisedUrl where the other instances reach this one ({@code http.advertised.url}, which
 *     the process defaults from its port): queries for a phone another instance owns are routed to
 *     it; empty answers every query from this instance's stores (one instance only)
 * @param peerToken the bearer token sent to the other instances (the first of {@code api.tokens});
 *     never logged
 * @param maxWaitingAnswers webhooks and code entries that may wait for their outcome at once, and
 *     requests to other instances in flight: {@value #WAITING_ANSWERS_PER_HTTP_THREAD} × {@code
 *     http.threads} (see {@link #waitingAnswers})
 */
public record RepliesConfig(
    Map<String, String> kafkaClientSettings,
    String publicBaseUrl,
    String twilioAuthToken,
    ReplyTopologyConfig topology,
    ReplyKeywords keywords,
    ReplyTexts texts,
    Duration answerWait,
    Duration publishTimeout,
    int recentIdCapacity,
    Set<String> allowedPrograms,
    Optional<URI> advertisedUrl,
    Optional<String> peerToken,
    int maxWaitingAnswers) {

  /** Replays of one webhook come within seconds: ten thousand ids cover minutes of traffic. */
  public static final int RECENT_ID_CAPACITY = 10_000;

  /**
   * Half the webhook lane, whose threads are {@code 4 × http.threads} (service-kit's {@code
   * HttpPort}): the other half keeps publishing replies when the topology lags and every waiter
   * waits the whole {@code replies.answer.wait}.
   */
  static final int WAITING_ANSWERS_PER_HTTP_THREAD = 2;

  public RepliesConfig {
    kafkaClientSettings =
        Map.copyOf(Objects.requireNonNull(kafkaClientSettings, "kafkaClientSettings"));
    Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
    Objects.requireNonNull(twilioAuthToken, "twilioAuthToken");
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(keywords, "keywords");
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(answerWait, "answerWait");
    Objects.requireNonNull(publishTimeout, "publishTimeout");
    if (recentIdCapacity < 1) {
      throw new IllegalArgumentException(
          "recentIdCapacity must be positive, got " + recentIdCapacity);
    }
    allowedPrograms = Set.copyOf(Objects.requireNonNull(allowedPrograms, "allowedPrograms"));
    Objects.requireNonNull(advertisedUrl, "advertisedUrl");
    Objects.requireNonNull(peerToken, "peerToken");
    if (maxWaitingAnswers < 1) {
      throw new IllegalArgumentException(
          "maxWaitingAnswers must be positive, got " + maxWaitingAnswers);
    }
  }

  /** The answers that may wait at once on a port of {@code httpThreads} ({@code http.threads}). */
  static int waitingAnswers(int httpThreads) {
    return WAITING_ANSWERS_PER_HTTP_THREAD * httpThreads;
  }

  /**
   * The reply processor's settings among {@code settings}.
   *
   * @throws SettingsException when {@code twilio.auth.token} is not set (it signs Twilio's
   *     webhooks), or a {@code replies.keywords.*} entry is malformed
   */
  public static RepliesConfig from(Settings settings) {
    return new RepliesConfig(
        ProcessSettings.streamsClients(settings),
        settings.string(PUBLIC_BASE_URL),
        settings.string(TWILIO_AUTH_TOKEN),
        ReplyTopologyConfig.from(settings),
        SettingsException.checked(
            () -> ReplyKeywords.fromSettings(settings.family(ReplyKeywords.SETTINGS_PREFIX))),
        ReplyTexts.defaults(),
        settings.duration(REPLIES_ANSWER_WAIT),
        settings.duration(REPLIES_PUBLISH_TIMEOUT),
        RECENT_ID_CAPACITY,
        Set.copyOf(settings.list(PROGRAMS_ALLOWED)),
        settings.optional(HTTP_ADVERTISED_URL).map(URI::create),
        firstToken(settings.list(API_TOKENS)),
        waitingAnswers(settings.integer(HTTP_THREADS)));
  }

  private static Optional<String> firstToken(List<String> tokens) {
    return tokens.stream().map(String::strip).filter(token -> !token.isEmpty()).findFirst();
  }

  @Override
  public String toString() {
    return "RepliesConfig[kafkaClientSettings="
        + kafkaClientSettings.keySet()
        + ", publicBaseUrl="
        + publicBaseUrl
        + ", twilioAuthToken=<redacted>, topology="
        + topology
        + ", answerWait="
        + answerWait
        + ", publishTimeout="
        + publishTimeout
        + ", recentIdCapacity="
        + recentIdCapacity
        + ", allowedPrograms="
        + allowedPrograms
        + ", advertisedUrl="
        + advertisedUrl.map(URI::toString).orElse("<none: local queries only>")
        + ", peerToken="
        + (peerToken.isPresent() ? "<redacted>" : "<none>")
        + ", maxWaitingAnswers="
        + maxWaitingAnswers
        + "]";
  }
}
