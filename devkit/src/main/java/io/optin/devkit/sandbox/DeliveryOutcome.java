package io.optin.devkit.sandbox;

import java.util.List;

/**
 * What the handset's network reports for a message the sandbox sent: the statuses reported in
 * order, and Twilio's error code when it did not arrive.
 */
public record DeliveryOutcome(List<String> statuses, Integer errorCode) {

  public static final DeliveryOutcome DELIVERED =
      new DeliveryOutcome(List.of("sent", "delivered"), null);

  /** Sent, then never confirmed: the message stays "sent", as when a carrier sends no receipt. */
  public static final DeliveryOutcome SENT_ONLY = new DeliveryOutcome(List.of("sent"), null);

  public DeliveryOutcome {
    statuses = List.copyOf(statuses);
    if (statuses.isEmpty()) {
      throw new IllegalArgumentException("at least one status");
    }
  }

  /**
   * Sent, then reported undelivered by the carrier (30003 unreachable handset, 30005 unknown, 30006
   * landline).
   */
  public static DeliveryOutcome undelivered(int errorCode) {
    return new DeliveryOutcome(List.of("sent", "undelivered"), errorCode);
  }

  /** Never left Twilio (30008 unknown error, 30007 filtered as spam, …). */
  public static DeliveryOutcome failed(int errorCode) {
    return new DeliveryOutcome(List.of("failed"), errorCode);
  }

  String finalStatus() {
    return statuses.get(statuses.size() - 1);
  }

  /** The error code travels only with the final, failing status. */
  Integer errorCodeFor(String status) {
    return status.equals(finalStatus()) ? errorCode : null;
  }
}
