package io.optin.replies;

import io.optin.replies.matching.ReplyTopologyConfig;
import io.optin.replies.parse.ReplyKeywords;
import io.optin.replies.webhook.ReplyTexts;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the reply processor service.
 *
 * @param kafkaClientSettings Kafka client settings ({@code kafka.*}, prefix stripped), for Streams
 *     and the producer
 * @param publicBaseUrl the base URL Twilio calls ({@code public.base.url}); webhook signatures are
 *     checked against it
 * @param twilioAuthToken the auth token signing webhooks ({@code twilio.auth.token}); never logged
 * @param topology the reply topology's settings ({@code otp.max.attempts}, {@code
 *     otp.expiry.grace}, retentions)
 * @param keywords reply keywords (defaults plus {@code replies.keywords.*})
 * @param texts what the inbound webhook texts back
 * @param answerWait how long a webhook or the verification API waits for an outcome (default 3 s)
 * @param publishTimeout how long a publish waits for Kafka's acknowledgement before answering 503
 *     (default 5 s)
 * @param recentIdCapacity message sids the inbound webhook remembers, to skip replays (default 10
 *     000)
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
    int recentIdCapacity) {

  public static final Duration DEFAULT_ANSWER_WAIT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_RECENT_ID_CAPACITY = 10_000;

  public RepliesConfig {
    kafkaClientSettings =
        Map.copyOf(Objects.requireNonNull(kafkaClientSettings, "kafkaClientSettings"));
    if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
      throw new IllegalArgumentException(
          "public.base.url is required (the URL Twilio calls, used to check signatures)");
    }
    if (twilioAuthToken == null || twilioAuthToken.isBlank()) {
      throw new IllegalArgumentException(
          "twilio.auth.token is required (it signs Twilio's webhooks)");
    }
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(keywords, "keywords");
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(answerWait, "answerWait");
    Objects.requireNonNull(publishTimeout, "publishTimeout");
    if (recentIdCapacity < 1) {
      throw new IllegalArgumentException(
          "recentIdCapacity must be positive, got " + recentIdCapacity);
    }
  }

  /** Defaults for everything but the cluster, the public URL and the token. */
  public static RepliesConfig of(
      Map<String, String> kafkaClientSettings, String publicBaseUrl, String twilioAuthToken) {
    return new RepliesConfig(
        kafkaClientSettings,
        publicBaseUrl,
        twilioAuthToken,
        ReplyTopologyConfig.defaults(),
        ReplyKeywords.defaults(),
        ReplyTexts.defaults(),
        DEFAULT_ANSWER_WAIT,
        DEFAULT_PUBLISH_TIMEOUT,
        DEFAULT_RECENT_ID_CAPACITY);
  }

  public RepliesConfig withTopology(ReplyTopologyConfig newTopology) {
    return new RepliesConfig(
        kafkaClientSettings,
        publicBaseUrl,
        twilioAuthToken,
        newTopology,
        keywords,
        texts,
        answerWait,
        publishTimeout,
        recentIdCapacity);
  }

  public RepliesConfig withKeywords(ReplyKeywords newKeywords) {
    return new RepliesConfig(
        kafkaClientSettings,
        publicBaseUrl,
        twilioAuthToken,
        topology,
        newKeywords,
        texts,
        answerWait,
        publishTimeout,
        recentIdCapacity);
  }

  public RepliesConfig withTexts(ReplyTexts newTexts) {
    return new RepliesConfig(
        kafkaClientSettings,
        publicBaseUrl,
        twilioAuthToken,
        topology,
        keywords,
        newTexts,
        answerWait,
        publishTimeout,
        recentIdCapacity);
  }

  public RepliesConfig withAnswerWait(Duration wait) {
    return new RepliesConfig(
        kafkaClientSettings,
        publicBaseUrl,
        twilioAuthToken,
        topology,
        keywords,
        texts,
        wait,
        publishTimeout,
        recentIdCapacity);
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
        + "]";
  }
}
