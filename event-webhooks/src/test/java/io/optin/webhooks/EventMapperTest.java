package io.optin.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.MessageChannel;
import io.optin.avro.OptInStatus;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SubscriberStatus;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroTrust;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventMapperTest {

  private static final String PHONE = SampleRecords.PHONE;

  @BeforeAll
  static void trustTheGeneratedRecords() {
    // Builders copying a record with an enum field go through Avro's class-trust check.
    AvroTrust.install();
  }

  @Test
  void shouldTellAConfirmation() {
    String body =
        body(
            Topics.CONFIRMED_SUBSCRIBERS.name(), 3, 41, PHONE, SampleRecords.subscriberConfirmed());

    assertThat(body)
        .isEqualTo(
            "{\"id\":\""
                + WebhookEvent.idOf("optin.confirmed-subscribers.v1", 3, 41)
                + "\",\"type\":\"subscriber.confirmed\",\"createdAt\":\"2026-03-02T09:17:05.123Z\","
                + "\"data\":{\"phone\":\"+14155550123\",\"programId\":\"acme-deals\","
                + "\"challengeId\":\"5f0c7a7e-1d1b-4b8e-9a55-2f1c0e6b7d41\","
                + "\"signupId\":\"0b6e2d5c-77a4-4f0e-8f3e-4a1d2c3b4e5f\",\"method\":\"REPLY_YES\","
                + "\"confirmedVia\":null,\"signupChannel\":\"WEB_FORM\",\"locale\":\"fr-FR\","
                + "\"requestedAt\":\"2026-03-02T09:15:30.123Z\","
                + "\"confirmedAt\":\"2026-03-02T09:17:05.123Z\"}}");
  }

  @Test
  void shouldTellAnOptOutAndNoOtherStatus() {
    SubscriberStatus optedOut =
        SubscriberStatus.newBuilder(SampleRecords.subscriberStatus())
            .setStatus(OptInStatus.OPTED_OUT)
            .setReason("reply STOP")
            .build();
    String key = SampleRecords.PROGRAM + ":" + PHONE;

    assertThat(body(Topics.SUBSCRIBER_STATUS.name(), 0, 7, key, optedOut))
        .isEqualTo(
            "{\"id\":\""
                + WebhookEvent.idOf("optin.subscriber-status.v1", 0, 7)
                + "\",\"type\":\"subscriber.opted_out\",\"createdAt\":\"2026-03-02T09:17:05.123Z\","
                + "\"data\":{\"phone\":\"+14155550123\",\"programId\":\"acme-deals\","
                + "\"challengeId\":\"5f0c7a7e-1d1b-4b8e-9a55-2f1c0e6b7d41\","
                + "\"reason\":\"reply STOP\",\"optedOutAt\":\"2026-03-02T09:17:05.123Z\"}}");
    assertThat(map(Topics.SUBSCRIBER_STATUS.name(), key, SampleRecords.subscriberStatus()))
        .isNull();
    assertThat(map(Topics.SUBSCRIBER_STATUS.name(), key, null)).isNull();
  }

  @Test
  void shouldTellAChallengeClosedAsExpiredAndNoOtherChallengeEvent() {
    ChallengeEvent expired =
        ChallengeEvent.newBuilder(SampleRecords.challengeIssued())
            .setType(ChallengeEventType.CLOSED)
            .setOutcome(ChallengeOutcome.EXPIRED)
            .setOccurredAt(Instant.parse("2026-03-02T09:25:30.123Z"))
            .build();

    assertThat(body(Topics.CHALLENGES.name(), 1, 9, PHONE, expired))
        .isEqualTo(
            "{\"id\":\""
                + WebhookEvent.idOf("optin.challenges.v1", 1, 9)
                + "\",\"type\":\"challenge.expired\",\"createdAt\":\"2026-03-02T09:25:30.123Z\","
                + "\"data\":{\"phone\":\"+14155550123\",\"programId\":\"acme-deals\","
                + "\"challengeId\":\"5f0c7a7e-1d1b-4b8e-9a55-2f1c0e6b7d41\","
                + "\"signupId\":\"0b6e2d5c-77a4-4f0e-8f3e-4a1d2c3b4e5f\","
                + "\"issuedAt\":\"2026-03-02T09:15:30.123Z\",\"expiresAt\":\"2026-03-02T09:25:30.123Z\","
                + "\"resendCount\":1,\"failedAttempts\":2}}");
    assertThat(map(Topics.CHALLENGES.name(), PHONE, SampleRecords.challengeIssued())).isNull();
    ChallengeEvent confirmed =
        ChallengeEvent.newBuilder(expired).setOutcome(ChallengeOutcome.CONFIRMED).build();
    assertThat(map(Topics.CHALLENGES.name(), PHONE, confirmed)).isNull();
  }

  @Test
  void shouldTellAFailedMessageWithItsChannelAndNeverItsBody() {
    SmsDeliveryReport voice =
        SmsDeliveryReport.newBuilder(SampleRecords.smsDeliveryReport())
            .setStatus(DeliveryStatus.FAILED)
            .setChannel(MessageChannel.VOICE)
            .build();

    String body = body(Topics.SMS_DELIVERY.name(), 2, 5, PHONE, voice);

    assertThat(body)
        .isEqualTo(
            "{\"id\":\""
                + WebhookEvent.idOf("optin.sms-delivery.v1", 2, 5)
                + "\",\"type\":\"sms.failed\",\"createdAt\":\"2026-03-02T09:15:42.123Z\","
                + "\"data\":{\"phone\":\"+14155550123\",\"programId\":\"acme-deals\","
                + "\"challengeId\":\"5f0c7a7e-1d1b-4b8e-9a55-2f1c0e6b7d41\","
                + "\"reportId\":\"e5f6a7b8-0000-4000-8000-000000000002\",\"channel\":\"VOICE\","
                + "\"status\":\"FAILED\",\"errorCode\":30003,"
                + "\"messageSid\":\"SM00000000000000000000000000000000\","
                + "\"failedAt\":\"2026-03-02T09:15:42.123Z\"}}");
    // A report of before the channel field is an SMS; an undelivered one is a failure too.
    assertThat(body(Topics.SMS_DELIVERY.name(), 2, 6, PHONE, SampleRecords.smsDeliveryReport()))
        .contains("\"channel\":\"SMS\",\"status\":\"UNDELIVERED\"");
    SmsDeliveryReport delivered =
        SmsDeliveryReport.newBuilder(voice).setStatus(DeliveryStatus.DELIVERED).build();
    assertThat(map(Topics.SMS_DELIVERY.name(), PHONE, delivered)).isNull();
  }

  @Test
  void shouldTellAnErasureFromTheConfirmationTombstoneWithThePhoneAndNoProgram() {
    WebhookEvent erased =
        EventMapper.map(
                Topics.CONFIRMED_SUBSCRIBERS.name(),
                4,
                12,
                Instant.parse("2026-03-03T10:00:00Z").toEpochMilli(),
                PHONE,
                null)
            .orElseThrow();

    assertThat(new String(erased.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"id\":\""
                + WebhookEvent.idOf("optin.confirmed-subscribers.v1", 4, 12)
                + "\",\"type\":\"subscriber.erased\",\"createdAt\":\"2026-03-03T10:00:00Z\","
                + "\"data\":{\"phone\":\"+14155550123\",\"programId\":null,"
                + "\"erasedAt\":\"2026-03-03T10:00:00Z\"}}");
  }

  @Test
  void shouldDeriveTheSameIdFromTheSameRecordAndAnotherFromAnother() {
    assertThat(WebhookEvent.idOf("optin.challenges.v1", 1, 9))
        .isEqualTo(WebhookEvent.idOf("optin.challenges.v1", 1, 9))
        .isNotEqualTo(WebhookEvent.idOf("optin.challenges.v1", 1, 10))
        .isNotEqualTo(WebhookEvent.idOf("optin.challenges.v1", 0, 9))
        .isNotEqualTo(WebhookEvent.idOf("optin.sms-delivery.v1", 1, 9));
  }

  private static String body(String topic, int partition, long offset, String key, Object value) {
    return new String(
        EventMapper.map(topic, partition, offset, 0L, key, value).orElseThrow().body(),
        StandardCharsets.UTF_8);
  }

  private static WebhookEvent map(String topic, String key, Object value) {
    return EventMapper.map(topic, 0, 0, 0L, key, value).orElse(null);
  }
}
