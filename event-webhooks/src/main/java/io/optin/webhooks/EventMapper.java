package io.optin.webhooks;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.MessageChannel;
import io.optin.avro.OptInStatus;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.SubscriberStatus;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which records of the flow are webhook events, and what each tells: a confirmation, an opt-out
 * status, a challenge closed as expired, a failed or undelivered message, and the tombstone an
 * erasure writes for the phone's confirmation key. Payloads carry only what a platform needs to act
 * (the phone, the program, ids, times, reasons): never a code, a code hash or a token.
 */
public final class EventMapper {

  /** The topics events are read from. */
  public static final List<Topic<?>> SOURCES =
      List.of(
          Topics.CONFIRMED_SUBSCRIBERS,
          Topics.SUBSCRIBER_STATUS,
          Topics.CHALLENGES,
          Topics.SMS_DELIVERY);

  private EventMapper() {}

  /**
   * The event told by one record, if it tells one.
   *
   * @param value the decoded value, null for a tombstone
   */
  public static Optional<WebhookEvent> map(
      String topic, int partition, long offset, long timestamp, String key, Object value) {
    String id = WebhookEvent.idOf(topic, partition, offset);
    if (topic.equals(Topics.CONFIRMED_SUBSCRIBERS.name())) {
      if (value == null) {
        // Only an erasure tombstones the confirmation topic, keyed by the phone.
        return key == null ? Optional.empty() : Optional.of(erased(id, key, timestamp));
      }
      return Optional.of(confirmed(id, (SubscriberConfirmed) value));
    }
    if (topic.equals(Topics.SUBSCRIBER_STATUS.name())) {
      // A tombstone here is either a status lifted back to none or an erasure: the confirmation
      // topic's tombstone tells the erasure once.
      return value instanceof SubscriberStatus status && status.getStatus() == OptInStatus.OPTED_OUT
          ? Optional.of(optedOut(id, status))
          : Optional.empty();
    }
    if (topic.equals(Topics.CHALLENGES.name())) {
      return value instanceof ChallengeEvent event
              && event.getType() == ChallengeEventType.CLOSED
              && event.getOutcome() == ChallengeOutcome.EXPIRED
          ? Optional.of(expired(id, event))
          : Optional.empty();
    }
    if (topic.equals(Topics.SMS_DELIVERY.name())) {
      return value instanceof SmsDeliveryReport report
              && (report.getStatus() == DeliveryStatus.FAILED
                  || report.getStatus() == DeliveryStatus.UNDELIVERED)
          ? Optional.of(smsFailed(id, report))
          : Optional.empty();
    }
    return Optional.empty();
  }

  private static WebhookEvent confirmed(String id, SubscriberConfirmed c) {
    Map<String, Object> data = subject(c.getPhone(), c.getProgramId());
    data.put("challengeId", c.getChallengeId());
    data.put("signupId", c.getSignupId());
    data.put("method", String.valueOf(c.getMethod()));
    data.put("confirmedVia", c.getConfirmedVia() == null ? null : c.getConfirmedVia().name());
    data.put("signupChannel", String.valueOf(c.getChannel()));
    data.put("locale", c.getLocale());
    data.put("requestedAt", iso(c.getRequestedAt()));
    data.put("confirmedAt", iso(c.getConfirmedAt()));
    return new WebhookEvent(id, EventTypes.SUBSCRIBER_CONFIRMED, c.getConfirmedAt(), data);
  }

  private static WebhookEvent optedOut(String id, SubscriberStatus s) {
    Map<String, Object> data = subject(s.getPhone(), s.getProgramId());
    data.put("challengeId", s.getChallengeId());
    data.put("reason", s.getReason());
    data.put("optedOutAt", iso(s.getUpdatedAt()));
    return new WebhookEvent(id, EventTypes.SUBSCRIBER_OPTED_OUT, s.getUpdatedAt(), data);
  }

  private static WebhookEvent expired(String id, ChallengeEvent e) {
    Map<String, Object> data = subject(e.getPhone(), e.getProgramId());
    data.put("challengeId", e.getChallengeId());
    data.put("signupId", e.getSignupId());
    data.put("issuedAt", iso(e.getIssuedAt()));
    data.put("expiresAt", iso(e.getExpiresAt()));
    data.put("resendCount", e.getResendCount());
    data.put("failedAttempts", e.getFailedAttempts());
    return new WebhookEvent(id, EventTypes.CHALLENGE_EXPIRED, e.getOccurredAt(), data);
  }

  private static WebhookEvent smsFailed(String id, SmsDeliveryReport r) {
    Map<String, Object> data = subject(r.getPhone(), r.getProgramId());
    data.put("challengeId", r.getChallengeId());
    data.put("reportId", r.getReportId());
    // Reports written before the channel field are SMS.
    data.put("channel", (r.getChannel() == null ? MessageChannel.SMS : r.getChannel()).name());
    data.put("status", r.getStatus().name());
    data.put("errorCode", r.getErrorCode());
    data.put("messageSid", r.getMessageSid());
    data.put("failedAt", iso(r.getOccurredAt()));
    return new WebhookEvent(id, EventTypes.SMS_FAILED, r.getOccurredAt(), data);
  }

  private static WebhookEvent erased(String id, String phone, long timestamp) {
    Instant at = Instant.ofEpochMilli(timestamp);
    // An erasure is of the phone in every program: the tombstone names no program.
    Map<String, Object> data = subject(phone, null);
    data.put("erasedAt", iso(at));
    return new WebhookEvent(id, EventTypes.SUBSCRIBER_ERASED, at, data);
  }

  private static Map<String, Object> subject(String phone, String programId) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("phone", phone);
    data.put("programId", programId);
    return data;
  }

  private static String iso(Instant at) {
    return at == null ? null : at.toString();
  }
}
