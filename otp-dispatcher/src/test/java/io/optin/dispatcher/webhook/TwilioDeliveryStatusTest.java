package io.optin.dispatcher.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.DeliveryStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwilioDeliveryStatusTest {

  @ParameterizedTest
  @CsvSource({
    "accepted, QUEUED", "scheduled, QUEUED", "queued, QUEUED", "sending, SENT", "sent, SENT",
    "delivered, DELIVERED", "read, DELIVERED", "undelivered, UNDELIVERED", "failed, FAILED",
        "canceled, FAILED",
    "Delivered, DELIVERED", "receiving, UNKNOWN", "something-new, UNKNOWN"
  })
  void shouldMapTwilioMessageStatuses(String twilio, DeliveryStatus expected) {
    assertThat(TwilioDeliveryStatus.of(twilio)).isEqualTo(expected);
  }
}
