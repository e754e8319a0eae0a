package io.optin.dispatcher.webhook;

import io.optin.avro.DeliveryStatus;
import java.util.Locale;

/** Maps Twilio's {@code MessageStatus} values onto our delivery states. */
final class TwilioDeliveryStatus {

  private TwilioDeliveryStatus() {}

  /**
   * The delivery state of a Twilio status; an unknown or missing one is {@code UNKNOWN}, never
   * dropped.
   */
  static DeliveryStatus of(String messageStatus) {
    if (messageStatus == null) {
      return DeliveryStatus.UNKNOWN;
    }
    return switch (messageStatus.trim().toLowerCase(Locale.ROOT)) {
      case "accepted", "scheduled", "queued" -> DeliveryStatus.QUEUED;
      case "sending", "sent" -> DeliveryStatus.SENT;
      // "read" is WhatsApp's receipt: delivered, and then some.
      case "delivered", "read" -> DeliveryStatus.DELIVERED;
      case "undelivered" -> DeliveryStatus.UNDELIVERED;
      case "failed", "canceled" -> DeliveryStatus.FAILED;
      default -> DeliveryStatus.UNKNOWN;
    };
  }

  /**
   * The delivery state of a Twilio {@code CallStatus}: an answered call that ended ({@code
   * completed}) is DELIVERED; busy and no-answer are UNDELIVERED; failed and canceled are FAILED.
   */
  static DeliveryStatus ofCall(String callStatus) {
    if (callStatus == null) {
      return DeliveryStatus.UNKNOWN;
    }
    return switch (callStatus.trim().toLowerCase(Locale.ROOT)) {
      case "queued", "initiated" -> DeliveryStatus.QUEUED;
      case "ringing", "in-progress" -> DeliveryStatus.SENT;
      case "completed" -> DeliveryStatus.DELIVERED;
      case "busy", "no-answer" -> DeliveryStatus.UNDELIVERED;
      case "failed", "canceled" -> DeliveryStatus.FAILED;
      default -> DeliveryStatus.UNKNOWN;
    };
  }
}
